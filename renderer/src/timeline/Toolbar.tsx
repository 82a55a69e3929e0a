// The controls above the timeline: free-text search, time range, counts and column choice.

import type { GridApi } from 'ag-grid-community';
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import type { TimelineRow } from '../../../shared/events.ts';
import { formatCount } from '../format/numbers.ts';
import { useTimelineStore } from '../state/timeline.ts';
import { useTimeZoneStore } from '../state/timeZone.ts';
import { formatEventTime, parseInputTime } from '../time/format.ts';
import { resolveZone, zoneLabel } from '../time/zones.ts';
import { OPTIONAL_COLUMNS } from './columns.ts';

const SEARCH_DEBOUNCE_MS = 350;

function SearchBox() {
  const applied = useTimelineStore((state) => state.search);
  const setSearch = useTimelineStore((state) => state.setSearch);
  const [text, setText] = useState(applied);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const apply = (value: string) => {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
    setSearch(value);
  };

  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
    },
    [],
  );

  return (
    <label className="field">
      <span>Search</span>
      <input
        type="search"
        data-testid="timeline-search"
        placeholder="words in message, host, IP, URL…"
        value={text}
        onChange={(event) => {
          const value = event.target.value;
          setText(value);
          if (timer.current !== null) clearTimeout(timer.current);
          timer.current = setTimeout(() => apply(value), SEARCH_DEBOUNCE_MS);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') apply(text);
        }}
      />
    </label>
  );
}

/** A time bound typed in the display zone; applied on Enter or when the field loses focus. */
function TimeBoundInput(props: { bound: 'from' | 'to'; zone: string; zoneText: string }) {
  const { bound, zone, zoneText } = props;
  const applied = useTimelineStore((state) => state[bound]);
  const setRange = useTimelineStore((state) => state.setRange);
  const [text, setText] = useState('');
  const [invalid, setInvalid] = useState(false);

  // Show the applied bound in the current zone, also after the zone changes.
  useEffect(() => {
    setText(applied === null ? '' : formatEventTime(applied, zone));
    setInvalid(false);
  }, [applied, zone]);

  const apply = () => {
    const trimmed = text.trim();
    const parsed = trimmed === '' ? null : parseInputTime(trimmed, zone);
    if (trimmed !== '' && parsed === null) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    const state = useTimelineStore.getState();
    if (bound === 'from') setRange(parsed, state.to);
    else setRange(state.from, parsed);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') apply();
  };

  const label = bound === 'from' ? 'From' : 'To';
  const hint = `${label === 'From' ? 'Earliest time, inclusive' : 'Latest time, exclusive'}, in ${zoneText}: YYYY-MM-DD HH:MM:SS[.ffffff]`;
  return (
    <label className="field">
      <span>{label}</span>
      <input
        type="text"
        className={invalid ? 'mono invalid' : 'mono'}
        data-testid={`timeline-${bound}`}
        placeholder="YYYY-MM-DD HH:MM:SS"
        title={invalid ? `Not a valid time. ${hint}` : hint}
        aria-invalid={invalid}
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
        onBlur={apply}
      />
    </label>
  );
}

function Counts() {
  const counts = useTimelineStore((state) => state.counts);
  return (
    <output className="counts" data-testid="timeline-counts" aria-live="polite">
      {counts === null ? 'counting…' : `${formatCount(counts.matched)} of ${formatCount(counts.total)} events`}
    </output>
  );
}

/** Shows the process filter set by the jump from the process tree, with a button that removes it. */
function ProcessFilterChip() {
  const filter = useTimelineStore((state) => state.processFilter);
  const clear = useTimelineStore((state) => state.clearProcessFilter);
  if (!filter) return null;
  const cut = filter.total > filter.eventIds.length;
  return (
    <span className="chip" data-testid="timeline-process-filter">
      <span className="chip-text">
        process: {filter.label}
        {cut && ` (first ${formatCount(filter.eventIds.length)} of ${formatCount(filter.total)} events)`}
      </span>
      <button
        type="button"
        aria-label={`Remove the filter on process ${filter.label}`}
        data-testid="timeline-process-filter-remove"
        onClick={clear}
      >
        ✕
      </button>
    </span>
  );
}

function ColumnsMenu(props: { grid: GridApi<TimelineRow> | null }) {
  const [shown, setShown] = useState<Set<string>>(new Set());
  return (
    <details className="columns-menu">
      <summary>Columns</summary>
      <div className="columns-menu-body">
        {OPTIONAL_COLUMNS.map((column) => (
          <label key={column.id}>
            <input
              type="checkbox"
              data-testid={`column-toggle-${column.id}`}
              checked={shown.has(column.id)}
              onChange={(event) => {
                const next = new Set(shown);
                if (event.target.checked) next.add(column.id);
                else next.delete(column.id);
                setShown(next);
                props.grid?.setColumnsVisible([column.id], event.target.checked);
              }}
            />
            {column.label}
          </label>
        ))}
      </div>
    </details>
  );
}

export function TimelineToolbar(props: { grid: GridApi<TimelineRow> | null }) {
  const setting = useTimeZoneStore((state) => state.zone);
  const zone = resolveZone(setting);
  const zoneText = zoneLabel(setting);
  const filters = useTimelineStore((state) => state.filters);
  return (
    <search className="toolbar">
      <SearchBox />
      <TimeBoundInput bound="from" zone={zone} zoneText={zoneText} />
      <TimeBoundInput bound="to" zone={zone} zoneText={zoneText} />
      <ProcessFilterChip />
      {filters.length > 0 && (
        <button type="button" data-testid="clear-filters" onClick={() => props.grid?.setFilterModel(null)}>
          Clear {filters.length} column filter{filters.length === 1 ? '' : 's'}
        </button>
      )}
      <ColumnsMenu grid={props.grid} />
      <Counts />
    </search>
  );
}
