// Timeline queries. Each distinct query (filters, search, time range) is materialized
// once into a temporary table of (seq, event_id) in time order, where seq is a dense
// row number. A grid page [startRow, endRow) is then a keyset range on seq, which stays
// fast at any scroll depth, unlike LIMIT/OFFSET that rescans every skipped row.

import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { ColumnFilter, TimelinePage, TimelineQuery } from '../../shared/api.ts';
import type { Category, Source, TimelineRow, TimeNote } from '../../shared/events.ts';
import { formatMicrosIso, parseIsoTime } from '../../shared/time.ts';
import { ensureTimelineOrder, ORDER_TABLE } from './timeline-order.ts';

/** Text columns the free-text search looks in. */
const SEARCH_COLUMNS = [
  'message',
  'host',
  'log',
  'event_code',
  'user_name',
  'src_ip',
  'dst_ip',
  'process_image',
  'process_command_line',
  'dns_query',
  'url',
  'file_path',
  'zeek_uid',
] as const;

/** Columns selected for a timeline row; ts as epoch microseconds so no precision is lost. */
export const ROW_SELECT = `event_id, evidence_id, locator, epoch_us(ts) AS ts_us, ts_nanos, ts_note, source, log, host, event_code,
  category, message, src_ip, src_port, dst_ip, dst_port, user_name, process_image, dns_query, url`;

interface SqlFragment {
  sql: string;
  params: DuckDBValue[];
}

function filterSql(filter: ColumnFilter, params: DuckDBValue[]): string {
  // Numeric and time columns compare as text, the way the grid's text filter shows them.
  const column = filter.column === 'ts' ? `strftime(ts, '%Y-%m-%d %H:%M:%S.%f')` : `CAST(${filter.column} AS VARCHAR)`;
  const push = (value: string): string => {
    params.push(value.toLowerCase());
    return `$${params.length}`;
  };
  switch (filter.op) {
    case 'contains':
      return `contains(lower(${column}), ${push(filter.value)})`;
    case 'notContains':
      return `(${column} IS NULL OR NOT contains(lower(${column}), ${push(filter.value)}))`;
    case 'equals':
      return `lower(${column}) = ${push(filter.value)}`;
    case 'notEqual':
      return `(${column} IS NULL OR lower(${column}) <> ${push(filter.value)})`;
    case 'startsWith':
      return `starts_with(lower(${column}), ${push(filter.value)})`;
    case 'endsWith':
      return `ends_with(lower(${column}), ${push(filter.value)})`;
    case 'blank':
      return `(${column} IS NULL OR ${column} = '')`;
    case 'notBlank':
      return `(${column} IS NOT NULL AND ${column} <> '')`;
  }
}

function timeBound(text: string, name: string): bigint {
  const parsed = parseIsoTime(text);
  if (!parsed) throw new Error(`invalid ${name} time ${JSON.stringify(text)}: use ISO 8601, for example 2024-01-31T12:00:00Z`);
  return parsed.micros;
}

