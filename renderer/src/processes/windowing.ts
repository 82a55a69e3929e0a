// Row windowing for the tree: with a fixed row height, the rows on screen follow from
// the scroll offset alone, so only those (plus a margin) are rendered.

export interface RowWindow {
  /** First rendered row index. */
  start: number;
  /** One past the last rendered row index. */
  end: number;
}

/**
 * Returns the rows to render for a viewport: those that intersect it plus `overscan` rows on
 * each side, so a fast scroll does not show blank space before React catches up.
 * Heights and offsets are in CSS pixels.
 */
export function rowWindow(scrollTop: number, viewportHeight: number, rowHeight: number, rowCount: number, overscan: number): RowWindow {
  if (rowCount === 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const top = Math.max(0, scrollTop);
  const firstVisible = Math.min(rowCount - 1, Math.floor(top / rowHeight));
  const lastVisible = Math.min(rowCount - 1, Math.ceil((top + Math.max(0, viewportHeight)) / rowHeight) - 1);
  return {
    start: Math.max(0, firstVisible - overscan),
    end: Math.min(rowCount, Math.max(firstVisible, lastVisible) + 1 + overscan),
  };
}

/**
 * Returns the scroll offset that brings row `index` fully into view with the least movement,
 * or null when it is already fully visible.
 */
export function scrollToReveal(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number | null {
  const rowTop = index * rowHeight;
  const rowBottom = rowTop + rowHeight;
  if (rowTop < scrollTop) return rowTop;
  if (rowBottom > scrollTop + viewportHeight) return Math.max(0, rowBottom - viewportHeight);
  return null;
}

/** Whole rows that fit in the viewport, at least one: the PageUp and PageDown step. */
export function rowsPerPage(viewportHeight: number, rowHeight: number): number {
  return Math.max(1, Math.floor(viewportHeight / rowHeight));
}
