// XML text rendering of a parsed record, on demand. Entity references keep their `&name;`
// form and character references their `&#N;` form, as Event Viewer's XML view shows them.

import type { BxElement, BxNode, BxPart } from './binxml.ts';

/**
 * Characters that XML 1.0 forbids even as character references: C0 controls other than
 * tab, LF and CR, lone surrogates, U+FFFE and U+FFFF. They render as U+FFFD; the flat
 * values of the record keep the original characters.
 */
const FORBIDDEN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these control characters are what the pattern must find
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function escapeText(text: string): string {
  return text.replace(FORBIDDEN, '\ufffd').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}

function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd);
}

function renderPart(part: BxPart, inAttribute: boolean): string {
  switch (part.kind) {
    case 'text':
      return inAttribute ? escapeAttribute(part.text) : escapeText(part.text);
    case 'value':
      return inAttribute ? escapeAttribute(part.value.text) : escapeText(part.value.text);
    case 'entity':
      return /^[A-Za-z_][\w.-]*$/.test(part.name) ? `&${part.name};` : escapeText(`&${part.name};`);
    case 'charref':
      return isXmlChar(part.code) ? `&#${part.code};` : '\ufffd';
  }
}

/** Renders an element tree as indented XML text (two spaces per level). */
export function renderXml(root: BxElement | BxNode[]): string {
  const lines: string[] = [];
  const nodes = Array.isArray(root) ? root : [root];
  for (const n of nodes) renderNode(n, 0, lines);
  return lines.join('\n');
}

function renderNode(node: BxNode, depth: number, lines: string[]): void {
  const pad = '  '.repeat(depth);
  if (node.kind === 'element') {
    renderElement(node, depth, lines);
  } else if (node.kind === 'pi') {
    lines.push(`${pad}<?${node.target}${node.data ? ` ${node.data.replace(/\?>/g, '? >')}` : ''}?>`);
  } else if (node.kind === 'cdata') {
    lines.push(`${pad}<![CDATA[${node.text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`);
  } else {
    lines.push(pad + renderPart(node, false));
  }
}

function renderElement(element: BxElement, depth: number, lines: string[]): void {
  const pad = '  '.repeat(depth);
  let open = `${pad}<${element.name}`;
  for (const a of element.attributes) {
    let value = '';
    for (const p of a.parts) value += renderPart(p, true);
    open += ` ${a.name}="${value}"`;
  }
  if (element.children.length === 0) {
    lines.push(`${open}/>`);
    return;
  }
  if (element.children.every((c) => c.kind !== 'element' && c.kind !== 'pi')) {
    // Text-only content stays on one line, so values are not padded with whitespace.
    let text = '';
    for (const c of element.children) {
      if (c.kind === 'cdata') text += `<![CDATA[${c.text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
      else text += renderPart(c as BxPart, false);
    }
    lines.push(text === '' ? `${open}/>` : `${open}>${text}</${element.name}>`);
    return;
  }
  lines.push(`${open}>`);
  for (const c of element.children) renderNode(c, depth + 1, lines);
  lines.push(`${pad}</${element.name}>`);
}