/** Translate a timeline query into a WHERE clause with bound parameters. */
export function whereClause(query: TimelineQuery): SqlFragment {
  const params: DuckDBValue[] = [];
  const clauses: string[] = [];
  if (query.from) {
    params.push(timeBound(query.from, 'from'));
    clauses.push(`ts >= make_timestamp($${params.length}::BIGINT)`);
  }
  if (query.to) {
    params.push(timeBound(query.to, 'to'));
    clauses.push(`ts < make_timestamp($${params.length}::BIGINT)`);
  }
  for (const term of (query.search ?? '').split(/\s+/).filter(Boolean)) {
    params.push(term.toLowerCase());
    const placeholder = `$${params.length}`;
    clauses.push(`(${SEARCH_COLUMNS.map((column) => `contains(lower(${column}), ${placeholder})`).join(' OR ')})`);
  }
  for (const filter of query.filters ?? []) clauses.push(filterSql(filter, params));
  if (query.eventIds) {
    clauses.push(query.eventIds.length === 0 ? 'false' : `event_id IN (${query.eventIds.map((id) => Number(id)).join(', ')})`);
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

export function toTimelineRow(row: Record<string, unknown>): TimelineRow {
  const tsMicros = row.ts_us as bigint | null;
  const toNumber = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
  return {
    event_id: Number(row.event_id),
    evidence_id: Number(row.evidence_id),
    locator: row.locator as string,
    ts: tsMicros === null ? null : formatMicrosIso(tsMicros, Number(row.ts_nanos ?? 0)),
    ts_note: (row.ts_note as TimeNote | null) ?? null,
    source: row.source as Source,
    log: row.log as string,
    host: (row.host as string | null) ?? null,
    event_code: (row.event_code as string | null) ?? null,
    category: row.category as Category,
    message: row.message as string,
    src_ip: (row.src_ip as string | null) ?? null,
    src_port: toNumber(row.src_port),
    dst_ip: (row.dst_ip as string | null) ?? null,
    dst_port: toNumber(row.dst_port),
    user_name: (row.user_name as string | null) ?? null,
    process_image: (row.process_image as string | null) ?? null,
    dns_query: (row.dns_query as string | null) ?? null,
    url: (row.url as string | null) ?? null,
  };
}

interface Materialized {
  /** Temporary table of (seq, pos): the query's rows as positions in `timeline_order`; null for the whole timeline. */
  table: string | null;
  matched: number;
}

function hasConditions(query: TimelineQuery): boolean {
  return Boolean(query.from || query.to || query.search?.trim() || (query.filters && query.filters.length > 0) || query.eventIds);
}

/**
 * Pages through timeline queries on one connection. Materialized results are kept for
 * the few most recent queries and dropped when the case's data changes.
 */
export class TimelineCursor {
  private readonly connection: DuckDBConnection;
  private readonly cache = new Map<string, Materialized>();
  private readonly maxCached: number;
  private counter = 0;
  private dataVersion = -1;
  private building = new Map<string, Promise<Materialized>>();
  /** Set when the data changed; the next query first brings `timeline_order` up to date. */
  private ordering: Promise<boolean> | null = null;

  constructor(connection: DuckDBConnection, maxCached = 4) {
    this.connection = connection;
    this.maxCached = maxCached;
  }

  /** Drop every cached result; call after an import commits. */
  async invalidate(dataVersion: number): Promise<void> {
    if (dataVersion === this.dataVersion) return;
    this.dataVersion = dataVersion;
    const tables = [...this.cache.values()].map((entry) => entry.table);
    this.cache.clear();
    for (const table of tables) if (table) await this.connection.run(`DROP TABLE IF EXISTS ${table}`);
    this.ordering = ensureTimelineOrder(this.connection);
  }

  private async ordered(): Promise<void> {
    this.ordering ??= ensureTimelineOrder(this.connection);
    try {
      await this.ordering;
    } catch (error) {
      this.ordering = null;
      throw error;
    }
  }

  private async materialize(query: TimelineQuery): Promise<Materialized> {
    const key = JSON.stringify([query.from ?? null, query.to ?? null, query.search ?? '', query.filters ?? [], query.eventIds ?? null]);
    const cached = this.cache.get(key);
    if (cached) {
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const inFlight = this.building.get(key);
    if (inFlight) return inFlight;
    const build = (async () => {
      await this.ordered();
      let entry: Materialized;
      if (!hasConditions(query)) {
        const count = await this.connection.runAndReadAll(`SELECT count(*) FROM ${ORDER_TABLE}`);
        entry = { table: null, matched: Number(count.getRows()[0]![0]) };
      } else {
        const table = `timeline_result_${++this.counter}`;
        const where = whereClause(query);
        // Row ids of timeline_order follow time order, so ordering by them is the timeline's order.
        await this.connection.run(
          `CREATE TEMP TABLE ${table} AS
           SELECT (row_number() OVER (ORDER BY rowid) - 1)::BIGINT AS seq, rowid AS pos FROM ${ORDER_TABLE} ${where.sql}`,
          where.params,
        );
        const count = await this.connection.runAndReadAll(`SELECT count(*) FROM ${table}`);
        entry = { table, matched: Number(count.getRows()[0]![0]) };
      }
      this.cache.set(key, entry);
      while (this.cache.size > this.maxCached) {
        const [oldestKey, oldest] = this.cache.entries().next().value as [string, Materialized];
        this.cache.delete(oldestKey);
        if (oldest.table) await this.connection.run(`DROP TABLE IF EXISTS ${oldest.table}`);
      }
      return entry;
    })();
    this.building.set(key, build);
    try {
      return await build;
    } finally {
      this.building.delete(key);
    }
  }

  async page(query: TimelineQuery, startRow: number, endRow: number, total: number): Promise<TimelinePage> {
    const result = await this.materialize(query);
    const rows =
      result.table === null ? await this.wholeTimelineRows(startRow, endRow) : await this.resultRows(result.table, startRow, endRow);
    return { rows: rows.map((row) => toTimelineRow(row as Record<string, unknown>)), matched: result.matched, total };
  }

  private async wholeTimelineRows(startRow: number, endRow: number): Promise<unknown[]> {
    const reader = await this.connection.runAndReadAll(
      `SELECT ${ROW_SELECT} FROM ${ORDER_TABLE} WHERE rowid >= $1 AND rowid < $2 ORDER BY rowid`,
      [BigInt(startRow), BigInt(endRow)],
    );
    return reader.getRowObjects();
  }

  private async resultRows(table: string, startRow: number, endRow: number): Promise<unknown[]> {
    const bounds = await this.connection.runAndReadAll(`SELECT min(pos), max(pos) FROM ${table} WHERE seq >= $1 AND seq < $2`, [
      BigInt(startRow),
      BigInt(endRow),
    ]);
    const [low, high] = bounds.getRows()[0] ?? [null, null];
    if (low === null || high === null) return [];
    // The row-id range lets DuckDB skip every row group outside the page before the semi join.
    const reader = await this.connection.runAndReadAll(
      `SELECT ${ROW_SELECT} FROM ${ORDER_TABLE} t
       SEMI JOIN (SELECT pos FROM ${table} WHERE seq >= $1 AND seq < $2) page ON t.rowid = page.pos
       WHERE t.rowid BETWEEN $3 AND $4 ORDER BY t.rowid`,
      [BigInt(startRow), BigInt(endRow), low as bigint, high as bigint],
    );
    return reader.getRowObjects();
  }

  /** Stream every matching row in time order, in pages, for exports. */
  async *rows(query: TimelineQuery, limit?: number, pageSize = 10_000): AsyncGenerator<TimelineRow> {
    const result = await this.materialize(query);
    const end = limit === undefined ? result.matched : Math.min(limit, result.matched);
    for (let start = 0; start < end; start += pageSize) {
      const page = await this.page(query, start, Math.min(end, start + pageSize), 0);
      yield* page.rows;
    }
  }
}
