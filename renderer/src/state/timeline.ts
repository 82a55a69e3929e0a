// What the timeline shows: the query parts the user set and the counts of the last page.

import { create } from 'zustand';
import type { ColumnFilter, TimelineQuery } from '../../../shared/api.ts';

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
  counts: TimelineCounts | null;
  /** Increments whenever the rows must be fetched again although the query is unchanged (after an import). */
  reloadCount: number;
  setSearch(search: string): void;
  setRange(from: string | null, to: string | null): void;
  setFilters(filters: ColumnFilter[]): void;
  setCounts(counts: TimelineCounts | null): void;
  reload(): void;
}

export const useTimelineStore = create<TimelineState>()((set) => ({
  search: '',
  from: null,
  to: null,
  filters: [],
  counts: null,
  reloadCount: 0,
  setSearch: (search) => set({ search: search.trim() }),
  setRange: (from, to) => set({ from, to }),
  setFilters: (filters) => set({ filters }),
  setCounts: (counts) => set({ counts }),
  reload: () => set((state) => ({ reloadCount: state.reloadCount + 1 })),
}));

/** The API query for the current state; empty parts are left out. */
export function timelineQuery(state: Pick<TimelineState, 'search' | 'from' | 'to' | 'filters'>): TimelineQuery {
  const query: TimelineQuery = {};
  if (state.search) query.search = state.search;
  if (state.from) query.from = state.from;
  if (state.to) query.to = state.to;
  if (state.filters.length > 0) query.filters = state.filters;
  return query;
}
