// A tolerant XML tokenizer for Windows event exports. Producers write characters that
// XML 1.0 forbids (C0 controls, raw or as `&#x1B;`) and unescaped `&` and `<` (libevtx
// and Event Viewer's XML view do both), so a strict parser would reject the whole file.
// This one repairs instead: a forbidden character is kept as the real character, a
// stray `&` or `<` is kept literally, and each repair is reported with its offset.
// Line ends are not normalised, so a CR inside a value stays a CR.

import type { XmlNode } from '../windows/event.ts';

/** One repair made while reading, at a character offset of the parsed text. */
export interface XmlRepair {
  offset: number;
  message: string;
}

export interface TolerantXmlResult {
  /** The first top-level element, or null when there is none. */
  root: XmlNode | null;
  repairs: XmlRepair[];
}

/** Elements whose content is text only, so a `<` inside them is text unless it closes them. */
const TEXT_ONLY = new Set(['Data', 'Binary', 'Message', 'Keyword', 'Level', 'Task', 'Opcode', 'Channel', 'Provider', 'Computer']);

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const REFERENCE = /&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/y;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding these characters is the purpose
const SPECIAL = /[&\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g;
const NAME = /[A-Za-z_:][-A-Za-z0-9_:.\u00B7-\uFFFF]*/y;
const ATTRIBUTE = /\s*([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*(?:'([^']*)'|"([^"]*)")/y;

/** The name without its namespace prefix (`e:Event` -> `Event`). */
export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

function isForbidden(code: number): boolean {
  return (
    (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) ||
    code === 0xfffe ||
    code === 0xffff ||
    (code >= 0xd800 && code <= 0xdfff)
  );
}

function describeCode(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Decodes references in text or an attribute value, repairing what XML 1.0 does not allow. */
export function decodeXmlText(raw: string, offset: number, repairs: XmlRepair[]): string {
  SPECIAL.lastIndex = 0;
  if (!SPECIAL.test(raw)) return raw;
  let out = '';
  let index = 0;
  while (index < raw.length) {
    SPECIAL.lastIndex = index;
    const hit = SPECIAL.exec(raw);
    if (!hit) {
      out += raw.slice(index);
      break;
    }
    out += raw.slice(index, hit.index);
    index = hit.index;
    if (hit[0] !== '&') {
      const code = hit[0].charCodeAt(0);
      repairs.push({ offset: offset + index, message: `raw character ${describeCode(code)}, which XML 1.0 forbids, kept as is` });
      out += hit[0];
      index += 1;
      continue;
    }
    REFERENCE.lastIndex = index;
    const reference = REFERENCE.exec(raw);
    if (!reference) {
      repairs.push({ offset: offset + index, message: "unescaped '&' kept as a literal '&'" });
      out += '&';
      index += 1;
      continue;
    }
    const body = reference[1]!;
    if (body.startsWith('#')) {
      const code = body[1] === 'x' ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
      if (code > 0x10ffff) {
        repairs.push({ offset: offset + index, message: `character reference ${reference[0]} is out of range, kept as text` });
        out += reference[0];
      } else {
        if (isForbidden(code)) {
          repairs.push({
            offset: offset + index,
            message: `character reference ${reference[0]} to ${describeCode(code)}, which XML 1.0 forbids, kept as the character`,
          });
        }
        out += String.fromCodePoint(code);
      }
    } else {
      out += PREDEFINED[body]!;
    }
    index += reference[0].length;
  }
  return out;
}

interface OpenElement {
  node: XmlNode;
  text: string;
}

/**
 * Parses one XML document or fragment without rejecting it. Comments, processing
 * instructions and DOCTYPE are skipped; CDATA is kept as text. A close tag that does
 * not match closes the elements up to the one it names, or is ignored when it names
 * none; elements still open at the end are closed. Every such step is a repair.
 */
export function parseTolerantXml(text: string): TolerantXmlResult {
  const repairs: XmlRepair[] = [];
  const stack: OpenElement[] = [];
  let root: XmlNode | null = null;
  let position = 0;

  const appendText = (value: string) => {
    const top = stack[stack.length - 1];
    if (top) top.text += value;
    else if (value.trim() !== '') repairs.push({ offset: position, message: 'text outside any element ignored' });
  };
  const flushText = (open: OpenElement) => {
    if (open.text !== '') open.node.children.push(open.text);
    open.text = '';
  };
  const closeTop = () => {
    const open = stack.pop()!;
    flushText(open);
  };
  const literalLessThan = () => {
    repairs.push({ offset: position, message: "unescaped '<' kept as a literal '<'" });
    appendText('<');
    position += 1;
  };

  while (position < text.length) {
    const next = text.indexOf('<', position);
    if (next < 0 || next > position) {
      const end = next < 0 ? text.length : next;
      appendText(decodeXmlText(text.slice(position, end), position, repairs));
      position = end;
      continue;
    }
    const top = stack[stack.length - 1];
    if (text.startsWith('<!--', position)) {
      const end = text.indexOf('-->', position + 4);
      position = end < 0 ? text.length : end + 3;
      continue;
    }
    if (text.startsWith('<![CDATA[', position)) {
      const end = text.indexOf(']]>', position + 9);
      appendText(text.slice(position + 9, end < 0 ? text.length : end));
      position = end < 0 ? text.length : end + 3;
      continue;
    }
    if (top && TEXT_ONLY.has(localName(top.node.name)) && !text.startsWith(`</${top.node.name}`, position)) {
      literalLessThan();
      continue;
    }
    if (text.startsWith('<?', position)) {
      const end = text.indexOf('?>', position + 2);
      position = end < 0 ? text.length : end + 2;
      continue;
    }
    if (text.startsWith('<!', position)) {
      const end = text.indexOf('>', position + 2);
      position = end < 0 ? text.length : end + 1;
      continue;
    }
    if (text[position + 1] === '/') {
      NAME.lastIndex = position + 2;
      const name = NAME.exec(text);
      const close = name ? text.indexOf('>', NAME.lastIndex) : -1;
      if (!name || close < 0 || text.slice(NAME.lastIndex, close).trim() !== '') {
        literalLessThan();
        continue;
      }
      const depth = stack.findLastIndex((open) => open.node.name === name[0]);
      if (depth < 0) {
        repairs.push({ offset: position, message: `close tag </${name[0]}> without a matching start tag ignored` });
      } else {
        if (depth < stack.length - 1) {
          repairs.push({
            offset: position,
            message: `close tag </${name[0]}> also closes unclosed <${stack[stack.length - 1]!.node.name}>`,
          });
        }
        while (stack.length > depth) closeTop();
      }
      position = close + 1;
      continue;
    }
    const start = readStartTag(text, position, repairs);
    if (!start) {
      literalLessThan();
      continue;
    }
    if (top) {
      flushText(top);
      top.node.children.push(start.node);
    } else if (root === null) {
      root = start.node;
    } else {
      repairs.push({ offset: position, message: `second top-level element <${start.node.name}> ignored` });
    }
    if (!start.selfClosing && (top || root === start.node)) stack.push({ node: start.node, text: '' });
    position = start.end;
  }
  if (stack.length > 0) {
    repairs.push({ offset: text.length, message: `end of text inside <${stack[stack.length - 1]!.node.name}>; open elements closed` });
    while (stack.length > 0) closeTop();
  }
  return { root, repairs };
}

function readStartTag(text: string, position: number, repairs: XmlRepair[]): { node: XmlNode; end: number; selfClosing: boolean } | null {
  NAME.lastIndex = position + 1;
  const name = NAME.exec(text);
  if (!name) return null;
  const attributes: Record<string, string> = {};
  let cursor = NAME.lastIndex;
  for (;;) {
    ATTRIBUTE.lastIndex = cursor;
    const attribute = ATTRIBUTE.exec(text);
    if (!attribute) break;
    const quoted = attribute[2] ?? attribute[3] ?? '';
    const valueOffset = ATTRIBUTE.lastIndex - quoted.length - 1;
    attributes[attribute[1]!] = decodeXmlText(quoted, valueOffset, repairs);
    cursor = ATTRIBUTE.lastIndex;
  }
  while (cursor < text.length && /\s/.test(text[cursor]!)) cursor += 1;
  if (text.startsWith('/>', cursor)) return { node: { name: name[0], attributes, children: [] }, end: cursor + 2, selfClosing: true };
  if (text[cursor] === '>') return { node: { name: name[0], attributes, children: [] }, end: cursor + 1, selfClosing: false };
  return null;
}

/** The concatenated text content of a node and its descendants. */
export function nodeText(node: XmlNode): string {
  let out = '';
  for (const child of node.children) out += typeof child === 'string' ? child : nodeText(child);
  return out;
}

/** The first child element with the given local name. */
export function childElement(node: XmlNode | null | undefined, name: string): XmlNode | undefined {
  if (!node) return undefined;
  for (const child of node.children) if (typeof child !== 'string' && localName(child.name) === name) return child;
  return undefined;
}

/** The child elements of a node, text skipped. */
export function childElements(node: XmlNode): XmlNode[] {
  return node.children.filter((child): child is XmlNode => typeof child !== 'string');
}
