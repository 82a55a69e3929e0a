// The case store: one DuckDB file per case, opened once, migrated on open. Reads for
// the views share one connection; each import run gets its own connection and
// transaction, so readers keep seeing the last committed state while an import runs.

import type { DuckDBConnection } from '@duckdb/node-api';
import type {
  CaseInfo,
  EventDetail,
  EvidenceFile,
  EvidenceStatus,
  SourceCount,
  TimelineHistogram,
  TimelinePage,
  TimelineQuery,
} from '../../shared/api.ts';
import { ApiError, EVIDENCE_STATUSES } from '../../shared/api.ts';
import type { Source, TimelineRow } from '../../shared/events.ts';
import { formatMicrosIso } from '../../shared/time.ts';
import { type CaseDatabase, configuredMemoryLimit, openCaseDatabase } from './db.ts';
import { OUT_OF_RANGE_NOTES, timelineHistogram } from './histogram.ts';
import { MemoryBudget } from './memory.ts';
import { migrate } from './migrate.ts';
import { EVENT_COLUMNS } from './schema.ts';
import { ROW_SELECT, TimelineCursor, toTimelineRow } from './timeline.ts';

function isoOrNull(micros: unknown): string | null {
  return micros === null || micros === undefined ? null : formatMicrosIso(BigInt(micros as bigint));
}

export function toEvidenceFile(row: Record<string, unknown>): EvidenceFile {
  return {
    evidence_id: Number(row.evidence_id),
    import_id: Number(row.import_id),
    path: row.path as string,
    size: Number(row.size),
    sha256: row.sha256 as string,
    kind: row.kind as string,
    parser: (row.parser as string | null) ?? null,
    status: row.status as EvidenceStatus,
    records: Number(row.records),
    errors: Number(row.errors),
    warnings: Number(row.warnings),
    duplicates: Number(row.duplicates),
    messages: listItems(row.messages),
    imported_at: isoOrNull(row.imported_us) ?? '',
  };
}

function listItems(value: unknown): string[] {
  if (Array.isArray(value)) return value as string[];
  if (value && typeof value === 'object' && 'items' in value) return (value as { items: string[] }).items;
  return [];
}

const EVIDENCE_SELECT = `evidence_id, import_id, path, size, sha256, kind, parser, status, records, errors, warnings, duplicates,
  messages, epoch_us(imported_at) AS imported_us`;

export class CaseStore {
  readonly path: string;
  readonly schemaVersion: number;
  private readonly database: CaseDatabase;
  private readonly timeline: TimelineCursor;
  /** Retries statements that run out of DuckDB's buffer pool with a raised limit. */
  readonly memory: MemoryBudget;
  /** Bumped whenever an import commits, so cached timeline results are rebuilt. */
  private dataVersion = 0;

  private constructor(path: string, database: CaseDatabase, schemaVersion: number) {
    this.path = path;
    this.database = database;
    this.schemaVersion = schemaVersion;
    this.timeline = new TimelineCursor(database.connection);
    this.memory = new MemoryBudget(database.connection, configuredMemoryLimit());
  }

  static async open(path: string): Promise<CaseStore> {
    const database = await openCaseDatabase(path);
    try {
      const version = await migrate(database.connection);
      return new CaseStore(path, database, version);
    } catch (error) {
      database.close();
      throw error;
    }
  }

  get connection(): DuckDBConnection {
    return this.database.connection;
  }

  /** Open a new connection for an import run, which holds its own transaction. */
  async connect(): Promise<DuckDBConnection> {
    return this.database.instance.connect();
  }

  markChanged(): void {
    this.dataVersion += 1;
  }

  /** The number of committed imports since the store opened; derived tables compare it to know when to rebuild. */
  get currentDataVersion(): number {
    return this.dataVersion;
  }

  get stagingDir(): string {
    return this.database.stagingDir;
  }

  async close(): Promise<void> {
    await this.database.connection.run('CHECKPOINT');
    this.database.close();
  }

  async eventCount(): Promise<number> {
    const reader = await this.connection.runAndReadAll('SELECT count(*) FROM events');
    return Number(reader.getRows()[0]![0]);
  }

