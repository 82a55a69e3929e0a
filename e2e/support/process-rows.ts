// Reads the layout of a process tree row, for the checks that its name and flags show.

import { expect, type Locator } from '@playwright/test';

interface Box {
  left: number;
  right: number;
}

interface RowLayout {
  name: string;
  /** The name is cut with an ellipsis. */
  nameEllipsized: boolean;
  nameBox: Box;
  cellBox: Box;
  /** The part of the tree the scroll box shows. */
  viewBox: Box;
  stripBox: Box | null;
  /** Chips and badges in display order, with the flag codes each represents. */
  markers: { text: string; codes: string[]; box: Box }[];
}

function readLayout(row: Locator): Promise<RowLayout> {
  return row.evaluate((element) => {
    const box = (target: Element): Box => {
      const rect = target.getBoundingClientRect();
      return { left: rect.left, right: rect.right };
    };
    const name = element.querySelector<HTMLElement>('.process-name')!;
    const strip = element.querySelector('.flag-strip');
    const markers = [...element.querySelectorAll<HTMLElement>('.flag-strip > [data-flag], .flag-strip > [data-flags]')].map((marker) => ({
      text: marker.textContent ?? '',
      codes: marker.dataset.flag ? [marker.dataset.flag] : (marker.dataset.flags ?? '').split(' '),
      box: box(marker),
    }));
    return {
      name: name.textContent ?? '',
      nameEllipsized: name.scrollWidth > name.clientWidth,
      nameBox: box(name),
      cellBox: box(element.querySelector('.process-name-cell')!),
      viewBox: box(element.closest('.process-tree')!),
      stripBox: strip ? box(strip) : null,
      markers,
    };
  });
}

/** Allowance for fractional pixel positions. */
const SLACK = 0.5;

function expectInside(inner: Box, outer: Box, description: string): void {
  expect(inner.left, `${description}: left edge`).toBeGreaterThanOrEqual(outer.left - SLACK);
  expect(inner.right, `${description}: right edge`).toBeLessThanOrEqual(outer.right + SLACK);
}

/**
 * Checks that a row shows its whole process name inside its cell and the visible part of
 * the tree, and that every flag chip or badge is whole. Returns the flag codes the row
 * shows, as chips or through a badge.
 */
export async function expectNameAndFlagsShown(row: Locator, expectedName: string): Promise<string[]> {
  const layout = await readLayout(row);
  expect(layout.name, 'process name text').toBe(expectedName);
  expect(layout.nameEllipsized, `${expectedName} cut with an ellipsis`).toBe(false);
  expectInside(layout.nameBox, layout.cellBox, `${expectedName} inside its cell`);
  expectInside(layout.nameBox, layout.viewBox, `${expectedName} inside the visible tree`);
  expect(layout.stripBox, `flag strip of ${expectedName}`).not.toBeNull();
  for (const marker of layout.markers) expectInside(marker.box, layout.stripBox!, `flag marker "${marker.text}" of ${expectedName}`);
  // The strip follows the name, so no flag covers it.
  expect(layout.stripBox!.left, `flags of ${expectedName} after the name`).toBeGreaterThanOrEqual(layout.nameBox.right - SLACK);
  return layout.markers.flatMap((marker) => marker.codes);
}
