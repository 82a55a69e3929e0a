import { describe, expect, it } from 'vitest';
import { treeKeyAction } from './keyboard.ts';
import { sampleNodes } from './test-helpers.ts';
import { buildForest, flattenTree, indexRows, type TreeRow } from './tree.ts';

const forest = buildForest(sampleNodes());
// Rows: 1 (expanded) > 2, 4 (collapsed); 10 (expanded) > 11 (expanded) > 12; 13.
const rows = flattenTree(forest, new Set([1, 10, 11]));
const at = indexRows(rows);

function press(selectedId: number | null, key: string, shownRows: TreeRow[] = rows) {
  const index = selectedId === null ? -1 : (indexRows(shownRows).get(selectedId) ?? -1);
  return treeKeyAction(shownRows, index, key, 3);
}

describe('treeKeyAction', () => {
  it('checks the rows the cases below rely on', () => {
    expect(rows.map((row) => row.id)).toEqual([1, 2, 4, 10, 11, 12, 13]);
    expect(at.get(4)).toBe(2);
  });

  it('moves down and up and stops at the ends', () => {
    expect(press(2, 'ArrowDown')).toEqual({ type: 'select', id: 4 });
    expect(press(4, 'ArrowUp')).toEqual({ type: 'select', id: 2 });
    expect(press(13, 'ArrowDown')).toEqual({ type: 'select', id: 13 });
    expect(press(1, 'ArrowUp')).toEqual({ type: 'select', id: 1 });
  });

  it('expands a collapsed node on Right', () => {
    expect(press(4, 'ArrowRight')).toEqual({ type: 'expand', id: 4 });
  });

  it('goes to the first child of an expanded node on Right', () => {
    expect(press(10, 'ArrowRight')).toEqual({ type: 'select', id: 11 });
  });

  it('does nothing on Right at a leaf', () => {
    expect(press(12, 'ArrowRight')).toBeNull();
  });

  it('collapses an expanded node on Left', () => {
    expect(press(11, 'ArrowLeft')).toEqual({ type: 'collapse', id: 11 });
  });

  it('goes to the parent of a leaf or collapsed node on Left', () => {
    expect(press(12, 'ArrowLeft')).toEqual({ type: 'select', id: 11 });
    expect(press(4, 'ArrowLeft')).toEqual({ type: 'select', id: 1 });
  });

  it('does nothing on Left at a collapsed root', () => {
    const collapsed = flattenTree(forest, new Set());
    expect(press(10, 'ArrowLeft', collapsed)).toBeNull();
  });

  it('jumps to the ends on Home and End', () => {
    expect(press(11, 'Home')).toEqual({ type: 'select', id: 1 });
    expect(press(2, 'End')).toEqual({ type: 'select', id: 13 });
  });

  it('moves a page and clamps at the ends', () => {
    expect(press(1, 'PageDown')).toEqual({ type: 'select', id: 10 });
    expect(press(11, 'PageDown')).toEqual({ type: 'select', id: 13 });
    expect(press(11, 'PageUp')).toEqual({ type: 'select', id: 2 });
    expect(press(2, 'PageUp')).toEqual({ type: 'select', id: 1 });
  });

  it('opens the selected node on Enter', () => {
    expect(press(12, 'Enter')).toEqual({ type: 'open', id: 12 });
  });

  it('selects the first row when no shown row is selected', () => {
    expect(press(null, 'ArrowDown')).toEqual({ type: 'select', id: 1 });
    expect(press(6, 'ArrowUp')).toEqual({ type: 'select', id: 1 });
    expect(press(null, 'End')).toEqual({ type: 'select', id: 13 });
    expect(press(null, 'Enter')).toBeNull();
  });

  it('ignores other keys and an empty tree', () => {
    expect(press(1, 'a')).toBeNull();
    expect(treeKeyAction([], -1, 'ArrowDown', 3)).toBeNull();
  });
});
