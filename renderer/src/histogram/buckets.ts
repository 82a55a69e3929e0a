// Arithmetic on histogram buckets: the time range a brushed span of buckets covers, and
// which buckets get an axis label.

import type { TimelineHistogram } from '../../../shared/api.ts';

/** Start of bucket `index` as ISO 8601 UTC (whole seconds: bucket widths are whole seconds). */
export function bucketStart(histogram: TimelineHistogram, index: number): string {
  if (histogram.from === null) throw new Error('bucketStart needs a histogram with buckets');
  const millis = Date.parse(histogram.from) + index * histogram.bucketSeconds * 1000;
  return `${new Date(millis).toISOString().slice(0, 19)}Z`;
}

/** Time range [from, to) of the buckets from `first` to `last`, in either order, both included. */
export function brushedRange(histogram: TimelineHistogram, first: number, last: number): { from: string; to: string } {
  const low = Math.max(0, Math.min(first, last));
  const high = Math.min(histogram.counts.length - 1, Math.max(first, last));
  return { from: bucketStart(histogram, low), to: bucketStart(histogram, high + 1) };
}

/** Indexes of at most `maxLabels` evenly spaced buckets, always the first one. */
export function labelIndexes(bucketCount: number, maxLabels: number): number[] {
  if (bucketCount <= 0 || maxLabels <= 0) return [];
  const step = Math.max(1, Math.ceil(bucketCount / maxLabels));
  const indexes: number[] = [];
  for (let index = 0; index < bucketCount; index += step) indexes.push(index);
  return indexes;
}

/** Human text for a bucket width: `1 s`, `15 min`, `6 h`, `7 d`. */
export function describeWidth(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} d`;
  if (seconds % 3_600 === 0) return `${seconds / 3_600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
