// Turns the cells of one plugin run, as a renderer parser split them, into typed rows:
// header names mapped onto the plugin's schema, unknown columns kept with inferred
// types, placeholders turned into null with the reason kept.

import type { TimeNote } from '../../../shared/events.ts';
import type { TypedColumnType } from '../../ingest/handler.ts';
import { JsonNumber, type JsonValue } from './json.ts';
import { normalizeHeader, SCHEMAS, schemaColumnFor } from './schemas.ts';
import type { VolColumn, VolPluginKind, VolRenderer, VolRow, VolValue } from './types.ts';
import {
  fitsInt64,
  fitsUint64,
  isDecimalText,
  isHexText,
  memoryErrorReason,
  parseBoolean,
  parseInteger,
  parseVolTime,
  placeholderReason,
} from './values.ts';

/**
 * One row as split by a renderer parser. Text renderers give strings, or null for a cell
 * the line did not reach. JSON gives its values, with numbers as written.
 */
export interface RawRow {
  line: number;
  depth: number;
  cells: JsonValue[];
}

export interface RawTable {
  headers: string[];
  rows: RawRow[];
}

interface Converted {
  value: VolValue;
  reason?: string;
  note?: TimeNote;
}

/** Serializes a JSON value with numbers as written, for cells that land in a VARCHAR column. */
export function jsonText(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean') return String(value);
  if (value instanceof JsonNumber) return value.text;
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  const members = [...value.fields].map(([key, member]) => `${JSON.stringify(key)}:${jsonText(member)}`);
  return `{${members.join(',')}}`;
}

function convertText(text: string, type: TypedColumnType, column: string, renderer: VolRenderer): Converted {
  const value = renderer === 'text' ? text.trim() : text;
  const isJson = renderer === 'json' || renderer === 'jsonl';
  const placeholder = placeholderReason(value, column);
  // JSON carries absent values as null, so a JSON string is a placeholder only where it cannot be a value.
  if (placeholder && (!isJson || type !== 'VARCHAR' || placeholder === 'Disabled')) return { value: null, reason: placeholder };
  const memoryError = memoryErrorReason(value);
  if (memoryError) return { value: null, reason: memoryError };

  const invalid = (): Converted => ({ value: null, reason: `invalid ${type}: ${JSON.stringify(value)}` });
  switch (type) {
    case 'VARCHAR':
      return { value };
    case 'VARCHAR[]':
      return { value: [value] };
    case 'BIGINT': {
      const parsed = parseInteger(value);
      return parsed !== null && fitsInt64(parsed) ? { value: parsed } : invalid();
    }
    case 'UBIGINT': {
      const parsed = parseInteger(value);
      return parsed !== null && fitsUint64(parsed) ? { value: parsed } : invalid();
    }
    case 'INTEGER':
    case 'USMALLINT': {
      const parsed = parseInteger(value);
      return parsed !== null && parsed >= -(2n ** 31n) && parsed < 2n ** 31n ? { value: Number(parsed) } : invalid();
    }
    case 'DOUBLE': {
      const parsed = Number(value);
      return value.trim() !== '' && Number.isFinite(parsed) ? { value: parsed } : invalid();
    }
    case 'BOOLEAN': {
      const parsed = parseBoolean(value);
      return parsed === null ? invalid() : { value: parsed };
    }
    case 'TIMESTAMP': {
      const parsed = parseVolTime(value);
      if (!parsed) return { value: null, reason: `invalid time: ${JSON.stringify(value)}`, note: 'invalid' };
      return parsed.note ? { value: parsed.micros, note: parsed.note } : { value: parsed.micros };
    }
    default:
      return { value };
  }
}

function convertCell(cell: JsonValue, type: TypedColumnType, column: string, renderer: VolRenderer): Converted {
  if (cell === null) return { value: null, reason: renderer === 'json' || renderer === 'jsonl' ? 'null' : 'missing' };
  if (typeof cell === 'string') return convertText(cell, type, column, renderer);
  if (cell instanceof JsonNumber) {
    if (type === 'VARCHAR') return { value: cell.text };
    if (type === 'DOUBLE') return { value: Number(cell.text) };
    if (type === 'TIMESTAMP') return { value: null, reason: `invalid time: ${cell.text}`, note: 'invalid' };
    return convertText(cell.text, type, column, renderer);
  }
  if (typeof cell === 'boolean') {
    if (type === 'BOOLEAN') return { value: cell };
    if (type === 'VARCHAR') return { value: cell ? 'True' : 'False' };
    return { value: null, reason: `invalid ${type}: ${cell}` };
  }
  if (Array.isArray(cell) && type === 'VARCHAR[]') {
    return { value: cell.map((item) => (typeof item === 'string' ? item : jsonText(item))) };
  }
  return type === 'VARCHAR' ? { value: jsonText(cell) } : { value: null, reason: `invalid ${type}: ${jsonText(cell)}` };
}

type CellClass = 'decimal' | 'hex' | 'boolean' | 'time' | 'double' | 'text';

function classifyCell(cell: JsonValue, column: string): CellClass | null {
  if (cell === null) return null;
  if (typeof cell === 'boolean') return 'boolean';
  if (cell instanceof JsonNumber) {
    if (!cell.isInteger) return 'double';
    const value = BigInt(cell.text);
    return fitsInt64(value) ? 'decimal' : fitsUint64(value) ? 'hex' : 'text';
  }
  if (typeof cell !== 'string') return 'text';
  const text = cell.trim();
  if (placeholderReason(text, column) || memoryErrorReason(text)) return null;
  if (isDecimalText(text)) return fitsInt64(BigInt(text)) ? 'decimal' : 'text';
  if (isHexText(text)) return fitsUint64(BigInt(text)) ? 'hex' : 'text';
  if (text === 'True' || text === 'False') return 'boolean';
  if (parseVolTime(text)) return 'time';
  return 'text';
}

