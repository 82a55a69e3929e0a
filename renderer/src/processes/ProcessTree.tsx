// The tree itself: a scrolling box that renders only the rows in view. Every row has the
// same height, so the scroll offset alone determines which rows those are. The tree
// takes focus, handles the keys, and points at the selected row with aria-activedescendant.

import { type KeyboardEvent, type RefObject, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTimeZoneStore } from '../state/timeZone.ts';
import { resolveZone, zoneLabel } from '../time/zones.ts';
import { treeKeyAction } from './keyboard.ts';
import { ProcessRow, ROW_HEIGHT, rowElementId } from './ProcessRow.tsx';
import { useProcessStore } from './store.ts';
import { flattenTree, indexRows, type ProcessForest } from './tree.ts';
import { rowsPerPage, rowWindow, scrollToReveal } from './windowing.ts';

/** Rows rendered beyond each edge of the viewport. */
const OVERSCAN = 12;

/** Column titles; the tree scrolls them sideways with itself through `frame`. */
function TreeHeader(props: { zoneText: string; frame: RefObject<HTMLDivElement | null> }) {
  return (
    <div className="process-header-frame" ref={props.frame} aria-hidden="true">
      <div className="process-header">
        <span className="process-name-cell">Process</span>
        <span className="process-pid">PID</span>
        <span className="process-start">Start ({props.zoneText})</span>
        <span className="process-sources">Seen by</span>
        <span className="process-user">User</span>
        <span className="process-cmdline">Command line</span>
      </div>
    </div>
  );
}

export function ProcessTree(props: { forest: ProcessForest; host: string }) {
  const { forest } = props;
  const expanded = useProcessStore((state) => state.expanded);
  const search = useProcessStore((state) => state.search);
  const selectedId = useProcessStore((state) => state.selectedId);
  const revealRequest = useProcessStore((state) => state.revealRequest);
  const setting = useTimeZoneStore((state) => state.zone);
  const zone = resolveZone(setting);

  const rows = useMemo(() => flattenTree(forest, expanded, search?.visible ?? null), [forest, expanded, search]);
  const rowIndex = useMemo(() => indexRows(rows), [rows]);
  const matchSet = useMemo(() => new Set(search?.matches ?? []), [search]);

  const viewport = useRef<HTMLDivElement>(null);
  const header = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(0);

  useLayoutEffect(() => {
    const element = viewport.current;
    if (!element) return;
    setHeight(element.clientHeight);
    const observer = new ResizeObserver(() => setHeight(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // Scroll once per reveal request, after the rows that contain the selection are rendered.
  // The first request handled is the one current at mount, which brings back the selection
  // after a visit to another view.
  const handledReveal = useRef(-1);
  useEffect(() => {
    const element = viewport.current;
    if (!element || handledReveal.current === revealRequest || height === 0) return;
    handledReveal.current = revealRequest;
    const index = selectedId === null ? undefined : rowIndex.get(selectedId);
    if (index === undefined) return;
    const target = scrollToReveal(index, element.scrollTop, element.clientHeight, ROW_HEIGHT);
    if (target !== null) {
      element.scrollTop = target;
      setScrollTop(target);
    }
  }, [revealRequest, rowIndex, selectedId, height]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const selectedIndex = selectedId === null ? -1 : (rowIndex.get(selectedId) ?? -1);
    const action = treeKeyAction(rows, selectedIndex, event.key, rowsPerPage(height, ROW_HEIGHT));
    if (!action) return;
    event.preventDefault();
    const store = useProcessStore.getState();
    if (action.type === 'select') store.select(action.id, true);
    else if (action.type === 'expand') store.expand(action.id);
    else if (action.type === 'collapse') store.collapse(action.id);
    else store.open(action.id);
  };

  const { start, end } = rowWindow(scrollTop, height, ROW_HEIGHT, rows.length, OVERSCAN);
  const selectedShown = selectedId !== null && rowIndex.has(selectedId);
  const query = search?.query ?? '';
  const { toggle, open } = useProcessStore.getState();

  return (
    <div className="process-tree-frame">
      <TreeHeader zoneText={zoneLabel(setting)} frame={header} />
      <div
        ref={viewport}
        className="process-tree"
        role="tree"
        aria-label={`Processes on ${props.host}`}
        aria-activedescendant={selectedShown ? rowElementId(selectedId) : undefined}
        tabIndex={0}
        data-testid="process-tree"
        data-rows={rows.length}
        onKeyDown={onKeyDown}
        onScroll={(event) => {
          setScrollTop(event.currentTarget.scrollTop);
          if (header.current) header.current.scrollLeft = event.currentTarget.scrollLeft;
        }}
      >
        <div className="process-tree-canvas" style={{ height: rows.length * ROW_HEIGHT }}>
          {rows.slice(start, end).map((row, offset) => (
            <ProcessRow
              key={row.id}
              row={row}
              node={forest.byId.get(row.id)!}
              top={(start + offset) * ROW_HEIGHT}
              selected={row.id === selectedId}
              query={query}
              matched={matchSet.has(row.id)}
              zone={zone}
              onToggle={toggle}
              onOpen={open}
            />
          ))}
        </div>
        {rows.length === 0 && (
          <p className="secondary process-tree-empty">{search ? `No process matches "${search.query}".` : 'No processes on this host.'}</p>
        )}
      </div>
    </div>
  );
}
