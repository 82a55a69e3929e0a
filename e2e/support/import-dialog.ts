// Imports a folder through the Import dialog, as an investigator would.

import { expect, type Page } from '@playwright/test';

/** Opens the dialog, starts an import of `dir` and waits until it is done. The dialog stays open. */
export async function importThroughDialog(page: Page, dir: string, timeoutMs: number): Promise<void> {
  await page.getByTestId('import-open').click();
  await page.getByTestId('import-paths').fill(dir);
  await page.getByTestId('import-start').click();
  const progress = page.getByTestId('import-progress');
  await expect(progress).toBeVisible();
  await expect(progress).toHaveAttribute('data-state', 'done', { timeout: timeoutMs });
}
