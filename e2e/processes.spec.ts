// Drives the process tree as a hunter would. The bundle contains Sysmon exports and
// Volatility output of a host where one process hides from pslist. The tests find that
// process through "Expand to flagged", read its flag, sources and details, and jump to
// its events on the timeline.

import type { Locator, Page } from '@playwright/test';
import { FIN_HOST, HR_HOST } from './support/process-bundle.ts';
import './support/grid-window.ts';
import { importThroughDialog } from './support/import-dialog.ts';
import { expectNameAndFlagsShown } from './support/process-rows.ts';
import { expect, test } from './support/process-workbench.ts';
import { countsText, rowCell } from './support/timeline-ui.ts';

test.describe.configure({ mode: 'serial' });

const SCREENSHOTS = 'test-results';
const count = new Intl.NumberFormat('en-US');

function nodeByPid(page: Page, pid: number): Locator {
  return page.locator(`[role="treeitem"][data-pid="${pid}"]`);
}

test('import the process bundle', async ({ processCase }) => {
  const { page, bundle } = processCase;
  await importThroughDialog(page, bundle.dir, 60_000);
  await expect(page.getByTestId('import-records')).toHaveText(count.format(bundle.total));
  await page.getByTestId('import-close').click();
  await expect(page.getByTestId('timeline-counts')).toHaveText(countsText(bundle.total, bundle.total));
});

test('host picker lists the busiest host first', async ({ processCase }) => {
  const { page, bundle } = processCase;
  await page.getByTestId('nav-processes').click();
  const picker = page.getByTestId('process-host');
  await expect(picker).toHaveValue(FIN_HOST);
  const options = picker.locator('option');
  await expect(options).toHaveCount(2);
  const [fin, hr] = bundle.hosts;
  await expect(options.nth(0)).toHaveText(`${FIN_HOST}: ${fin!.processes} processes, 3 flagged`);
  await expect(options.nth(1)).toHaveText(`${HR_HOST}: ${hr!.processes} processes, 0 flagged`);
  await expect(page.getByRole('tree')).toHaveAttribute('aria-label', `Processes on ${FIN_HOST}`);
});

