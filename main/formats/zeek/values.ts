// Conversion of one TSV field or one JSON member into a typed Zeek value.

import type { TimeNote } from '../../../shared/events.ts';
import { decodeZeekEscapes } from './escape.ts';
import { type JsonItem, JsonNumber } from './json-scan.ts';
import { parseDecimalMicros, parseIsoMicros, parseZeekTime } from './time.ts';
import { containerElementType, isJsonIntervalField, isJsonTimeField, type ZeekScalar, type ZeekValue } from './types.ts';

export interface TsvMarkers {
  setSeparator: string;
  emptyField: string;
  unsetField: string;
}

export interface Converted {
  value: ZeekValue;
  note: TimeNote | null;
  /** Reason the value could not be read, in which case the value is null. */
  problem: string | null;
}

const UINT64_MAX = (1n << 64n) - 1n;
const INT64_MAX = (1n << 63n) - 1n;
const COUNT = /^\d+$/;
const INT = /^[+-]?\d+$/;
const DOUBLE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const PORT = /^(\d{1,5})(?:\/[a-z]+)?$/;
const STRING_LIKE = new Set(['string', 'enum', 'addr', 'subnet', 'pattern', 'func', 'file', 'opaque', 'any', '']);

function isStringLike(type: string): boolean {
  return STRING_LIKE.has(type) || !(type in SCALAR_READERS);
}

type ScalarReader = (text: string) => { value: ZeekScalar; note: TimeNote | null } | null;

const SCALAR_READERS: Record<string, ScalarReader> = {
  time: (text) => {
    const parsed = parseZeekTime(text) ?? parseIsoMicros(text);
    return parsed === null ? null : { value: parsed.micros, note: parsed.note };
  },
  interval: (text) => {
    const parsed = parseDecimalMicros(text);
    return parsed === null ? null : { value: parsed.micros, note: null };
  },
  count: (text) => {
    if (!COUNT.test(text)) return null;
    const value = BigInt(text);
    return value > UINT64_MAX ? null : { value, note: null };
  },
  int: (text) => {
    if (!INT.test(text)) return null;
    const value = BigInt(text);
    return value > INT64_MAX || value < -INT64_MAX - 1n ? null : { value, note: null };
  },
  double: (text) => {
    if (DOUBLE.test(text)) return { value: Number(text), note: null };
    const special = text.toLowerCase();
    if (special === 'inf' || special === '+inf') return { value: Number.POSITIVE_INFINITY, note: null };
    if (special === '-inf') return { value: Number.NEGATIVE_INFINITY, note: null };
    if (special === 'nan' || special === '-nan') return { value: Number.NaN, note: null };
    return null;
  },
  port: (text) => {
    const match = PORT.exec(text);
    if (match === null) return null;
    const value = Number(match[1]);
    return value > 65535 ? null : { value, note: null };
  },
  bool: (text) => (text === 'T' ? { value: true, note: null } : text === 'F' ? { value: false, note: null } : null),
};

function readScalar(text: string, type: string): Converted {
  const reader = SCALAR_READERS[type];
  if (reader === undefined) return { value: text, note: null, problem: null };
  const read = reader(text);
  if (read === null) return { value: null, note: null, problem: `invalid ${type} value "${text}"` };
  return { value: read.value, note: read.note, problem: null };
}

/**
 * Converts one raw TSV field. The markers are compared with the raw text before any
 * escape is decoded, so a value written as `\x2d` is the string "-" and never unset.
 * In a container the markers apply to each element. A whole container field equal to
 * the empty marker is an empty array. Zeek writes a vector holding one empty string
 * the same way, and that case reads as an empty array too.
 */
export function convertTsvField(raw: string, type: string, markers: TsvMarkers): Converted {
  if (raw === markers.unsetField) return { value: null, note: null, problem: null };
  const elementType = containerElementType(type);
  if (elementType === null) {
    if (raw === markers.emptyField) {
      if (isStringLike(type)) return { value: '', note: null, problem: null };
      return { value: null, note: null, problem: `empty marker "${raw}" in a ${type} column` };
    }
    return readScalar(decodeZeekEscapes(raw), type);
  }
  if (raw === markers.emptyField) return { value: [], note: null, problem: null };
  const elements: ZeekScalar[] = [];
  let note: TimeNote | null = null;
  let problem: string | null = null;
  for (const element of raw.split(markers.setSeparator)) {
    if (element === markers.unsetField) {
      elements.push(null);
      continue;
    }
    if (element === markers.emptyField) {
      if (isStringLike(elementType)) elements.push('');
      else {
        elements.push(null);
        problem ??= `empty marker "${element}" as a ${elementType} element`;
      }
      continue;
    }
    const converted = readScalar(decodeZeekEscapes(element), elementType);
    elements.push(converted.value as ZeekScalar);
    note ??= converted.note;
    problem ??= converted.problem;
  }
  return { value: elements, note, problem };
}

/** Encoding of `time` values in a JSON log (Zeek's `JSON::TimestampFormat`). */
export type JsonTimeEncoding = 'epoch-seconds' | 'epoch-millis' | 'iso8601';

export interface ConvertedJson extends Converted {
  type: string;
}