/** Infers a column type for a column no schema describes: one class for every present value, else VARCHAR. */
function inferType(table: RawTable, index: number, column: string): TypedColumnType {
  const classes = new Set<CellClass>();
  for (const row of table.rows) {
    const cellClass = classifyCell(row.cells[index] ?? null, column);
    if (cellClass) classes.add(cellClass);
  }
  if (classes.size === 1) {
    const [only] = classes;
    const byClass: Record<CellClass, TypedColumnType> = {
      decimal: 'BIGINT',
      hex: 'UBIGINT',
      boolean: 'BOOLEAN',
      time: 'TIMESTAMP',
      double: 'DOUBLE',
      text: 'VARCHAR',
    };
    return byClass[only!];
  }
  if (classes.size === 2 && classes.has('decimal') && classes.has('double')) return 'DOUBLE';
  return 'VARCHAR';
}

/** Computes each row's parent from the depths, which come in pre-order. */
export function parentsFromDepths(depths: number[]): (number | null)[] {
  // lastAtDepth[d] is the latest row seen at depth d. Deeper entries are dropped on each row.
  const lastAtDepth: (number | undefined)[] = [];
  return depths.map((depth, index) => {
    let parent: number | null = null;
    for (let level = depth - 1; level >= 0 && parent === null; level--) parent = lastAtDepth[level] ?? null;
    lastAtDepth[depth] = index;
    lastAtDepth.length = depth + 1;
    return parent;
  });
}

/**
 * Maps a raw table onto the plugin's schema. Every schema column is present in the
 * result, null where this output lacks it, followed by the unknown columns in header order.
 */
export function buildRows(table: RawTable, kind: VolPluginKind, renderer: VolRenderer): { columns: VolColumn[]; rows: VolRow[] } {
  const schema = kind === 'generic' ? [] : SCHEMAS[kind];
  const columns: VolColumn[] = schema.map((column) => ({ name: column.name, type: column.type, source: null }));
  const target: number[] = [];
  const taken = new Set<string>();

  table.headers.forEach((header, index) => {
    const known = schemaColumnFor(kind, header);
    if (known && !taken.has(known.name)) {
      taken.add(known.name);
      const position = columns.findIndex((column) => column.name === known.name);
      columns[position]!.source = header;
      target.push(position);
      return;
    }
    const name = columns.some((column) => normalizeHeader(column.name) === normalizeHeader(header)) ? `${header} (${index + 1})` : header;
    columns.push({ name, type: inferType(table, index, header), source: header });
    target.push(columns.length - 1);
  });

  const parents = parentsFromDepths(table.rows.map((row) => row.depth));
  const rows = table.rows.map((raw, rowIndex): VolRow => {
    const values: VolValue[] = columns.map(() => null);
    const row: VolRow = {
      line: raw.line,
      index: rowIndex,
      values,
      depth: raw.depth,
      parent: parents[rowIndex]!,
      nullReasons: {},
      timeNotes: {},
    };
    target.forEach((position, cellIndex) => {
      const column = columns[position]!;
      const converted = convertCell(raw.cells[cellIndex] ?? null, column.type, column.name, renderer);
      values[position] = converted.value;
      if (converted.value === null && converted.reason) row.nullReasons[column.name] = converted.reason;
      if (converted.note) row.timeNotes[column.name] = converted.note;
    });
    return row;
  });
  return { columns, rows };
}

/** Splits `host:port` (IPv4, `[v6]:port` or Volatility 2's `:::port`) into address and port text. */
export function splitEndpoint(text: string): [string, string] {
  const trimmed = text.trim();
  const bracketed = /^\[(.*)\]:(\d+|\*)$/.exec(trimmed);
  if (bracketed) return [bracketed[1]!, bracketed[2]!];
  const colon = trimmed.lastIndexOf(':');
  if (colon < 0) return [trimmed, ''];
  return [trimmed.slice(0, colon), trimmed.slice(colon + 1)];
}

/**
 * Adjusts Volatility 2 network headers to the netscan schema: `Local Address` holding
 * `ip:port` becomes two columns, and sockscan's numeric `Proto` next to the `Protocol`
 * name becomes `ProtoNumber`.
 */
export function reshapeNetworkTable(table: RawTable): RawTable {
  const lowered = table.headers.map(normalizeHeader);
  const endpointColumns = new Map<number, [string, string]>();
  lowered.forEach((header, index) => {
    if (header === 'local address') endpointColumns.set(index, ['LocalAddr', 'LocalPort']);
    if (header === 'remote address' || header === 'foreign address') endpointColumns.set(index, ['ForeignAddr', 'ForeignPort']);
  });
  const hasProtocolName = lowered.includes('protocol');
  const headers: string[] = [];
  table.headers.forEach((header, index) => {
    const split = endpointColumns.get(index);
    if (split) headers.push(...split);
    else headers.push(hasProtocolName && lowered[index] === 'proto' ? 'ProtoNumber' : header);
  });
  if (endpointColumns.size === 0) return { headers, rows: table.rows };
  const rows = table.rows.map((row) => {
    const cells: JsonValue[] = [];
    row.cells.forEach((cell, index) => {
      if (!endpointColumns.has(index)) cells.push(cell);
      else if (typeof cell === 'string') cells.push(...splitEndpoint(cell));
      else cells.push(cell, null);
    });
    return { ...row, cells };
  });
  return { headers, rows };
}
