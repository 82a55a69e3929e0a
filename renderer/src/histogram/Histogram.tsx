// Event-density histogram above the timeline. It counts the events matching the current
// query per time bucket; dragging across it (the brush) sets the timeline's time range,
// which zooms the histogram into that span. "Whole case" clears the range.

import { type PointerEvent, useEffect, useRef, useState } from 'react';
import type { TimelineHistogram } from '../../../shared/api.ts';
import { api } from '../api/client.ts';
import { formatCount } from '../format/numbers.ts';
import { useCaseStore } from '../state/caseInfo.ts';
import { reportError } from '../state/errors.ts';
import { timelineQuery, useTimelineStore } from '../state/timeline.ts';
import { useTimeZoneStore } from '../state/timeZone.ts';
import { formatEventTime } from '../time/format.ts';
import { resolveZone } from '../time/zones.ts';
import { brushedRange, bucketStart, describeWidth, labelIndexes } from './buckets.ts';
import './histogram.css';

const MAX_BUCKETS = 120;
const MAX_LABELS = 6;
/** Wait this long after the query changes before asking, so typing a search sends one request. */
const DEBOUNCE_MS = 200;
const PLOT_HEIGHT = 100;

/** Bucket under the pointer, from its x position within the plot. */
function bucketAt(event: PointerEvent<HTMLDivElement>, bucketCount: number): number {
  const box = event.currentTarget.getBoundingClientRect();
  const fraction = (event.clientX - box.left) / Math.max(box.width, 1);
  return Math.min(bucketCount - 1, Math.max(0, Math.floor(fraction * bucketCount)));
}

export function Histogram() {
  const search = useTimelineStore((state) => state.search);
  const from = useTimelineStore((state) => state.from);
  const to = useTimelineStore((state) => state.to);
  const filters = useTimelineStore((state) => state.filters);
  const processFilter = useTimelineStore((state) => state.processFilter);
  const reloadCount = useTimelineStore((state) => state.reloadCount);
  const setRange = useTimelineStore((state) => state.setRange);
  const dataVersion = useCaseStore((state) => state.dataVersion);
  const zone = resolveZone(useTimeZoneStore((state) => state.zone));
  const [histogram, setHistogram] = useState<TimelineHistogram | null>(null);
  const [brush, setBrush] = useState<{ anchor: number; current: number } | null>(null);
  const request = useRef(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the query parts, reloadCount and dataVersion only trigger a refetch
  useEffect(() => {
    const mine = ++request.current;
    const timer = window.setTimeout(() => {
      api.timelineHistogram(timelineQuery(useTimelineStore.getState()), MAX_BUCKETS).then(
        (result) => {
          if (mine === request.current) setHistogram(result);
        },
        (error: unknown) => {
          if (mine === request.current) reportError('Could not load the event histogram', error);
        },
      );
    }, DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [search, from, to, filters, processFilter, reloadCount, dataVersion]);

  const counts = histogram?.counts ?? [];
  const max = Math.max(1, ...counts);
  const ranged = from !== null || to !== null;

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (counts.length === 0 || event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    const index = bucketAt(event, counts.length);
    setBrush({ anchor: index, current: index });
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (brush) setBrush({ anchor: brush.anchor, current: bucketAt(event, counts.length) });
  };
  const onPointerUp = () => {
    if (!brush || !histogram) return;
    const range = brushedRange(histogram, brush.anchor, brush.current);
    setBrush(null);
    setRange(range.from, range.to);
  };

  const brushLow = brush ? Math.min(brush.anchor, brush.current) : 0;
  const brushHigh = brush ? Math.max(brush.anchor, brush.current) : 0;

  return (
    <div className="histogram" data-testid="histogram">
      <div className="histogram-head">
        <span>
          {histogram && histogram.counts.length > 0
            ? `Events per ${describeWidth(histogram.bucketSeconds)}: drag to select a time range`
            : 'No events with a time in this selection'}
        </span>
        {histogram !== null && histogram.outside > 0 && (
          <span title="Events without a time, or with a time flagged as a placeholder or implausible, are in the grid but not in the histogram">
            {formatCount(histogram.outside)} without a plausible time
          </span>
        )}
        {ranged && (
          <button type="button" data-testid="histogram-reset" onClick={() => setRange(null, null)}>
            Whole case
          </button>
        )}
      </div>
      {/* The brush is a pointer gesture; the From and To fields are the keyboard way to set the range. */}
      <div
        className="histogram-plot"
        data-testid="histogram-plot"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={() => setBrush(null)}
      >
        <svg
          viewBox={`0 0 ${Math.max(counts.length, 1)} ${PLOT_HEIGHT}`}
          preserveAspectRatio="none"
          role="img"
          aria-label="Event histogram"
        >
          {histogram !== null &&
            counts.map((count, index) => {
              if (count === 0) return null;
              // A single event still gets a visible sliver of height.
              const height = Math.max(3, (count / max) * PLOT_HEIGHT);
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: buckets are positions on the axis
                <rect key={index} className="bar" x={index + 0.08} width={0.84} y={PLOT_HEIGHT - height} height={height}>
                  <title>{`${formatEventTime(`${bucketStart(histogram, index).slice(0, 19)}.000000Z`, zone)}: ${formatCount(count)} events`}</title>
                </rect>
              );
            })}
          {brush && <rect className="brush" x={brushLow} width={brushHigh - brushLow + 1} y={0} height={PLOT_HEIGHT} />}
        </svg>
      </div>
      <div className="histogram-axis">
        {histogram !== null &&
          histogram.from !== null &&
          labelIndexes(counts.length, MAX_LABELS).map((index) => (
            <span key={index} style={{ left: `${(index / counts.length) * 100}%` }}>
              {formatEventTime(`${bucketStart(histogram, index).slice(0, 19)}.000000Z`, zone).slice(0, 19)}
            </span>
          ))}
      </div>
    </div>
  );
}
