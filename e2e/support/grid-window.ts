// The timeline grid API that the renderer puts on `window` for these tests.

import type { GridApi } from 'ag-grid-community';
import type { TimelineRow } from '../../shared/events.ts';

declare global {
  interface Window {
    casebookTimelineGrid?: GridApi<TimelineRow>;
  }
}
