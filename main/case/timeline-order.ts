// The time-ordered copy of the timeline columns (`timeline_order`). DuckDB stores tables
// by column in insertion order, and events arrive file by file. So the 200 rows of one
// grid page lie scattered over the whole events table, and fetching them decompresses
// many vectors of every shown column (about 50 ms a page at 300,000 events, growing
// with the case). In this copy a page's rows are adjacent, because a row id is the
// position in time order, so a page is one short range scan at any size. The copy has
// what a grid row shows and what search and filters read, but not the `data` JSON.

import type { DuckDBConnection } from '@duckdb/node-api';

export const ORDER_TABLE = 'timeline_order';

/** Time order of the timeline: ties broken by sub-microsecond digits, then import order. */
export const TIME_ORDER = 'ts ASC NULLS LAST, ts_nanos ASC, event_id ASC';

const ORDER_COLUMNS = `event_id, evidence_id, locator, ts, ts_nanos, ts_note, source, log, host, event_code, category,
  message, src_ip, src_port, dst_ip, dst_port, user_name, process_image, dns_query, url, process_command_line,
  file_path, zeek_uid`;

/** case_meta key storing which events the copy was built from. */
const META_KEY = 'timeline_order_signature';

/**
 * Rows sorted at a time. Sorting 10 million rows in one statement ran out of DuckDB's
 * 512 MB buffer pool, so larger cases are sorted in time slices of about this many rows
 * and appended in order.
 */
export const SLICE_ROWS = 500_000;

/** Appends the events to the (empty) copy in time order, one time slice per sort. */
async function fillInSlices(connection: DuckDBConnection, rows: number, sliceRows: number): Promise<void> {
  const slices = Math.ceil(rows / sliceRows);
  const fractions = Array.from({ length: slices - 1 }, (_, index) => (index + 1) / slices);
  const reader = await connection.runAndReadAll(`SELECT approx_quantile(epoch_us(ts), [${fractions.join(', ')}]) FROM events`);
  const value = reader.getRows()[0]![0] as { items: (bigint | null)[] } | null;
  // Quantiles of a skewed column repeat, and equal bounds would make empty slices.
  const bounds = [...new Set((value?.items ?? []).filter((item): item is bigint => item !== null))].sort((a, b) => (a < b ? -1 : 1));
  const conditions: string[] = [];
  let lower: bigint | null = null;
  for (const upper of [...bounds, null]) {
    const parts = ['ts IS NOT NULL'];
    if (lower !== null) parts.push(`epoch_us(ts) >= ${lower}`);
    if (upper !== null) parts.push(`epoch_us(ts) < ${upper}`);
    conditions.push(parts.join(' AND '));
    lower = upper;
  }
  conditions.push('ts IS NULL');
  for (const condition of conditions) {
    await connection.run(`INSERT INTO ${ORDER_TABLE} SELECT ${ORDER_COLUMNS} FROM events WHERE ${condition} ORDER BY ${TIME_ORDER}`);
  }
}

/**
 * Rebuilds `timeline_order` when the events table has changed since the last build.
 * Events are only ever added, so their count and largest id identify the content. The
 * check and the rebuild share one transaction, so an import committing meanwhile cannot
 * leave a copy that claims rows it lacks. Returns true when it rebuilt the copy.
 */
export async function ensureTimelineOrder(connection: DuckDBConnection, sliceRows = SLICE_ROWS): Promise<boolean> {
  await connection.run('BEGIN TRANSACTION');
  try {
    const current = await connection.runAndReadAll(`SELECT count(*), coalesce(max(event_id), 0) FROM events`);
    const [rows, maxEventId] = current.getRows()[0] as [bigint, bigint];
    const signature = `${rows}:${maxEventId}`;
    const stored = await connection.runAndReadAll('SELECT value FROM case_meta WHERE key = $1', [META_KEY]);
    const exists = await connection.runAndReadAll(
      `SELECT count(*) FROM duckdb_tables() WHERE table_name = '${ORDER_TABLE}' AND NOT temporary`,
    );
    if (stored.getRows()[0]?.[0] === signature && Number(exists.getRows()[0]![0]) === 1) {
      await connection.run('COMMIT');
      return false;
    }
    if (Number(rows) <= sliceRows) {
      await connection.run(`CREATE OR REPLACE TABLE ${ORDER_TABLE} AS SELECT ${ORDER_COLUMNS} FROM events ORDER BY ${TIME_ORDER}`);
    } else {
      await connection.run(`CREATE OR REPLACE TABLE ${ORDER_TABLE} AS SELECT ${ORDER_COLUMNS} FROM events LIMIT 0`);
      await fillInSlices(connection, Number(rows), sliceRows);
    }
    await connection.run('INSERT OR REPLACE INTO case_meta VALUES ($1, $2)', [META_KEY, signature]);
    await connection.run('COMMIT');
    return true;
  } catch (error) {
    await connection.run('ROLLBACK');
    throw error;
  }
}
