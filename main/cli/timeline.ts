import type { TimelineQuery } from '../../shared/api.ts';
import { TIMELINE_COLUMNS, type TimelineRow } from '../../shared/events.ts';
import { parseIsoTime } from '../../shared/time.ts';
import { openCaseStore } from './case-open.ts';
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

/** A date alone in ISO 8601 extended form, as `2024-03-12` or with an expanded year. */
const DATE_ONLY = /^(?:[+-]\d{6}|\d{4})-\d{2}-\d{2}$/;

/**
 * Reads a --from or --to value: an ISO 8601 date-time (UTC unless it carries an offset),
 * or a date alone, which means midnight UTC at its start. Returns the date-time text the
 * timeline query takes and its instant in microseconds.
 */
export function parseTimeOption(name: string, value: string): { text: string; micros: bigint } {
  const text = DATE_ONLY.test(value.trim()) ? `${value.trim()}T00:00:00Z` : value;
  const parsed = parseIsoTime(text);
  if (!parsed) {
    throw new UsageError(
      `${name} ${JSON.stringify(value)} is not a valid ISO 8601 date or time, for example 2024-01-31 or 2024-01-31T12:00:00Z`,
    );
  }
  return { text, micros: parsed.micros };
}

export async function runTimeline(options: TimelineOptions): Promise<number> {
  const from = options.from === undefined ? undefined : parseTimeOption('--from', options.from);
  const to = options.to === undefined ? undefined : parseTimeOption('--to', options.to);
  if (from && to && from.micros >= to.micros) {
    throw new UsageError(
      `--from ${options.from} is not before --to ${options.to}, so the range is empty (--to is exclusive): swap them or widen the range`,
    );
  }
  await checkCaseExists(options.case);
  const store = await openCaseStore(options.case);
  const query: TimelineQuery = {};
  if (from) query.from = from.text;
  if (to) query.to = to.text;
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
