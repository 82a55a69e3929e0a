// Drives the workbench as an investigator would: import a generated Zeek bundle through
// the dialog, then check counts, scrolling, filters, search, details and the evidence
// list against what the generator wrote.

import type { TimelineRow } from '../shared/events.ts';
import { type GeneratedRecord, utcDisplay } from './support/zeek-bundle.ts';
import './support/grid-window.ts';
import { importThroughDialog } from './support/import-dialog.ts';
import { countsText, rowCell, setColumnFilter } from './support/timeline-ui.ts';
import { expect, test } from './support/workbench.ts';

test.describe.configure({ mode: 'serial' });

const SCREENSHOTS = 'test-results';

function endpoint(record: GeneratedRecord, side: 'src' | 'dst'): string {
  return side === 'src' ? `${record.src}:${record.srcPort}` : `${record.dst}:${record.dstPort}`;
}

// First, because it does not depend on the import that the later tests build on.
test('API rejects calls without the token', async ({ workbench, playwright }) => {
  test.skip(workbench.server === null, 'the desktop app has no HTTP API');
  const server = workbench.server!;
  const request = await playwright.request.newContext();
  try {
    const missing = await request.post(`${server.origin}/api/caseInfo`, { data: [], headers: { 'content-type': 'application/json' } });
    expect(missing.status()).toBe(401);
    expect((await missing.json()).error.code).toBe('unauthorized');

    const wrong = await request.post(`${server.origin}/api/caseInfo`, {
      data: [],
      headers: { 'content-type': 'application/json', 'x-casebook-token': '0'.repeat(server.token.length) },
    });
    expect(wrong.status()).toBe(401);

    const allowed = await request.post(`${server.origin}/api/caseInfo`, {
      data: [],
      headers: { 'content-type': 'application/json', 'x-casebook-token': server.token },
    });
    expect(allowed.status()).toBe(200);
    expect((await allowed.json()).result.path).toBe(workbench.casePath);
  } finally {
    await request.dispose();
  }
});

test('import dialog imports the bundle', async ({ workbench }) => {
  const { page, bundle } = workbench;
  await importThroughDialog(page, bundle.dir, 150_000);
  await expect(page.getByTestId('import-records')).toHaveText(new Intl.NumberFormat('en-US').format(bundle.total));

  const results = page.getByTestId('import-files');
  for (const evidencePath of bundle.sha256.keys()) {
    const row = results.locator('tr', { hasText: evidencePath });
    await expect(row, `import result row of ${evidencePath}`).toHaveAttribute('data-status', 'imported');
  }
  await page.screenshot({ path: `${SCREENSHOTS}/import.png` });
  await page.getByTestId('import-close').click();
  await expect(page.getByTestId('import-dialog')).toHaveCount(0);
});

test('timeline counts match the bundle', async ({ workbench }) => {
  const { page, bundle } = workbench;
  await expect(page.getByTestId('timeline-counts')).toHaveText(countsText(bundle.total, bundle.total));
  await expect(page.getByTestId('case-events')).toHaveText(`${new Intl.NumberFormat('en-US').format(bundle.total)} events`);
  const rowCount = await page.evaluate(() => window.casebookTimelineGrid?.getDisplayedRowCount());
  expect(rowCount).toBe(bundle.total);
  await expect(rowCell(page, 0, 'ts')).toHaveText(utcDisplay(bundle.records[0]!.tsMicros));
  await page.screenshot({ path: `${SCREENSHOTS}/timeline.png` });
});

test('timeline scrolls to the last event', async ({ workbench }) => {
  const { page, bundle } = workbench;
  const last = bundle.total - 1;
  await page.evaluate((index) => window.casebookTimelineGrid?.ensureIndexVisible(index, 'bottom'), last);
  await expect.poll(() => page.evaluate(() => window.casebookTimelineGrid?.getLastDisplayedRowIndex())).toBe(last);

  await expect(rowCell(page, last, 'ts')).toHaveText(utcDisplay(bundle.last.tsMicros));
  await expect(rowCell(page, last, 'src_ip')).toHaveText(endpoint(bundle.last, 'src'));
  await expect(rowCell(page, last, 'dst_ip')).toHaveText(endpoint(bundle.last, 'dst'));
  await expect(rowCell(page, last, 'log')).toHaveText(bundle.last.log);
  await page.screenshot({ path: `${SCREENSHOTS}/timeline-end.png` });
});

