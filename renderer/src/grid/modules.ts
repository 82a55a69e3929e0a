// ag-grid 33+ ships features as modules. A grid API method whose module is missing
// returns undefined in a production build without a warning, so every module the
// views call into is registered here, once.

import {
  CellStyleModule,
  ColumnApiModule,
  InfiniteRowModelModule,
  ModuleRegistry,
  RenderApiModule,
  RowApiModule,
  RowSelectionModule,
  ScrollApiModule,
  TextFilterModule,
  TooltipModule,
  ValidationModule,
} from 'ag-grid-community';

ModuleRegistry.registerModules([
  InfiniteRowModelModule,
  RowSelectionModule,
  RowApiModule,
  ScrollApiModule,
  ColumnApiModule,
  RenderApiModule,
  TextFilterModule,
  TooltipModule,
  CellStyleModule,
  // Development builds warn about missing modules and invalid options.
  ...(import.meta.env.DEV ? [ValidationModule] : []),
]);
