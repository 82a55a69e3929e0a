// Volatility 3 output as the framework prints it (checked against the renderers in
// volatility3/cli/text_renderer.py and saved 2.5.0 and 2.7.0 output): the quick text
// renderer, the CSV renderer and the JSON renderer. Cells are typed so each renderer
// can apply Volatility's own formatting to the same values.

import { volatilityIso, volatilityText } from '../time.ts';

/** Release the text banner names; column sets match it. */
export const VOLATILITY_RELEASE = '2.7.0';

export type Cell =
  | { kind: 'int'; value: number }
  | { kind: 'hex'; value: number }
  | { kind: 'str'; value: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'time'; value: number }
  /** NotApplicableValue: text `N/A`, JSON null. */
  | { kind: 'na' }
  /** UnreadableValue: text `-`, JSON null. */
  | { kind: 'unreadable' }
  | { kind: 'hexbytes'; value: Uint8Array }
  | { kind: 'disasm'; value: string };

export interface Row {
  depth: number;
  cells: Cell[];
  /** Called with the row's 1-based index in the run and its first line in the file. */
  onPlaced?: (row: number, line: number) => void;
}

export interface Table {
  columns: string[];
  rows: Row[];
}

export const cell = {
  int: (value: number): Cell => ({ kind: 'int', value }),
  hex: (value: number): Cell => ({ kind: 'hex', value }),
  str: (value: string): Cell => ({ kind: 'str', value }),
  bool: (value: boolean): Cell => ({ kind: 'bool', value }),
  time: (value: number): Cell => ({ kind: 'time', value }),
  na: (): Cell => ({ kind: 'na' }),
  unreadable: (): Cell => ({ kind: 'unreadable' }),
  hexbytes: (value: Uint8Array): Cell => ({ kind: 'hexbytes', value }),
  disasm: (value: string): Cell => ({ kind: 'disasm', value }),
};

/** HexBytes as text: eight bytes per line, each line `\n` + hex + tab + printable characters. */
export function hexBytesText(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i + 8 <= bytes.length; i += 8) {
    const slice = [...bytes.subarray(i, i + 8)];
    const hex = slice.map((byte) => byte.toString(16).padStart(2, '0')).join(' ');
    const ascii = slice.map((byte) => (byte > 0x20 && byte <= 0x7e ? String.fromCharCode(byte) : '.')).join('');
    out += `\n${hex}\t${ascii}`;
  }
  return out;
}

/** Capstone disassembly as Volatility joins it: each instruction `\n0xADDR:\tmnemonic\toperands`. */
export function disassemblyText(base: number, instructions: [number, string, string][]): string {
  return instructions.map(([offset, mnemonic, operands]) => `\n0x${(base + offset).toString(16)}:\t${mnemonic}\t${operands}`).join('');
}

function textValue(c: Cell): string {
  switch (c.kind) {
    case 'int':
      return String(c.value);
    case 'hex':
      return `0x${c.value.toString(16)}`;
    case 'str':
      return c.value;
    case 'bool':
      return c.value ? 'True' : 'False';
    case 'time':
      return volatilityText(c.value);
    case 'na':
      return 'N/A';
    case 'unreadable':
      return '-';
    case 'hexbytes':
      return hexBytesText(c.value);
    case 'disasm':
      return c.value;
  }
}

function newlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/** The quick text renderer after the banner: `\n` + header + `\n`, then `\n` + row for each row, then `\n`. */
export function renderText(table: Table): string {
  let out = `Volatility 3 Framework ${VOLATILITY_RELEASE}\n`;
  out += `\n${table.columns.join('\t')}\n`;
  let line = 4;
  table.rows.forEach((row, index) => {
    const prefix = row.depth > 0 ? `${'*'.repeat(row.depth)} ` : '';
    const text = prefix + row.cells.map(textValue).join('\t');
    line += 1;
    row.onPlaced?.(index + 1, line);
    line += newlines(text);
    out += `\n${text}`;
  });
  return `${out}\n`;
}

/**
 * Python's csv writer with `escapechar="\\"` and QUOTE_MINIMAL: a backslash is escaped
 * with a backslash, and a field holding a comma, quote or line break is quoted with its
 * quotes doubled.
 */
function csvField(text: string): string {
  const escaped = text.replace(/\\/g, '\\\\');
  if (/[,"\r\n]/.test(escaped)) return `"${escaped.replace(/"/g, '""')}"`;
  return escaped;
}

/** The CSV renderer: a TreeDepth column first, rows ending in `\n`, and one more `\n` at the end. */
export function renderCsv(table: Table): string {
  let out = `${['TreeDepth', ...table.columns].map(csvField).join(',')}\n`;
  let line = 2;
  table.rows.forEach((row, index) => {
    const text = [String(row.depth), ...row.cells.map(textValue)].map(csvField).join(',');
    row.onPlaced?.(index + 1, line);
    line += newlines(text) + 1;
    out += `${text}\n`;
  });
  return `${out}\n`;
}

function jsonValue(c: Cell): unknown {
  switch (c.kind) {
    case 'int':
    case 'hex':
      return c.value;
    case 'str':
      return c.value;
    case 'bool':
      return c.value;
    case 'time':
      return volatilityIso(c.value);
    case 'na':
    case 'unreadable':
      return null;
    case 'hexbytes':
      // quoted_optional wraps the text in literal quotes.
      return `"${hexBytesText(c.value)}"`;
    case 'disasm':
      return `"${c.value}"`;
  }
}

/** A JSON value as Python's `json.dumps(indent=2)` writes a scalar: ASCII only, non-ASCII as \uXXXX. */
function pythonScalar(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

interface JsonNode {
  row: Row;
  index: number;
  children: JsonNode[];
}

/** The JSON renderer: `\n`, then the rows nested by depth under `__children`, keys sorted, indent 2, then `\n`. */
export function renderJson(table: Table): string {
  const roots: JsonNode[] = [];
  const stack: JsonNode[] = [];
  table.rows.forEach((row, index) => {
    const node: JsonNode = { row, index, children: [] };
    stack.length = row.depth;
    if (row.depth === 0) roots.push(node);
    else stack[row.depth - 1]!.children.push(node);
    stack.push(node);
  });
  const lines: string[] = [''];
  const keys = [...table.columns, '__children'].sort();
  const writeList = (nodes: JsonNode[], indent: string, suffix: string, opener: string) => {
    if (nodes.length === 0) {
      lines.push(`${opener}[]${suffix}`);
      return;
    }
    lines.push(`${opener}[`);
    nodes.forEach((node, i) => {
      const inner = `${indent}  `;
      lines.push(`${inner}{`);
      node.row.onPlaced?.(node.index + 1, lines.length);
      keys.forEach((key, k) => {
        const last = k === keys.length - 1 ? '' : ',';
        const prefix = `${inner}  ${pythonScalar(key)}: `;
        if (key === '__children') writeList(node.children, `${inner}  `, last, prefix);
        else lines.push(`${prefix}${pythonScalar(jsonValue(node.row.cells[table.columns.indexOf(key)]!))}${last}`);
      });
      lines.push(`${inner}}${i === nodes.length - 1 ? '' : ','}`);
    });
    lines.push(`${indent}]${suffix}`);
  };
  writeList(roots, '', '', '');
  return `${lines.join('\n')}\n`;
}
