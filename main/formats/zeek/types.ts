// Record, schema and issue types of the Zeek parser, and the mapping from Zeek types to
// the DuckDB column types of the typed `zeek_<path>` tables.

import type { TimeNote } from '../../../shared/events.ts';
import type { TypedColumnType } from '../../ingest/handler.ts';

export type ZeekFormat = 'tsv' | 'json';

/**
 * One value by Zeek type: `time` and `interval` as bigint microseconds, `count` and
 * `int` as bigint, `double` and `port` as number, `bool` as boolean, everything else as
 * string. Containers are arrays whose elements may be null (an unset element).
 */
export type ZeekScalar = string | number | bigint | boolean | null;
export type ZeekValue = ZeekScalar | ZeekScalar[];

/** The columns of one header block (TSV) or one key layout (JSON), shared by its records. */
export interface ZeekSchema {
  format: ZeekFormat;
  path: string;
  /** Column names as written (`id.orig_h` or `id_orig_h`); blank TSV names become `column<N>`. */
  names: readonly string[];
  /** Zeek type names (`time`, `set[string]`, ...); for JSON, types inferred from the values. */
  types: readonly string[];
  /** Name to column index; for a name written twice, the first column. */
  index: ReadonlyMap<string, number>;
  /** Line of the `#fields` header for TSV; the first line with this key layout for JSON. */
  line: number;
}

export interface ZeekTimeNote {
  field: string;
  note: TimeNote;
}

export interface ZeekRecord {
  format: ZeekFormat;
  /** Log path: `#path`, `_path` or `@stream`, else derived from the file name. */
  path: string;
  /** 1-based line number in the (decompressed) file. */
  line: number;
  schema: ZeekSchema;
  /** Values in schema column order. */
  values: ZeekValue[];
  /** Time fields whose value a reader must not trust as is. */
  timeNotes: ZeekTimeNote[];
  /** Problems found in this record; each was also reported as a warning issue. */
  warnings: string[];
}

/** A problem in the input, shaped like the ingest layer's ImportIssue plus the line number. */
export interface ZeekIssue {
  severity: 'error' | 'warning';
  line: number;
  /** `line 17`. */
  position: string;
  message: string;
}

/** Returns the value of a named field, or undefined when the record has no such column. */
export function zeekField(record: ZeekRecord, name: string): ZeekValue | undefined {
  const index = record.schema.index.get(name);
  return index === undefined ? undefined : record.values[index];
}

/** Returns the element type of `set[T]` or `vector[T]`, or null for a scalar type. */
export function containerElementType(type: string): string | null {
  const match = /^(?:set|vector)\[(.*)\]$/.exec(type);
  return match === null ? null : match[1]!;
}

const SCALAR_COLUMN_TYPES: Record<string, TypedColumnType> = {
  time: 'TIMESTAMP',
  interval: 'INTERVAL',
  count: 'UBIGINT',
  int: 'BIGINT',
  double: 'DOUBLE',
  port: 'USMALLINT',
  bool: 'BOOLEAN',
};

const LIST_COLUMN_TYPES: Partial<Record<TypedColumnType, TypedColumnType>> = {
  VARCHAR: 'VARCHAR[]',
  BIGINT: 'BIGINT[]',
  UBIGINT: 'UBIGINT[]',
  DOUBLE: 'DOUBLE[]',
  BOOLEAN: 'BOOLEAN[]',
  TIMESTAMP: 'TIMESTAMP[]',
  INTERVAL: 'INTERVAL[]',
  // No USMALLINT[] exists among the typed column types, so a set of ports widens.
  USMALLINT: 'BIGINT[]',
};

/**
 * Maps a Zeek type to the typed-table column type: addr, subnet, string, enum, pattern
 * and any other type become VARCHAR; `set[T]` and `vector[T]` become T's list type.
 * A list of ports becomes BIGINT[] because the typed tables have no USMALLINT list,
 * so its values must be written as bigint.
 */
export function zeekColumnType(zeekType: string): TypedColumnType {
  const element = containerElementType(zeekType);
  if (element !== null) {
    const elementType = SCALAR_COLUMN_TYPES[element] ?? 'VARCHAR';
    return LIST_COLUMN_TYPES[elementType] ?? 'VARCHAR[]';
  }
  return SCALAR_COLUMN_TYPES[zeekType] ?? 'VARCHAR';
}

// Time and interval fields of Zeek's base scripts (Zeek 6 log reference), written with
// `.` as the scope separator; the `_` spelling is derived below.
const JSON_TIME_FIELDS = [
  'ts',
  '_write_ts',
  'compile_ts',
  'certificate.not_valid_before',
  'certificate.not_valid_after',
  'not_valid_before',
  'not_valid_after',
  'times.modified',
  'times.accessed',
  'times.created',
  'times.changed',
  'from',
  'till',
  'ref_time',
  'org_time',
  'rec_time',
  'xmt_time',
  'thisUpdate',
  'nextUpdate',
  'revoketime',
  'first_seen',
  'last_seen',
  'start_time',
];

const JSON_INTERVAL_FIELDS = [
  'duration',
  'rtt',
  'lease_time',
  'suppress_for',
  'ts_delta',
  'pkt_lag',
  'root_delay',
  'root_disp',
  'poll',
  'precision',
  'interval',
];

function withUnderscoreSpelling(names: readonly string[]): Set<string> {
  const set = new Set<string>();
  for (const name of names) {
    set.add(name);
    set.add(name.replaceAll('.', '_'));
  }
  return set;
}

const TIME_NAMES = withUnderscoreSpelling(JSON_TIME_FIELDS);
const INTERVAL_NAMES = withUnderscoreSpelling(JSON_INTERVAL_FIELDS);
const PORT_NAME = /(?:^|[._])(?:orig_p|resp_p|p)$|^(?:host_p|bound_p|request_p|peer_p)$/;

export function isJsonTimeField(name: string): boolean {
  return TIME_NAMES.has(name);
}

export function isJsonIntervalField(name: string): boolean {
  return INTERVAL_NAMES.has(name);
}

/**
 * Infers the Zeek type of a JSON field from its name and its value. Known time and
 * interval fields (by name, in either scope-separator spelling) are `time` and
 * `interval`, and integer port fields are `port`. Otherwise strings are `string`,
 * booleans `bool`, integers `int` (`count` above the signed 64-bit range) and other
 * numbers `double`. Arrays are `vector[T]`, with T from the first non-null element,
 * because JSON has no set type. A null value with no known name is `string`.
 */
export function inferJsonFieldType(name: string, value: unknown): string {
  if (TIME_NAMES.has(name)) return 'time';
  if (INTERVAL_NAMES.has(name)) return 'interval';
  if (Array.isArray(value)) {
    const first = value.find((element) => element !== null && element !== undefined);
    return `vector[${first === undefined ? 'string' : inferScalarType(name, first)}]`;
  }
  if (value === null || value === undefined) return 'string';
  return inferScalarType(name, value);
}

function inferScalarType(name: string, value: unknown): string {
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'bigint') return value > (1n << 63n) - 1n ? 'count' : 'int';
  if (typeof value === 'number') {
    if (Number.isInteger(value)) {
      if (PORT_NAME.test(name) && value >= 0 && value <= 65535) return 'port';
      return 'int';
    }
    return 'double';
  }
  return 'string';
}
