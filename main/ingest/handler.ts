// The contract between the ingest pipeline and each evidence format. A handler detects
// its format from the first bytes of a file and turns the file into unified events
// (plus rows of a typed per-source table), reporting problems without throwing.

import type { Readable } from 'node:stream';
import type { UnifiedEvent } from '../../shared/events.ts';

/** The start of one evidence file, already decompressed when the file was gzip. */
export interface EvidenceSample {
  /** Path inside the bundle, archive members as `outer.zip/inner/path`. */
  path: string;
  /** Base name of the file, without a `.gz` suffix. */
  name: string;
  /** Up to the first 64 KiB of content. */
  head: Uint8Array;
}

/** DuckDB column types the typed tables may use; `X[]` is a list of X. */
export type TypedColumnType =
  | 'VARCHAR'
  | 'BIGINT'
  | 'UBIGINT'
  | 'INTEGER'
  | 'USMALLINT'
  | 'DOUBLE'
  | 'BOOLEAN'
  | 'TIMESTAMP'
  | 'INTERVAL'
  | 'VARCHAR[]'
  | 'BIGINT[]'
  | 'UBIGINT[]'
  | 'DOUBLE[]'
  | 'BOOLEAN[]'
  | 'TIMESTAMP[]'
  | 'INTERVAL[]';

export interface TypedColumn {
  name: string;
  type: TypedColumnType;
}

/**
 * One row of a per-source typed table (`zeek_conn`, `vol_pslist`, ...). JavaScript
 * values by column type: TIMESTAMP and INTERVAL as bigint microseconds, BIGINT and
 * UBIGINT as bigint, INTEGER and USMALLINT and DOUBLE as number, BOOLEAN as boolean,
 * VARCHAR as string, lists as arrays; null for NULL. The store adds `event_id`.
 */
export interface TypedRow {
  table: string;
  columns: TypedColumn[];
  values: unknown[];
}

export type IssueSeverity = 'error' | 'warning';

/** A problem in one evidence file, with the position a reader needs to find it. */
export interface ImportIssue {
  severity: IssueSeverity;
  /** `line 17`, `offset 0x1f0a0 (chunk 3)`, `row 12`. */
  position: string;
  message: string;
}

/**
 * Identity of a record that other evidence files may hold too, such as a Windows event
 * in a VSS copy of its log. A record whose key the case already has is counted as a
 * duplicate of that evidence file and not stored again.
 */
export interface RecordIdentity {
  /** Hash of the record's origin and content; equal keys mean the same record. */
  key: string;
  /** The log the record belongs to; keys stored by earlier imports are loaded one scope at a time. */
  scope: string;
  /** True for a record carved from slack, so a dropped duplicate leaves the recovered count too. */
  recovered?: boolean;
}

export interface ImportSink {
  /**
   * Buffer one record for bulk writing. Returns true when the buffer is full: the
   * handler must then `await drain()` before adding more, which keeps memory flat.
   * `event` may be a function that builds the event: it is called only if the record
   * is stored, so a duplicate (by `identity`) costs no normalization.
   */
  add(event: UnifiedEvent | (() => UnifiedEvent), typed?: TypedRow, identity?: RecordIdentity): boolean;
  /** Write the buffered records; resolves when the buffer has room again. */
  drain(): Promise<void>;
  issue(issue: ImportIssue): void;
  /** Aborted when the user cancels; handlers check it between batches. */
  readonly signal: AbortSignal;
}

export interface EvidenceInput {
  path: string;
  name: string;
  /** Size in bytes as stored (compressed size for gzip). */
  size: number;
  /** Decompressed content as a stream; each call opens a new read-only stream. */
  open(): Readable;
  /**
   * The content as a file on disk for random access (read-only), when it is stored
   * uncompressed: the evidence itself or a workspace copy of an archive member. Null
   * for gzip content, which only `open()` can read.
   */
  readonly contentFile: string | null;
}

export interface HandlerResult {
  /** Free-form notes for the import report, such as the detected dialect. */
  notes?: string[];
  /** Records among those added that were carved from slack or deleted space. */
  recovered?: number;
}

export interface EvidenceHandler {
  /** Detected kind recorded in the evidence table, such as `zeek-tsv` or `evtx`. */
  readonly kind: string;
  /** Parser name and version recorded with each evidence file. */
  readonly parser: string;
  detect(sample: EvidenceSample): boolean;
  run(input: EvidenceInput, sink: ImportSink): Promise<HandlerResult>;
}
