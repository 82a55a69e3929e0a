// Column definitions of the timeline grid. Column ids are the API's TimelineColumn
// names, so a grid filter model translates to ColumnFilter[] one to one.

import type { ColDef, ValueGetterParams } from 'ag-grid-community';
import { TEXT_FILTER_OPS } from '../../../shared/api.ts';
import type { TimelineColumn, TimelineRow } from '../../../shared/events.ts';
import { formatEventTime } from '../time/format.ts';

/** Columns hidden by default that the user can show from the Columns menu. */
export const OPTIONAL_COLUMNS: { id: TimelineColumn; label: string }[] = [
  { id: 'process_image', label: 'Process image' },
  { id: 'dns_query', label: 'DNS query' },
  { id: 'url', label: 'URL' },
];

const textFilter: ColDef<TimelineRow> = {
  filter: 'agTextColumnFilter',
  filterParams: {
    filterOptions: [...TEXT_FILTER_OPS],
    // The API joins filters with AND only; one condition per column keeps the UI from offering OR.
    maxNumConditions: 1,
    debounceMs: 400,
    buttons: ['reset'],
  },
};

/** `10.0.0.1:443`, with IPv6 addresses in brackets; empty when the address is missing. */
export function formatEndpoint(address: string | null, port: number | null): string {
  if (address === null) return port === null ? '' : `:${port}`;
  const host = address.includes(':') ? `[${address}]` : address;
  return port === null ? host : `${host}:${port}`;
}

function endpointGetter(side: 'src' | 'dst') {
  return (params: ValueGetterParams<TimelineRow>): string => {
    const row = params.data;
    if (!row) return '';
    return side === 'src' ? formatEndpoint(row.src_ip, row.src_port) : formatEndpoint(row.dst_ip, row.dst_port);
  };
}

/** Column definitions for a display zone (an IANA name or `UTC`) and its label for the header. */
export function timelineColumns(zone: string, zoneText: string): ColDef<TimelineRow>[] {
  return [
    {
      colId: 'ts',
      field: 'ts',
      headerName: `Time (${zoneText})`,
      headerTooltip: `Event time shown in ${zoneText}; use From and To above to limit the range`,
      width: zone === 'UTC' ? 215 : 265,
      valueFormatter: (params) => formatEventTime(params.value ?? null, zone),
      cellClass: 'mono',
      // Time is filtered through the From/To range, which understands the display zone.
      filter: false,
    },
    { colId: 'source', field: 'source', headerName: 'Source', width: 95, ...textFilter },
    { colId: 'log', field: 'log', headerName: 'Log', width: 110, ...textFilter },
    { colId: 'host', field: 'host', headerName: 'Host', width: 130, ...textFilter },
    { colId: 'event_code', field: 'event_code', headerName: 'Event code', width: 110, ...textFilter },
    { colId: 'category', field: 'category', headerName: 'Category', width: 110, ...textFilter },
    { colId: 'message', field: 'message', headerName: 'Message', flex: 1, minWidth: 260, ...textFilter },
    {
      colId: 'src_ip',
      headerName: 'Src',
      headerTooltip: 'Source address and port; the filter applies to the address',
      valueGetter: endpointGetter('src'),
      width: 175,
      cellClass: 'mono',
      ...textFilter,
    },
    {
      colId: 'dst_ip',
      headerName: 'Dst',
      headerTooltip: 'Destination address and port; the filter applies to the address',
      valueGetter: endpointGetter('dst'),
      width: 175,
      cellClass: 'mono',
      ...textFilter,
    },
    { colId: 'user_name', field: 'user_name', headerName: 'User', width: 120, ...textFilter },
    { colId: 'process_image', field: 'process_image', headerName: 'Process image', width: 200, hide: true, ...textFilter },
    { colId: 'dns_query', field: 'dns_query', headerName: 'DNS query', width: 200, hide: true, ...textFilter },
    { colId: 'url', field: 'url', headerName: 'URL', width: 260, hide: true, ...textFilter },
  ];
}