/**
 * Converts one JSON member. Time and interval fields are known by name; their number
 * literals are read exactly from the text. Integers become bigint (`int`), except ports,
 * which become numbers. Objects inside arrays are kept as JSON text.
 */
export function convertJsonField(name: string, item: JsonItem, encoding: JsonTimeEncoding): ConvertedJson {
  if (isJsonTimeField(name)) return convertJsonTyped(item, 'time', (scalar) => readJsonTime(scalar, encoding));
  if (isJsonIntervalField(name)) return convertJsonTyped(item, 'interval', readJsonInterval);
  if (Array.isArray(item)) {
    const first = item.find((element) => element !== null);
    const elementType = first === undefined ? 'string' : jsonScalarType(name, first);
    const elements: ZeekScalar[] = [];
    let problem: string | null = null;
    for (const element of item) {
      const converted = jsonScalarValue(name, element);
      if (converted.type !== elementType && element !== null) {
        problem ??= `array element ${jsonItemText(element)} differs in type from the first element`;
        elements.push(jsonItemText(element));
      } else {
        elements.push(converted.value);
      }
    }
    return { type: `vector[${elementType}]`, value: elements, note: null, problem };
  }
  const converted = jsonScalarValue(name, item);
  return { type: converted.type, value: converted.value, note: null, problem: null };
}

function convertJsonTyped(
  item: JsonItem,
  type: string,
  read: (scalar: JsonItem) => { value: ZeekScalar; note: TimeNote | null } | null,
): ConvertedJson {
  if (item === null) return { type, value: null, note: null, problem: null };
  if (Array.isArray(item)) {
    const elements: ZeekScalar[] = [];
    let note: TimeNote | null = null;
    let problem: string | null = null;
    for (const element of item) {
      const read1 = element === null ? { value: null, note: null } : read(element);
      if (read1 === null) problem ??= `invalid ${type} element ${jsonItemText(element)}`;
      elements.push(read1?.value ?? null);
      note ??= read1?.note ?? null;
    }
    return { type: `vector[${type}]`, value: elements, note, problem };
  }
  const read1 = read(item);
  if (read1 === null) return { type, value: null, note: null, problem: `invalid ${type} value ${jsonItemText(item)}` };
  return { type, value: read1.value, note: read1.note, problem: null };
}

function readJsonTime(item: JsonItem, encoding: JsonTimeEncoding): { value: ZeekScalar; note: TimeNote | null } | null {
  if (item instanceof JsonNumber) {
    if (encoding === 'epoch-millis') {
      const parsed = parseDecimalMicros(item.text, 1000n);
      return parsed === null ? null : { value: parsed.micros, note: null };
    }
    const parsed = parseZeekTime(item.text);
    return parsed === null ? null : { value: parsed.micros, note: parsed.note };
  }
  if (typeof item === 'string') {
    const parsed = parseIsoMicros(item) ?? parseZeekTime(item);
    return parsed === null ? null : { value: parsed.micros, note: parsed.note };
  }
  return null;
}

function readJsonInterval(item: JsonItem): { value: ZeekScalar; note: TimeNote | null } | null {
  let text: string;
  if (item instanceof JsonNumber) text = item.text;
  else if (typeof item === 'string') text = item;
  else return null;
  const parsed = parseDecimalMicros(text);
  return parsed === null ? null : { value: parsed.micros, note: null };
}

const PORT_NAME = /(?:^|[._])(?:orig_p|resp_p|p)$|^(?:host_p|bound_p|request_p|peer_p)$/;

function isIntegerLiteral(text: string): boolean {
  return !/[.eE]/.test(text);
}

function jsonScalarType(name: string, item: JsonItem): string {
  if (typeof item === 'string') return 'string';
  if (typeof item === 'boolean') return 'bool';
  if (item instanceof JsonNumber) {
    if (!isIntegerLiteral(item.text)) return 'double';
    const value = BigInt(item.text);
    if (PORT_NAME.test(name) && value >= 0n && value <= 65535n) return 'port';
    return value > INT64_MAX ? 'count' : 'int';
  }
  return 'string';
}

function jsonScalarValue(name: string, item: JsonItem): { type: string; value: ZeekScalar } {
  if (item === null) return { type: 'string', value: null };
  const type = jsonScalarType(name, item);
  if (item instanceof JsonNumber) {
    if (type === 'double' || type === 'port') return { type, value: Number(item.text) };
    return { type, value: BigInt(item.text) };
  }
  if (typeof item === 'string' || typeof item === 'boolean') return { type, value: item };
  return { type: 'string', value: jsonItemText(item) };
}

/** Writes a scanned JSON item back as compact JSON text, number literals unchanged. */
export function jsonItemText(item: JsonItem): string {
  if (item === null) return 'null';
  if (item instanceof JsonNumber) return item.text;
  if (typeof item === 'string' || typeof item === 'boolean') return JSON.stringify(item);
  if (Array.isArray(item)) return `[${item.map(jsonItemText).join(',')}]`;
  return `{${Object.entries(item)
    .map(([key, value]) => `${JSON.stringify(key)}:${jsonItemText(value)}`)
    .join(',')}}`;
}
