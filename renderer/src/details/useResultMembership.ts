// Follows whether the selected event is among the timeline's current results, and checks
// again whenever the search, time range, column filters, process filter or data change.

import { useEffect, useMemo, useState } from 'react';
import type { TimelineQuery } from '../../../shared/api.ts';
import { api } from '../api/client.ts';
import { describeError } from '../api/errors.ts';
import { useCaseStore } from '../state/caseInfo.ts';
import { timelineQuery, useTimelineStore } from '../state/timeline.ts';
import { histogramTotal, membershipQuery } from './membership.ts';

export type Membership =
  | { state: 'checking' }
  | { state: 'in' }
  | { state: 'out'; query: TimelineQuery }
  | { state: 'error'; message: string };

interface Checked {
  eventId: number;
  membership: Membership;
}

export function useResultMembership(eventId: number | null): Membership {
  const search = useTimelineStore((state) => state.search);
  const from = useTimelineStore((state) => state.from);
  const to = useTimelineStore((state) => state.to);
  const filters = useTimelineStore((state) => state.filters);
  const processFilter = useTimelineStore((state) => state.processFilter);
  const reloadCount = useTimelineStore((state) => state.reloadCount);
  const dataVersion = useCaseStore((state) => state.dataVersion);
  const query = useMemo(() => timelineQuery({ search, from, to, filters, processFilter }), [search, from, to, filters, processFilter]);
  const [checked, setChecked] = useState<Checked | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: reloadCount and dataVersion only trigger a new check
  useEffect(() => {
    if (eventId === null) return;
    const narrowed = membershipQuery(query, eventId);
    if (narrowed === null) {
      setChecked({ eventId, membership: { state: 'out', query } });
      return;
    }
    let current = true;
    // The histogram counts with the timeline's own conditions and builds no result table.
    // timelinePage would materialize one in the backend's small cache of recent queries
    // and could push out the result the grid is paging through.
    api.timelineHistogram(narrowed, 1).then(
      (histogram) => {
        if (current) setChecked({ eventId, membership: histogramTotal(histogram) > 0 ? { state: 'in' } : { state: 'out', query } });
      },
      (error: unknown) => {
        if (current) setChecked({ eventId, membership: { state: 'error', message: describeError(error) } });
      },
    );
    return () => {
      current = false;
    };
  }, [eventId, query, reloadCount, dataVersion]);

  // The previous result for the same event stays until the new one arrives, so the notice
  // does not blink while the search is typed. A newly selected event starts unknown.
  if (eventId === null || checked === null || checked.eventId !== eventId) return { state: 'checking' };
  return checked.membership;
}
