// The unified event model: one row per record of every source, with column names
// close to the Elastic Common Schema flattened with underscores.

export const SOURCES = ['zeek', 'evtx', 'memory'] as const;
export type Source = (typeof SOURCES)[number];

export const CATEGORIES = [
  'process',
  'network',
  'dns',
  'web',
  'tls',
  'authentication',
  'file',
  'registry',
  'script',
  'service',
  'account',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

/**
 * Notes on a timestamp that a reader must see before trusting it.
 * - `no-zone`: the source wrote a wall-clock time without a zone, read as UTC.
 * - `low-precision`: the source rounded the value (for example Zeek 4.0 `%e` output).
 * - `sentinel`: a placeholder such as FILETIME zero (1601-01-01), kept off the default range.
 * - `implausible`: outside the range the source can produce, kept off the default range.
 * - `invalid`: the text could not be read as a time, so `ts` is null.
 */
export const TIME_NOTES = ['no-zone', 'low-precision', 'sentinel', 'implausible', 'invalid'] as const;
export type TimeNote = (typeof TIME_NOTES)[number];

/**
 * A unified event as the parsers and normalizers produce it, before the case store
 * assigns `event_id` and `evidence_id`. Time is split into microseconds since the Unix
 * epoch (DuckDB TIMESTAMP precision, range ±290,000 years) plus the sub-microsecond
 * nanoseconds, so Windows FILETIME keeps its 100 ns resolution and FILETIME zero
 * (1601) still fits.
 */
export interface UnifiedEvent {
  locator: string;
  source: Source;
  log: string;
  provider?: string | null;
  event_code?: string | null;
  ts_micros: bigint | null;
  ts_nanos?: number;
  ts_kind?: string | null;
  ts_note?: TimeNote | null;
  category: Category;
  action?: string | null;
  outcome?: string | null;
  host?: string | null;
  user_name?: string | null;
  user_domain?: string | null;
  user_sid?: string | null;
  logon_id?: string | null;
  process_guid?: string | null;
  process_pid?: number | null;
  process_image?: string | null;
  process_command_line?: string | null;
  parent_guid?: string | null;
  parent_pid?: number | null;
  parent_image?: string | null;
  src_ip?: string | null;
  src_port?: number | null;
  dst_ip?: string | null;
  dst_port?: number | null;
  protocol?: string | null;
  zeek_uid?: string | null;
  community_id?: string | null;
  dns_query?: string | null;
  dns_answers?: string[] | null;
  url?: string | null;
  user_agent?: string | null;
  file_path?: string | null;
  file_hash?: string | null;
  registry_key?: string | null;
  message: string;
  /** The full original record as JSON text, values exact (64-bit integers as strings). */
  data: string;
}

/** Columns the timeline grid shows and the API can filter and sort on. */
export const TIMELINE_COLUMNS = [
  'ts',
  'source',
  'log',
  'host',
  'event_code',
  'category',
  'message',
  'src_ip',
  'src_port',
  'dst_ip',
  'dst_port',
  'user_name',
  'process_image',
  'dns_query',
  'url',
] as const;
export type TimelineColumn = (typeof TIMELINE_COLUMNS)[number];

/** A timeline row as the API returns it: time rendered as ISO 8601 UTC text with full precision. */
export interface TimelineRow {
  event_id: number;
  evidence_id: number;
  locator: string;
  ts: string | null;
  ts_note: TimeNote | null;
  source: Source;
  log: string;
  host: string | null;
  event_code: string | null;
  category: Category;
  message: string;
  src_ip: string | null;
  src_port: number | null;
  dst_ip: string | null;
  dst_port: number | null;
  user_name: string | null;
  process_image: string | null;
  dns_query: string | null;
  url: string | null;
}
