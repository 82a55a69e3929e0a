// What the timeline shows: the query parts the user set and the counts of the last page.

import { create } from 'zustand';
import type { ColumnFilter, TimelineQuery } from '../../../shared/api.ts';

/**
 * Maximum number of event ids in one query, because the API rejects longer lists
 * (shared/validate.ts). A process with more events is shown with its first ones only.
 */
export const MAX_PROCESS_FILTER_EVENTS = 100_000;

/** The process filter set by the jump from the process tree. */
export interface ProcessFilter {
  /** Names the process in the chip, for example `powershell.exe (pid 4242) on WKS01`. */
  label: string;
  /** The ids sent with the query: the process's events, cut at MAX_PROCESS_FILTER_EVENTS. */
  eventIds: number[];
  /** Number of events of the process before any cut. */
  total: number;
}

export interface TimelineCounts {
  matched: number;
  total: number;
}

interface TimelineState {
  /** Free text as applied to the query (the search box debounces before setting it). */
  search: string;
  /** Time range as ISO 8601 UTC, inclusive from and exclusive to. */
  from: string | null;
  to: string | null;
  filters: ColumnFilter[];
  processFilter: ProcessFilter | null;
  counts: TimelineCounts | null;
  /** Increments whenever the rows must be fetched again although the query is unchanged (after an import). */
  reloadCount: number;
  setSearch(search: string): void;
  setRange(from: string | null, to: string | null): void;
  setFilters(filters: ColumnFilter[]): void;
  /** Limits the timeline to the events of one process, named in the toolbar chip by `label`. */
  setProcessFilter(label: string, eventIds: number[]): void;
  clearProcessFilter(): void;
  setCounts(counts: TimelineCounts | null): void;
  reload(): void;
}

export const useTimelineStore = create<TimelineState>()((set) => ({
  search: '',
  from: null,
  to: null,
  filters: [],
  processFilter: null,
  counts: null,
  reloadCount: 0,
  setSearch: (search) => set({ search: search.trim() }),
  setRange: (from, to) => set({ from, to }),
  setFilters: (filters) => set({ filters }),
  setProcessFilter: (label, eventIds) =>
    set({ processFilter: { label, eventIds: eventIds.slice(0, MAX_PROCESS_FILTER_EVENTS), total: eventIds.length } }),
  clearProcessFilter: () => set({ processFilter: null }),
  setCounts: (counts) => set({ counts }),
  reload: () => set((state) => ({ reloadCount: state.reloadCount + 1 })),
}));

/** The API query for the current state; empty parts are left out. */
export function timelineQuery(
  state: Pick<TimelineState, 'search' | 'from' | 'to' | 'filters'> & Partial<Pick<TimelineState, 'processFilter'>>,
): TimelineQuery {
  const query: TimelineQuery = {};
  if (state.search) query.search = state.search;
  if (state.from) query.from = state.from;
  if (state.to) query.to = state.to;
  if (state.filters.length > 0) query.filters = state.filters;
  if (state.processFilter) query.eventIds = state.processFilter.eventIds;
  return query;
}