  async info(): Promise<CaseInfo> {
    const events = await this.eventCount();
    const statuses = await this.connection.runAndReadAll('SELECT status, count(*) AS files FROM evidence GROUP BY status');
    const filesPerStatus = new Map(statuses.getRowObjects().map((row) => [row.status as EvidenceStatus, Number(row.files)]));
    const evidenceByStatus: Partial<Record<EvidenceStatus, number>> = {};
    for (const status of EVIDENCE_STATUSES) {
      const files = filesPerStatus.get(status);
      if (files !== undefined) evidenceByStatus[status] = files;
    }
    const perLog = await this.connection.runAndReadAll(
      'SELECT source, log, count(*) AS events FROM events GROUP BY source, log ORDER BY source, log',
    );
    const range = await this.connection.runAndReadAll(
      `SELECT epoch_us(min(ts)), epoch_us(max(ts)) FROM events WHERE ts IS NOT NULL AND (ts_note IS NULL OR ts_note NOT IN ${OUT_OF_RANGE_NOTES})`,
    );
    const [from, to] = range.getRows()[0] ?? [null, null];
    const sources: SourceCount[] = perLog.getRowObjects().map((row) => ({
      source: row.source as Source,
      log: row.log as string,
      events: Number(row.events),
    }));
    return {
      path: this.path,
      schemaVersion: this.schemaVersion,
      events,
      evidenceFiles: [...filesPerStatus.values()].reduce((sum, files) => sum + files, 0),
      evidenceByStatus,
      sources,
      timeRange: from === null || to === null ? null : { from: isoOrNull(from)!, to: isoOrNull(to)! },
    };
  }

  async listEvidence(): Promise<EvidenceFile[]> {
    const reader = await this.connection.runAndReadAll(`SELECT ${EVIDENCE_SELECT} FROM evidence ORDER BY evidence_id`);
    return reader.getRowObjects().map((row) => toEvidenceFile(row as Record<string, unknown>));
  }

  async evidence(evidenceId: number): Promise<EvidenceFile> {
    const reader = await this.connection.runAndReadAll(`SELECT ${EVIDENCE_SELECT} FROM evidence WHERE evidence_id = $1`, [evidenceId]);
    const row = reader.getRowObjects()[0];
    if (!row) throw new ApiError('not_found', `evidence file ${evidenceId} not found in this case`);
    return toEvidenceFile(row as Record<string, unknown>);
  }

  async timelinePage(query: TimelineQuery, startRow: number, endRow: number): Promise<TimelinePage> {
    await this.timeline.invalidate(this.dataVersion);
    return this.timeline.page(query, startRow, endRow, await this.eventCount());
  }

  timelineHistogram(query: TimelineQuery, maxBuckets: number): Promise<TimelineHistogram> {
    return timelineHistogram(this.connection, query, maxBuckets);
  }

  async *timelineRows(query: TimelineQuery, limit?: number): AsyncGenerator<TimelineRow> {
    await this.timeline.invalidate(this.dataVersion);
    yield* this.timeline.rows(query, limit);
  }

  async eventDetail(eventId: number): Promise<EventDetail> {
    const columns = EVENT_COLUMNS.filter((column) => column.name !== 'data' && column.name !== 'ts').map((column) => column.name);
    const reader = await this.connection.runAndReadAll(
      `SELECT ${ROW_SELECT}, ${columns.map((name) => `${name} AS "f_${name}"`).join(', ')}, CAST(data AS VARCHAR) AS data
       FROM events WHERE event_id = $1`,
      [BigInt(eventId)],
    );
    const row = reader.getRowObjects()[0] as Record<string, unknown> | undefined;
    if (!row) throw new ApiError('not_found', `event ${eventId} not found in this case`);
    const timelineRow = toTimelineRow(row);
    const fields: EventDetail['fields'] = { ts: timelineRow.ts };
    for (const name of columns) {
      const value = row[`f_${name}`];
      if (value === null || value === undefined) continue;
      if (typeof value === 'bigint') fields[name] = Number(value);
      else if (typeof value === 'object') fields[name] = listItems(value).map(String);
      else fields[name] = value as string | number | boolean;
    }
    return { row: timelineRow, fields, data: row.data as string, evidence: await this.evidence(timelineRow.evidence_id) };
  }
}
