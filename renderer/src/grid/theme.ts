// Grid theme with system fonts only: the default Quartz theme names a web font, and
// Casebook loads nothing from the network.

import { themeQuartz } from 'ag-grid-community';

export const gridTheme = themeQuartz.withParams({
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif',
  fontSize: 13,
  headerFontSize: 13,
  rowHeight: 28,
  headerHeight: 32,
  spacing: 5,
  accentColor: '#1f4e79',
});