test('source filter and details pane', async ({ workbench }) => {
  const { page, bundle } = workbench;
  const suspect = bundle.suspect.records;
  // A record a few rows down, so its line number and time are not the file's first.
  const targetRow = 7;
  const first = suspect[targetRow]!;

  await setColumnFilter(page, 'src_ip', bundle.suspect.ip);
  await expect(page.getByTestId('timeline-counts')).toHaveText(countsText(suspect.length, bundle.total));
  await expect(rowCell(page, targetRow, 'ts')).toHaveText(utcDisplay(first.tsMicros));
  await expect(rowCell(page, targetRow, 'src_ip')).toHaveText(endpoint(first, 'src'));

  await rowCell(page, targetRow, 'message').click();
  const pane = page.getByTestId('details-pane');
  await expect(pane).toBeVisible();
  await expect(pane.getByTestId('details-evidence-path')).toHaveText(first.evidencePath);
  await expect(pane.getByTestId('details-evidence-sha256')).toHaveText(bundle.sha256.get(first.evidencePath)!);
  await expect(pane.getByTestId('details-locator')).toContainText(`line ${first.line}`);
  const fields = pane.getByTestId('details-fields');
  await expect(fields.locator('tr[data-field="src_ip"] td')).toHaveText(first.src);
  await expect(fields.locator('tr[data-field="src_port"] td')).toHaveText(String(first.srcPort));
  await expect(fields.locator('tr[data-field="dst_ip"] td')).toHaveText(first.dst);
  await expect(fields.locator('tr[data-field="zeek_uid"] td')).toHaveText(first.uid);
  await expect(fields.locator('tr[data-field="log"] td')).toHaveText(first.log);
  const record = pane.getByTestId('details-record');
  await expect(record).toContainText(`"uid": "${first.uid}"`);
  await expect(record).toContainText(`"id.orig_h": "${first.src}"`);
  await page.screenshot({ path: `${SCREENSHOTS}/details.png` });

  await page.keyboard.press('Escape');
  await expect(pane).toHaveCount(0);
});

test('search box finds a domain', async ({ workbench }) => {
  const { page, bundle } = workbench;
  const { text, records } = bundle.searchTerm;
  const fromSuspect = records.filter((record) => record.src === bundle.suspect.ip).length;

  // The source filter of the previous test still applies, so both narrow the result.
  const search = page.getByTestId('timeline-search');
  await search.fill(text);
  await search.press('Enter');
  await expect(page.getByTestId('timeline-counts')).toHaveText(countsText(fromSuspect, bundle.total));

  await page.getByTestId('clear-filters').click();
  await expect(page.getByTestId('timeline-counts')).toHaveText(countsText(records.length, bundle.total));
  const firstRow = await page.evaluate(
    () => (window.casebookTimelineGrid?.getDisplayedRowAtIndex(0)?.data as TimelineRow | undefined)?.message,
  );
  expect(firstRow).toContain(text);

  // The first match is a DNS query or an HTTP request; show the hidden column that holds the domain.
  const firstMatch = [...records].sort((a, b) => Number(a.tsMicros - b.tsMicros))[0]!;
  const domainColumn = firstMatch.log === 'dns' ? 'dns_query' : 'url';
  await page.locator('.columns-menu summary').click();
  await page.getByTestId(`column-toggle-${domainColumn}`).check();
  await page.locator('.columns-menu summary').click();
  await page.evaluate((column) => window.casebookTimelineGrid?.ensureColumnVisible(column), domainColumn);
  await expect(rowCell(page, 0, domainColumn)).toContainText(text);
  await page.screenshot({ path: `${SCREENSHOTS}/search.png` });

  await search.fill('');
  await search.press('Enter');
  await expect(page.getByTestId('timeline-counts')).toHaveText(countsText(bundle.total, bundle.total));
});

