// Whether the event in the details pane is among the timeline's current results. The
// pane keeps its event when the search or filters change, so an investigator does not
// lose what they were reading, and marks it when the new results leave that event out.

import type { TimelineHistogram, TimelineQuery } from '../../../shared/api.ts';

/**
 * Narrows the timeline's query to one event. Returns null when the query's own event id
 * list (the process filter) leaves the event out, because then no request is needed.
 */
export function membershipQuery(query: TimelineQuery, eventId: number): TimelineQuery | null {
  if (query.eventIds && !query.eventIds.includes(eventId)) return null;
  return { ...query, eventIds: [eventId] };
}

/** Returns the number of events a histogram counted: those in its buckets and those outside them. */
export function histogramTotal(histogram: TimelineHistogram): number {
  let total = histogram.outside;
  for (const count of histogram.counts) total += count;
  return total;
}

/** Names the parts of the query that narrow the timeline, for example `search "-Enc"` and `time range`. */
export function activeConditions(query: TimelineQuery): string[] {
  const parts: string[] = [];
  if (query.search) parts.push(`search "${query.search}"`);
  if (query.from || query.to) parts.push('time range');
  const filters = query.filters?.length ?? 0;
  if (filters > 0) parts.push(filters === 1 ? 'column filter' : `${filters} column filters`);
  if (query.eventIds) parts.push('process filter');
  return parts;
}