test('expand to flagged shows the hidden process', async ({ processCase }) => {
  const { page, bundle } = processCase;
  const { hidden } = bundle;
  // Only roots are expanded at first, and the hidden process sits four levels down.
  await expect(nodeByPid(page, hidden.pid)).toHaveCount(0);

  await page.getByTestId('process-expand-flagged').click();
  const node = nodeByPid(page, hidden.pid);
  await expect(node).toBeVisible();
  await expect(node).toHaveAttribute('aria-level', String(hidden.depth + 1));
  await expect(node).toHaveAttribute('data-severity', 'high');
  await expect(node).toContainText(hidden.name);

  const flag = node.locator('[data-flag="hidden_from_pslist"]');
  await expect(flag).toBeVisible();
  await expect(flag).toHaveAttribute('title', /^high: .*pslist/);
  expect(await expectNameAndFlagsShown(node, hidden.name)).toEqual(['hidden_from_pslist']);
  expect(await expectNameAndFlagsShown(nodeByPid(page, hidden.parentPid), 'powershell.exe')).toEqual(['encoded_powershell']);

  await expect(node.locator('[data-source="sysmon"]')).toHaveText('Sysmon');
  await expect(node.locator('[data-source="psscan"]')).toHaveText('psscan');
  await expect(node.locator('[data-source="pslist"]')).toHaveCount(0);
  await expect(node.locator('[data-source="psscan"]')).toHaveAttribute('title', /pool tags/);

  // Its parent is expanded and one level up; the first flagged node in tree order is selected.
  const parent = nodeByPid(page, hidden.parentPid);
  await expect(parent).toHaveAttribute('aria-expanded', 'true');
  await expect(parent).toHaveAttribute('aria-level', String(hidden.depth));
  await expect(page.locator('[role="treeitem"][aria-selected="true"]')).toHaveCount(1);
  await expect(page.locator('[role="treeitem"][aria-selected="true"]')).toHaveAttribute('data-severity', /high|medium/);

  await node.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENSHOTS}/process-tree.png` });
});

test('keyboard moves through the tree', async ({ processCase }) => {
  const { page, bundle } = processCase;
  const { hidden } = bundle;
  const tree = page.getByRole('tree');
  const selected = page.locator('[role="treeitem"][aria-selected="true"]');

  await nodeByPid(page, hidden.pid).click();
  await expect(selected).toHaveAttribute('data-pid', String(hidden.pid));
  await expect(tree).toBeFocused();

  await page.keyboard.press('ArrowLeft');
  await expect(selected).toHaveAttribute('data-pid', String(hidden.parentPid));
  await expect(tree).toHaveAttribute('aria-activedescendant', (await selected.getAttribute('id'))!);

  // The parent is expanded, so Left collapses it and Right expands it again.
  await page.keyboard.press('ArrowLeft');
  await expect(nodeByPid(page, hidden.parentPid)).toHaveAttribute('aria-expanded', 'false');
  await expect(nodeByPid(page, hidden.pid)).toHaveCount(0);
  await page.keyboard.press('ArrowRight');
  await expect(nodeByPid(page, hidden.parentPid)).toHaveAttribute('aria-expanded', 'true');

  // Right on an expanded node moves to its first (and here only) child.
  await page.keyboard.press('ArrowRight');
  await expect(selected).toHaveAttribute('data-pid', String(hidden.pid));

  await page.keyboard.press('Home');
  await expect(selected).toHaveAttribute('aria-level', '1');
  await expect(selected).toHaveAttribute('aria-posinset', '1');
  await page.keyboard.press('End');
  await expect(page.locator('[role="treeitem"]').last()).toHaveAttribute('aria-selected', 'true');

  // Back to the hidden process for the next test: Enter opens its details.
  await nodeByPid(page, hidden.pid).click();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('process-details')).toHaveAttribute('aria-label', `Process ${hidden.name} (PID ${hidden.pid})`);
});

test('search narrows the tree to matches and their ancestors', async ({ processCase }) => {
  const { page, bundle } = processCase;
  const { hidden } = bundle;
  const search = page.getByTestId('process-search');
  await search.fill('rtkmon');
  await expect(page.getByTestId('process-match-count')).toHaveText('1 of 1 match');
  // explorer.exe > WINWORD.EXE > cmd.exe > powershell.exe > rtkmon.exe
  await expect(page.getByRole('tree')).toHaveAttribute('data-rows', String(hidden.depth + 1));
  await expect(nodeByPid(page, hidden.pid).locator('mark').first()).toHaveText('rtkmon');

  // A PID matches in full: 4716 is the hidden process alone.
  await search.fill(String(hidden.pid));
  await expect(page.getByTestId('process-match-count')).toHaveText('1 of 1 match');
  await expect(nodeByPid(page, hidden.pid).locator('.process-pid mark')).toHaveText(String(hidden.pid));

  // Several matches: Enter steps to the next one. The search hides the process whose
  // details are open, and the pane reports it.
  const details = page.getByTestId('process-details');
  await search.fill('svchost');
  await expect(page.getByTestId('process-match-count')).toHaveText('1 of 2 matches');
  await expect(details).toHaveAttribute('data-placement', 'hidden-by-search');
  await expect(details.getByTestId('process-details-placement')).toContainText('the search "svchost" hides it');
  await search.press('Enter');
  await expect(page.getByTestId('process-match-count')).toHaveText('2 of 2 matches');
  await page.getByTestId('process-match-next').click();
  await expect(page.getByTestId('process-match-count')).toHaveText('1 of 2 matches');

  await search.press('Escape');
  await expect(search).toHaveValue('');
  await expect(page.getByTestId('process-match-count')).toHaveCount(0);
  await expect(nodeByPid(page, hidden.pid)).toBeVisible();
  await expect(details).toHaveAttribute('data-placement', 'shown');

  // The pane's button clears a search that hides its process and selects it.
  await search.fill('svchost');
  await expect(details).toHaveAttribute('data-placement', 'hidden-by-search');
  await details.getByTestId('process-details-show').click();
  await expect(search).toHaveValue('');
  await expect(nodeByPid(page, hidden.pid)).toHaveAttribute('aria-selected', 'true');
  await expect(details).toHaveAttribute('data-placement', 'shown');
  await expect(details.getByTestId('process-details-placement')).toHaveCount(0);
});

test('details show sources, flag and activity', async ({ processCase }) => {
  const { page, bundle } = processCase;
  const { hidden } = bundle;
  const details = page.getByTestId('process-details');
  await expect(details).toBeVisible();

  await expect(details.getByTestId('process-flags').locator('[data-flag="hidden_from_pslist"]')).toContainText('pslist');
  await expect(details.locator('dd[data-field="Host"]')).toHaveText(FIN_HOST);
  await expect(details.locator('dd[data-field="Command line"]')).toContainText(hidden.commandLine);
  await expect(details.locator('dd[data-field="Sources"]')).toHaveText('Sysmon, psscan');

  const sightings = details.getByTestId('process-sightings');
  await expect(sightings.locator('tbody tr[data-source="sysmon"]')).toHaveCount(1);
  await expect(sightings.locator('tbody tr[data-source="psscan"]')).toHaveCount(1);
  await expect(sightings.locator('tbody tr[data-source="pslist"]')).toHaveCount(0);

  await expect(details.getByTestId('process-network')).toContainText(hidden.networkDestination);
  await expect(details.getByTestId('process-files')).toContainText(hidden.filePath);
  await expect(details.getByTestId('process-parent')).toHaveText(`powershell.exe (PID ${hidden.parentPid})`);
  await page.screenshot({ path: `${SCREENSHOTS}/process-details.png` });

  // The parent link selects the parent and opens its details; its child list leads back.
  await details.getByTestId('process-parent').click();
  await expect(details).toHaveAttribute('aria-label', `Process powershell.exe (PID ${hidden.parentPid})`);
  await expect(page.locator('[role="treeitem"][aria-selected="true"]')).toHaveAttribute('data-pid', String(hidden.parentPid));
  await details
    .getByTestId('process-children')
    .getByRole('button', { name: `${hidden.name} (PID ${hidden.pid})` })
    .click();
  await expect(details).toHaveAttribute('aria-label', `Process ${hidden.name} (PID ${hidden.pid})`);
});

test('jump shows the process events on the timeline', async ({ processCase }) => {
  const { page, bundle } = processCase;
  const { hidden } = bundle;
  // An event selected on the whole timeline before the jump.
  await page.getByTestId('nav-timeline').click();
  await rowCell(page, 0, 'message').click();
  const pane = page.getByTestId('details-pane');
  const selectedId = Number(await pane.getByTestId('details-fields').locator('tr[data-field="event_id"] td').textContent());
  await expect(pane).toHaveAttribute('data-membership', 'in');
  await page.getByTestId('nav-processes').click();

  const jump = page.getByTestId('process-jump');
  await expect(jump).toHaveText(`Show ${hidden.events} events on timeline`);
  await jump.click();

  await expect(page.getByTestId('nav-timeline')).toHaveAttribute('aria-current', 'page');
  const chip = page.getByTestId('timeline-process-filter');
  await expect(chip).toContainText(`process: ${hidden.name} (pid ${hidden.pid}) on ${FIN_HOST}`);
  await expect(page.getByTestId('timeline-counts')).toHaveText(countsText(hidden.events, bundle.total));
  await expect.poll(() => page.evaluate(() => window.casebookTimelineGrid?.getDisplayedRowCount())).toBe(hidden.events);
  const gridRows = await page.evaluate(() => {
    const rows: { id: number; source: string; code: string | null }[] = [];
    window.casebookTimelineGrid?.forEachNode((row) => {
      if (row.data) rows.push({ id: row.data.event_id, source: row.data.source, code: row.data.event_code });
    });
    return rows;
  });
  // Sysmon 1, 3 and 11 in the log and the psscan row from memory.
  expect(gridRows.map((row) => `${row.source}:${row.code ?? ''}`).sort()).toEqual(['evtx:1', 'evtx:11', 'evtx:3', 'memory:']);

  // The event selected before stays in the pane, marked as outside the process's events.
  expect(gridRows.map((row) => row.id)).not.toContain(selectedId);
  await expect(pane).toHaveAttribute('aria-label', `Event ${selectedId}`);
  await expect(pane).toHaveAttribute('data-membership', 'out');
  await expect(pane.getByTestId('details-not-in-results')).toContainText('process filter');
  await page.screenshot({ path: `${SCREENSHOTS}/process-jump.png` });

  await page.getByTestId('timeline-process-filter-remove').click();
  await expect(chip).toHaveCount(0);
  await expect(page.getByTestId('timeline-counts')).toHaveText(countsText(bundle.total, bundle.total));
  await expect(pane).toHaveAttribute('data-membership', 'in');
  await expect(pane.getByTestId('details-not-in-results')).toHaveCount(0);
});

test('process view keeps its state across views', async ({ processCase }) => {
  const { page, bundle } = processCase;
  await expect(page.getByTestId('nav-timeline')).toHaveAttribute('aria-current', 'page');
  await page.getByTestId('nav-processes').click();
  await expect(nodeByPid(page, bundle.hidden.pid)).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('process-details')).toHaveAttribute(
    'aria-label',
    `Process ${bundle.hidden.name} (PID ${bundle.hidden.pid})`,
  );
});

test('start times follow the display time zone', async ({ processCase }) => {
  const { page, bundle } = processCase;
  const start = nodeByPid(page, bundle.hidden.pid).locator('.process-start');
  await expect(start).toHaveText(/^2024-03-12 09:07:41\.640\d*$/);

  await page.getByTestId('timezone-select').selectOption('Asia/Tokyo');
  await expect(start).toHaveText(/^2024-03-12 18:07:41\.640\d* \+09:00$/);
  await expect(page.locator('.process-header')).toContainText('Start (Asia/Tokyo)');
  await page.getByTestId('timezone-select').selectOption('UTC');
  await expect(start).toHaveText(/^2024-03-12 09:07:41\.640\d*$/);
});

test('another host loads its own tree', async ({ processCase }) => {
  const { page, bundle } = processCase;
  const { hidden } = bundle;
  await page.getByTestId('process-host').selectOption(HR_HOST);
  await expect(page.getByRole('tree')).toHaveAttribute('aria-label', `Processes on ${HR_HOST}`);
  await expect(page.getByTestId('process-expand-flagged')).toBeDisabled();
  await expect(page.getByTestId('process-counts')).toHaveText(`${bundle.hosts[1]!.processes} processes, 0 flagged`);
  await expect(nodeByPid(page, hidden.pid)).toHaveCount(0);

  // The pane keeps the process of the first host and says that this tree does not show it.
  const details = page.getByTestId('process-details');
  await expect(details).toHaveAttribute('aria-label', `Process ${hidden.name} (PID ${hidden.pid})`);
  await expect(details).toHaveAttribute('data-placement', 'other-host');
  await expect(details.getByTestId('process-details-placement')).toContainText(`ran on ${FIN_HOST}, and the tree shows ${HR_HOST}`);
  await expect(details.locator('dd[data-field="Host"]')).toHaveText(FIN_HOST);
  await page.screenshot({ path: `${SCREENSHOTS}/process-details-other-host.png` });
});

test('details pane leads back to its host', async ({ processCase }) => {
  const { page, bundle } = processCase;
  const { hidden } = bundle;
  const details = page.getByTestId('process-details');
  await details.getByTestId('process-details-show').click();
  await expect(page.getByTestId('process-host')).toHaveValue(FIN_HOST);
  await expect(page.getByRole('tree')).toHaveAttribute('aria-label', `Processes on ${FIN_HOST}`);
  await expect(nodeByPid(page, hidden.pid)).toHaveAttribute('aria-selected', 'true');
  await expect(details).toHaveAttribute('data-placement', 'shown');
  await expect(details.getByTestId('process-details-placement')).toHaveCount(0);

  // The close button still empties the pane.
  await details.getByTestId('process-details-close').click();
  await expect(details).toHaveCount(0);
});

test('process pages stay on the loopback host', async ({ processCase }) => {
  expect(processCase.offHostRequests).toEqual([]);
  expect(processCase.pageErrors).toEqual([]);
});
