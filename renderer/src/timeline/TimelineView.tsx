// The timeline: every event in time order through ag-grid's infinite row model.

import type { CellKeyDownEvent, GridApi, GridReadyEvent, RowClickedEvent } from 'ag-grid-community';
import { AgGridReact } from 'ag-grid-react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { TimelineRow } from '../../../shared/events.ts';
import { gridTheme } from '../grid/theme.ts';
import { Histogram } from '../histogram/Histogram.tsx';
import { useCaseStore } from '../state/caseInfo.ts';
import { reportError } from '../state/errors.ts';
import { useSelectionStore } from '../state/selection.ts';
import { timelineQuery, useTimelineStore } from '../state/timeline.ts';
import { useTimeZoneStore } from '../state/timeZone.ts';
import { resolveZone, zoneLabel } from '../time/zones.ts';
import { timelineColumns } from './columns.ts';
import { createTimelineDatasource } from './datasource.ts';
import { type GridFilterModel, toColumnFilters } from './filterModel.ts';
import { TimelineToolbar } from './Toolbar.tsx';

declare global {
  interface Window {
    /** The timeline's grid API, for end-to-end tests that scroll and read rows. */
    casebookTimelineGrid?: GridApi<TimelineRow>;
  }
}

/** Rows per timelinePage request; the backend pages by row number, so any size is cheap. */
const BLOCK_SIZE = 200;

export function TimelineView() {
  const setting = useTimeZoneStore((state) => state.zone);
  const zone = resolveZone(setting);
  const columnDefs = useMemo(() => timelineColumns(zone, zoneLabel(setting)), [zone, setting]);
  const [grid, setGrid] = useState<GridApi<TimelineRow> | null>(null);
  const generation = useRef(0);

  const search = useTimelineStore((state) => state.search);
  const from = useTimelineStore((state) => state.from);
  const to = useTimelineStore((state) => state.to);
  const processFilter = useTimelineStore((state) => state.processFilter);
  const reloadCount = useTimelineStore((state) => state.reloadCount);
  const dataVersion = useCaseStore((state) => state.dataVersion);
  const select = useSelectionStore((state) => state.select);

  // A new datasource resets the grid: cache purged, scroll at the top, row count re-read.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reloadCount and dataVersion only trigger a refetch
  useEffect(() => {
    if (!grid) return;
    generation.current += 1;
    const mine = generation.current;
    useTimelineStore.getState().setCounts(null);
    const datasource = createTimelineDatasource(timelineQuery({ search, from, to, filters: [], processFilter }), {
      onPage: (page) => {
        if (mine === generation.current) useTimelineStore.getState().setCounts({ matched: page.matched, total: page.total });
      },
      onError: (error) => {
        if (mine === generation.current) reportError('Could not load timeline rows', error);
      },
    });
    grid.setGridOption('datasource', datasource);
  }, [grid, search, from, to, processFilter, reloadCount, dataVersion]);

  // Cells keep their formatted text until refreshed, so a zone change redraws the time column.
  // biome-ignore lint/correctness/useExhaustiveDependencies: zone only triggers the redraw
  useEffect(() => {
    grid?.refreshCells({ columns: ['ts'], force: true });
  }, [grid, zone]);

  const onGridReady = useCallback((event: GridReadyEvent<TimelineRow>) => {
    window.casebookTimelineGrid = event.api;
    setGrid(event.api);
  }, []);

  const onFilterChanged = useCallback(() => {
    if (!grid) return;
    try {
      useTimelineStore.getState().setFilters(toColumnFilters(grid.getFilterModel() as GridFilterModel));
    } catch (error) {
      reportError('Column filter not applied', error);
    }
  }, [grid]);

  const onRowClicked = useCallback(
    (event: RowClickedEvent<TimelineRow>) => {
      if (event.data) select(event.data.event_id);
    },
    [select],
  );

  const onCellKeyDown = useCallback(
    (event: CellKeyDownEvent<TimelineRow>) => {
      if ((event.event as KeyboardEvent | undefined)?.key === 'Enter' && event.data) select(event.data.event_id);
    },
    [select],
  );

  return (
    <section className="timeline" aria-label="Timeline">
      <TimelineToolbar grid={grid} />
      <Histogram />
      <div className="grid-host" data-testid="timeline-grid">
        <AgGridReact<TimelineRow>
          theme={gridTheme}
          columnDefs={columnDefs}
          defaultColDef={{ resizable: true, sortable: false, suppressHeaderMenuButton: false }}
          rowModelType="infinite"
          cacheBlockSize={BLOCK_SIZE}
          maxBlocksInCache={100}
          maxConcurrentDatasourceRequests={2}
          // With 0 the grid never asks for a block, so the counts of an empty result would never arrive.
          infiniteInitialRowCount={1}
          getRowId={(params) => String(params.data.event_id)}
          rowSelection={{ mode: 'singleRow', checkboxes: false, enableClickSelection: true }}
          onGridReady={onGridReady}
          onFilterChanged={onFilterChanged}
          onRowClicked={onRowClicked}
          onCellKeyDown={onCellKeyDown}
          overlayNoRowsTemplate="No events match."
        />
      </div>
    </section>
  );
}
