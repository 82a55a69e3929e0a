// Keyboard handling of the tree, after the WAI-ARIA tree view pattern
// (https://www.w3.org/WAI/ARIA/apg/patterns/treeview/). Up and Down move between shown
// rows. Right expands a node or enters it, and Left collapses it or moves to the parent.
// Home and End jump to the ends, PageUp and PageDown move by a screenful, and Enter opens
// the row.

import type { TreeRow } from './tree.ts';

export type TreeAction =
  | { type: 'select'; id: number }
  | { type: 'expand'; id: number }
  | { type: 'collapse'; id: number }
  | { type: 'open'; id: number };

/**
 * Returns the action for a key pressed in the tree, or null when the key does nothing
 * there (so the browser may handle it). `pageSize` is the number of rows one PageUp or
 * PageDown moves. Without a shown selected row, every movement key but End selects the
 * first row, and End selects the last.
 */
export function treeKeyAction(rows: readonly TreeRow[], selectedIndex: number, key: string, pageSize: number): TreeAction | null {
  if (rows.length === 0) return null;
  const selectAt = (index: number): TreeAction => ({ type: 'select', id: rows[Math.max(0, Math.min(rows.length - 1, index))]!.id });
  const current = selectedIndex >= 0 && selectedIndex < rows.length ? rows[selectedIndex]! : null;

  if (!current) {
    if (key === 'End') return selectAt(rows.length - 1);
    return ['ArrowDown', 'ArrowUp', 'ArrowRight', 'ArrowLeft', 'Home', 'PageDown', 'PageUp'].includes(key) ? selectAt(0) : null;
  }

  switch (key) {
    case 'ArrowDown':
      return selectAt(selectedIndex + 1);
    case 'ArrowUp':
      return selectAt(selectedIndex - 1);
    case 'PageDown':
      return selectAt(selectedIndex + Math.max(1, pageSize));
    case 'PageUp':
      return selectAt(selectedIndex - Math.max(1, pageSize));
    case 'Home':
      return selectAt(0);
    case 'End':
      return selectAt(rows.length - 1);
    case 'ArrowRight':
      if (!current.hasChildren) return null;
      // An expanded node's first child is the next row.
      return current.expanded ? selectAt(selectedIndex + 1) : { type: 'expand', id: current.id };
    case 'ArrowLeft':
      if (current.expanded) return { type: 'collapse', id: current.id };
      return current.parentId === null ? null : { type: 'select', id: current.parentId };
    case 'Enter':
      return { type: 'open', id: current.id };
    default:
      return null;
  }
}
