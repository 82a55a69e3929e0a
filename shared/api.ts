// The API contract between the backend and the renderer. Electron IPC (preload bridge)
// and the loopback HTTP bridge (browser mode) both carry exactly these methods.

import type { Category, Source, TimelineColumn, TimelineRow } from './events.ts';
import type { ProcessDetail, ProcessHost, ProcessNode } from './processes.ts';

export const TEXT_FILTER_OPS = ['contains', 'notContains', 'equals', 'notEqual', 'startsWith', 'endsWith', 'blank', 'notBlank'] as const;
export type TextFilterOp = (typeof TEXT_FILTER_OPS)[number];

/** One column filter, as the grid's text filter model expresses it. */
export interface ColumnFilter {
  column: TimelineColumn;
  op: TextFilterOp;
  value: string;
}

export interface TimelineQuery {
  /** Inclusive lower bound, ISO 8601 with a zone (for example `2024-01-01T00:00:00Z`). */
  from?: string;
  /** Exclusive upper bound, ISO 8601 with a zone. */
  to?: string;
  /** Free text: every whitespace-separated term must occur (case-insensitive) in the message or a text column. */
  search?: string;
  filters?: ColumnFilter[];
  /** Limit to one process or host and so on; filled by jumps from other views. */
  eventIds?: number[];
}

export interface TimelinePage {
  rows: TimelineRow[];
  /** Number of events that match the query. */
  matched: number;
  /** Number of events in the case. */
  total: number;
}

/** Event counts per time bucket for the density histogram above the timeline. */
export interface TimelineHistogram {
  /** Start of the first bucket, ISO 8601 UTC; null when no matching event has a plausible time. */
  from: string | null;
  /** Bucket width in seconds, a calendar-friendly step (1 s, 5 s, ... 1 h, 1 d, 7 d, 30 d). */
  bucketSeconds: number;
  counts: number[];
  /** Matching events outside the buckets: no time, or a time flagged as a sentinel or implausible. */
  outside: number;
}

export interface EventDetail {
  row: TimelineRow;
  /** Every unified column, including the ones the grid hides. */
  fields: Record<string, string | number | boolean | null | string[]>;
  /** The original record as JSON text, exactly as stored. */
  data: string;
  evidence: EvidenceFile;
}

export const EVIDENCE_STATUSES = ['imported', 'partial', 'failed', 'skipped', 'duplicate'] as const;
export type EvidenceStatus = (typeof EVIDENCE_STATUSES)[number];

export interface EvidenceFile {
  evidence_id: number;
  import_id: number;
  /** Path inside the bundle; archive members as `archive.zip/member/path`. */
  path: string;
  size: number;
  sha256: string;
  kind: string;
  parser: string | null;
  status: EvidenceStatus;
  records: number;
  errors: number;
  warnings: number;
  duplicates: number;
  /** First problems found, each naming the line or offset. */
  messages: string[];
  imported_at: string;
}

export interface SourceCount {
  source: Source;
  log: string;
  events: number;
}

export interface CaseInfo {
  path: string;
  schemaVersion: number;
  events: number;
  evidenceFiles: number;
  /** Evidence files per import status, in EVIDENCE_STATUSES order; statuses without files are left out. */
  evidenceByStatus: Partial<Record<EvidenceStatus, number>>;
  sources: SourceCount[];
  /** Earliest and latest plausible event times (ISO 8601 UTC), or null in an empty case. */
  timeRange: { from: string; to: string } | null;
}

export interface ImportProgress {
  importId: number;
  state: 'running' | 'done' | 'cancelled' | 'failed';
  filesDone: number;
  /** Files found so far; grows while archives are opened. */
  filesSeen: number;
  records: number;
  bytes: number;
  /** Records per second since the start. */
  rate: number;
  currentFile: string | null;
  error: string | null;
  files: ImportFileResult[];
}

/** One evidence file's result, the shape `casebook import --json` prints. */
export interface ImportFileResult {
  path: string;
  kind: string;
  status: EvidenceStatus;
  /** Records stored, recovered ones included. */
  records: number;
  /** Records carved from slack or deleted space (EVTX), counted within `records`. */
  recovered?: number;
  errors: number;
  duplicates: number;
  sha256: string;
  messages: string[];
}

export interface Capabilities {
  /** True in the desktop app, where the main process can show a native file picker. */
  nativeFileDialog: boolean;
  version: string;
}

export interface CategoryCount {
  category: Category;
  events: number;
}

/** Every call the renderer can make. All methods are async and take JSON-safe arguments. */
export interface CasebookApi {
  capabilities(): Promise<Capabilities>;
  caseInfo(): Promise<CaseInfo>;
  timelinePage(query: TimelineQuery, startRow: number, endRow: number): Promise<TimelinePage>;
  /** Counts of the events matching `query` per time bucket, at most `maxBuckets` buckets. */
  timelineHistogram(query: TimelineQuery, maxBuckets: number): Promise<TimelineHistogram>;
  eventDetail(eventId: number): Promise<EventDetail>;
  listEvidence(): Promise<EvidenceFile[]>;
  startImport(paths: string[]): Promise<{ importId: number }>;
  importProgress(importId: number): Promise<ImportProgress>;
  cancelImport(importId: number): Promise<void>;
  /** Opens a native picker in the desktop app; returns null in browser mode or when cancelled. */
  pickEvidence(): Promise<string[] | null>;
  /** Hosts with process instances, busiest first. */
  processHosts(): Promise<ProcessHost[]>;
  /** Every process instance of one host, parents before children. */
  processTree(host: string): Promise<ProcessNode[]>;
  processDetail(instanceId: number): Promise<ProcessDetail>;
}

export type ApiMethod = keyof CasebookApi;

export const API_METHODS = [
  'capabilities',
  'caseInfo',
  'timelinePage',
  'timelineHistogram',
  'eventDetail',
  'listEvidence',
  'startImport',
  'importProgress',
  'cancelImport',
  'pickEvidence',
  'processHosts',
  'processTree',
  'processDetail',
] as const satisfies readonly ApiMethod[];

/** Error codes the bridges carry across, so the renderer can tell a bad request from a failure. */
export const API_ERROR_CODES = ['bad_request', 'not_found', 'unauthorized', 'conflict', 'internal'] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  constructor(code: ApiErrorCode, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}

/** Header that carries the per-run token in browser mode. */
export const TOKEN_HEADER = 'x-casebook-token';

// Compile-time check that API_METHODS lists every method of CasebookApi.
type MissingMethods = Exclude<ApiMethod, (typeof API_METHODS)[number]>;
const allMethodsListed: MissingMethods extends never ? true : MissingMethods = true;
void allMethodsListed;
