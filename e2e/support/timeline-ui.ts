// Reads and sets the timeline the way the specs share: counts text, grid cells, column filters.

import type { Locator, Page } from '@playwright/test';

/** Formats counts as the toolbar prints them: `1,234 of 100,300 events`. */
export function countsText(matched: number, total: number): string {
  const format = new Intl.NumberFormat('en-US');
  return `${format.format(matched)} of ${format.format(total)} events`;
}

/** Finds the grid cell of a column in a row, by the row's index in the current result. */
export function rowCell(page: Page, rowIndex: number, columnId: string): Locator {
  return page.locator(`[data-testid="timeline-grid"] .ag-row[row-index="${rowIndex}"] .ag-cell[col-id="${columnId}"]`);
}

/** Sets the text filter of a column (its default operator, contains) from the column menu. */
export async function setColumnFilter(page: Page, columnId: string, text: string): Promise<void> {
  await page.locator(`.ag-header-cell[col-id="${columnId}"] .ag-header-cell-filter-button`).click();
  const input = page.locator('.ag-popup .ag-filter-body input[type="text"]').first();
  await input.fill(text);
  await input.press('Enter');
  await page.keyboard.press('Escape');
}