test('time range narrows the timeline', async ({ workbench }) => {
  const { page, bundle } = workbench;
  const from = bundle.records[1000]!;
  const to = bundle.records[2500]!;
  await page.getByTestId('timeline-from').fill(utcDisplay(from.tsMicros));
  await page.getByTestId('timeline-from').press('Enter');
  await page.getByTestId('timeline-to').fill(utcDisplay(to.tsMicros));
  await page.getByTestId('timeline-to').press('Enter');
  // From is inclusive and To exclusive, and every record has its own time.
  await expect(page.getByTestId('timeline-counts')).toHaveText(countsText(1500, bundle.total));
  await expect(rowCell(page, 0, 'ts')).toHaveText(utcDisplay(from.tsMicros));

  await page.getByTestId('timeline-from').fill('2024-03-10 99:00');
  await page.getByTestId('timeline-from').press('Enter');
  await expect(page.getByTestId('timeline-from')).toHaveAttribute('aria-invalid', 'true');

  await page.getByTestId('timeline-from').fill('');
  await page.getByTestId('timeline-from').press('Enter');
  await page.getByTestId('timeline-to').fill('');
  await page.getByTestId('timeline-to').press('Enter');
  await expect(page.getByTestId('timeline-counts')).toHaveText(countsText(bundle.total, bundle.total));
});

test('histogram brush selects a time range', async ({ workbench }) => {
  const { page, bundle } = workbench;
  const plot = page.getByTestId('histogram-plot');
  await expect(plot.locator('rect.bar').first()).toBeVisible();
  const box = (await plot.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();

  await expect(page.getByTestId('timeline-from')).not.toHaveValue('');
  const fromText = await page.getByTestId('timeline-from').inputValue();
  const toText = await page.getByTestId('timeline-to').inputValue();
  // The fields show whole seconds in UTC (the default zone); the range is [from, to).
  const fromMicros = BigInt(Date.parse(`${fromText.replace(' ', 'T')}Z`)) * 1000n;
  const toMicros = BigInt(Date.parse(`${toText.replace(' ', 'T')}Z`)) * 1000n;
  expect(toMicros).toBeGreaterThan(fromMicros);
  const inRange = bundle.records.filter((record) => record.tsMicros >= fromMicros && record.tsMicros < toMicros).length;
  expect(inRange).toBeGreaterThan(0);
  await expect(page.getByTestId('timeline-counts')).toHaveText(countsText(inRange, bundle.total));
  await page.screenshot({ path: `${SCREENSHOTS}/timeline-histogram-range.png` });

  await page.getByTestId('histogram-reset').click();
  await expect(page.getByTestId('timeline-from')).toHaveValue('');
  await expect(page.getByTestId('timeline-counts')).toHaveText(countsText(bundle.total, bundle.total));
});

test('time zone setting survives a reload', async ({ workbench }) => {
  const { page, bundle } = workbench;
  const first = bundle.records[0]!;
  const tokyo = `${utcDisplay(first.tsMicros + 9n * 3_600_000_000n)} +09:00`;

  await page.getByTestId('timezone-select').selectOption('Asia/Tokyo');
  await expect(page.locator('.ag-header-cell[col-id="ts"]')).toContainText('Time (Asia/Tokyo)');
  await expect(rowCell(page, 0, 'ts')).toHaveText(tokyo);

  // The token now lives in sessionStorage, so a reload needs no URL fragment.
  await page.reload();
  await expect(page.getByTestId('timeline-counts')).toHaveText(countsText(bundle.total, bundle.total));
  await expect(page.getByTestId('timezone-select')).toHaveValue('Asia/Tokyo');
  await expect(rowCell(page, 0, 'ts')).toHaveText(tokyo);

  await page.getByTestId('timezone-select').selectOption('UTC');
  await expect(rowCell(page, 0, 'ts')).toHaveText(utcDisplay(first.tsMicros));
});

test('evidence view lists hashes', async ({ workbench }) => {
  const { page, bundle } = workbench;
  await page.getByTestId('nav-evidence').click();
  const table = page.getByTestId('evidence-table');
  await expect(table).toBeVisible();
  for (const [evidencePath, sha256] of bundle.sha256) {
    const row = table.getByTestId('evidence-row').filter({ hasText: evidencePath });
    await expect(row, `evidence row of ${evidencePath}`).toHaveCount(1);
    await expect(row).toContainText(sha256);
    await expect(row).toHaveAttribute('data-status', 'imported');
  }
  await page.screenshot({ path: `${SCREENSHOTS}/evidence.png` });
  await page.getByTestId('nav-timeline').click();
});

test('page stays on the loopback host', async ({ workbench }) => {
  expect(workbench.offHostRequests).toEqual([]);
  expect(workbench.pageErrors).toEqual([]);
  // The token left the address bar once the page stored it.
  if (workbench.server) expect(workbench.page.url()).not.toContain('token=');
});
