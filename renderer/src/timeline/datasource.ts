// The infinite row model's datasource: one timelinePage call per grid block, keyed by
// row number, with the match count as the grid's last row.

import type { IDatasource, IGetRowsParams } from 'ag-grid-community';
import type { TimelinePage, TimelineQuery } from '../../../shared/api.ts';
import { api } from '../api/client.ts';
import { type GridFilterModel, toColumnFilters } from './filterModel.ts';

export interface DatasourceEvents {
  /** Called with each page of the latest query; pages of a query the grid already left are dropped. */
  onPage(page: TimelinePage): void;
  onError(error: unknown): void;
}

/**
 * Builds a datasource for a query without column filters. The grid's own filter model
 * is added to each request, because the grid purges its cache whenever that changes.
 */
export function createTimelineDatasource(baseQuery: TimelineQuery, events: DatasourceEvents): IDatasource {
  let latestQueryKey = '';
  return {
    getRows(params: IGetRowsParams) {
      let query: TimelineQuery;
      try {
        const filters = toColumnFilters((params.filterModel ?? {}) as GridFilterModel);
        query = filters.length > 0 ? { ...baseQuery, filters } : baseQuery;
      } catch (error) {
        params.failCallback();
        events.onError(error);
        return;
      }
      const queryKey = JSON.stringify(query);
      latestQueryKey = queryKey;
      api.timelinePage(query, params.startRow, params.endRow).then(
        (page) => {
          if (queryKey === latestQueryKey) events.onPage(page);
          params.successCallback(page.rows, page.matched);
        },
        (error: unknown) => {
          params.failCallback();
          events.onError(error);
        },
      );
    },
  };
}
