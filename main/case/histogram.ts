// Event density over time for the histogram above the timeline: counts per bucket of
// the events matching a timeline query, with a bucket width picked from calendar-like
// steps so that the axis labels land on round times.

import type { DuckDBConnection } from '@duckdb/node-api';
import type { TimelineHistogram, TimelineQuery } from '../../shared/api.ts';
import { formatMicrosIso, parseIsoTime } from '../../shared/time.ts';
import { whereClause } from './timeline.ts';

/** Times flagged this way stay in the timeline but out of the case's time range and the histogram. */
export const OUT_OF_RANGE_NOTES = `('sentinel', 'implausible', 'invalid')`;

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const STEP_SECONDS = [
  1,
  5,
  15,
  30,
  MINUTE,
  5 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  7 * DAY,
  30 * DAY,
  365 * DAY,
];
const MICROS_PER_SECOND = 1_000_000n;

/** Start of the bucket of width `width` that holds `micros`; buckets align to multiples of the width since the epoch. */
function alignDown(micros: bigint, width: bigint): bigint {
  return micros >= 0n ? (micros / width) * width : -((-micros + width - 1n) / width) * width;
}

function bucketsNeeded(fromMicros: bigint, toMicros: bigint, width: bigint): bigint {
  return (toMicros - alignDown(fromMicros, width) + width - 1n) / width;
}

/** Return the smallest step whose aligned buckets cover [from, to) in at most `maxBuckets` buckets. */
export function pickBucketSeconds(fromMicros: bigint, toMicros: bigint, maxBuckets: number): number {
  const limit = BigInt(maxBuckets);
  for (const step of STEP_SECONDS) {
    if (bucketsNeeded(fromMicros, toMicros, BigInt(step) * MICROS_PER_SECOND) <= limit) return step;
  }
  // Spans beyond a few centuries (corrupt times that escaped the plausibility flags): whole days, one spare bucket for alignment.
  const spanDays = Number((toMicros - fromMicros) / (BigInt(DAY) * MICROS_PER_SECOND)) + 1;
  return Math.ceil(spanDays / Math.max(maxBuckets - 1, 1)) * DAY;
}

function bound(text: string | undefined): bigint | null {
  return text ? (parseIsoTime(text)?.micros ?? null) : null;
}

export async function timelineHistogram(
  connection: DuckDBConnection,
  query: TimelineQuery,
  maxBuckets: number,
): Promise<TimelineHistogram> {
  const where = whereClause(query);
  const plausible = `ts IS NOT NULL AND (ts_note IS NULL OR ts_note NOT IN ${OUT_OF_RANGE_NOTES})`;
  const summary = await connection.runAndReadAll(
    `SELECT count(*) AS matched, count(*) FILTER (WHERE ${plausible}) AS timed,
            epoch_us(min(ts) FILTER (WHERE ${plausible})) AS first_us, epoch_us(max(ts) FILTER (WHERE ${plausible})) AS last_us
     FROM events ${where.sql}`,
    where.params,
  );
  const row = summary.getRowObjects()[0]!;
  const outside = Number(row.matched) - Number(row.timed);
  if (row.first_us === null || row.last_us === null) return { from: null, bucketSeconds: 1, counts: [], outside };

  // An explicit range from the brush wins, so the axis shows exactly the selected span.
  const fromMicros = bound(query.from) ?? (row.first_us as bigint);
  const toMicros = bound(query.to) ?? (row.last_us as bigint) + 1n;
  const bucketSeconds = pickBucketSeconds(fromMicros, toMicros, maxBuckets);
  const width = BigInt(bucketSeconds) * MICROS_PER_SECOND;
  // Aligned buckets start on round UTC times.
  const start = alignDown(fromMicros, width);
  const bucketCount = Number(bucketsNeeded(fromMicros, toMicros, width));

  const params = [...where.params, start, width];
  const grouped = await connection.runAndReadAll(
    `SELECT ((epoch_us(ts) - $${params.length - 1}::BIGINT) // $${params.length}::BIGINT)::BIGINT AS bucket, count(*) AS events
     FROM events ${where.sql ? `${where.sql} AND` : 'WHERE'} ${plausible}
     GROUP BY bucket`,
    params,
  );
  const counts = new Array<number>(Math.max(bucketCount, 1)).fill(0);
  for (const [bucket, events] of grouped.getRows()) {
    const index = Number(bucket);
    if (index >= 0 && index < counts.length) counts[index] = Number(events);
  }
  return { from: formatMicrosIso(start), bucketSeconds, counts, outside };
}
