import type { TimelineQuery } from '../../shared/api.ts';
import { TIMELINE_COLUMNS, type TimelineRow } from '../../shared/events.ts';
import { parseIsoTime } from '../../shared/time.ts';
import { CaseStore } from '../case/store.ts';
import { openLineOutput } from './output.ts';
import { checkCaseExists } from './paths.ts';
import { UsageError } from './usage.ts';

/** The grid's columns, then the citation of each row: its time note, ids and locator. */
const CSV_COLUMNS: (keyof TimelineRow)[] = [...TIMELINE_COLUMNS, 'ts_note', 'event_id', 'evidence_id', 'locator'];

/** RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so spreadsheets do not run it as a formula. */
function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export interface TimelineOptions {
  case: string;
  from?: string;
  to?: string;
  search?: string;
  limit?: number;
  format: 'csv' | 'jsonl';
}

export async function runTimeline(options: TimelineOptions): Promise<number> {
  for (const [name, value] of [
    ['--from', options.from],
    ['--to', options.to],
  ] as const) {
    if (value !== undefined && !parseIsoTime(value)) {
      throw new UsageError(`${name} ${JSON.stringify(value)} is not an ISO 8601 time, for example 2024-01-31T12:00:00Z`);
    }
  }
  await checkCaseExists(options.case);
  const store = await CaseStore.open(options.case);
  const query: TimelineQuery = {};
  if (options.from) query.from = options.from;
  if (options.to) query.to = options.to;
  if (options.search) query.search = options.search;
  const output = openLineOutput();
  const write = output.write;
  try {
    // Times are UTC, and the CSV header names the column ts_utc.
    if (options.format === 'csv') await write(`${CSV_COLUMNS.map((name) => (name === 'ts' ? 'ts_utc' : name)).join(',')}\n`);
    for await (const row of store.timelineRows(query, options.limit)) {
      if (output.closed) break;
      if (options.format === 'csv') await write(`${CSV_COLUMNS.map((name) => csvField(row[name])).join(',')}\n`);
      else await write(`${JSON.stringify(row)}\n`);
    }
    return 0;
  } finally {
    output.release();
    await store.close();
  }
}
