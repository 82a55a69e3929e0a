// Hunts through the sample incident (the default scenario that `npm start` imports) with
// its answer key in hand: imports the bundle through the dialog, then checks the evidence
// list, the timeline, the details of key events, the process tree and a search for the
// C2 address against what the generator wrote.

import type { Locator, Page } from '@playwright/test';
import type { TimelineRow } from '../shared/events.ts';
import type { KeyEvent, KeyProcess } from './support/scenario-bundle.ts';
import './support/grid-window.ts';
import { importThroughDialog } from './support/import-dialog.ts';
import { expectNameAndFlagsShown } from './support/process-rows.ts';
import { expect, test } from './support/scenario-workbench.ts';
import { countsText, rowCell, setColumnFilter } from './support/timeline-ui.ts';

test.describe.configure({ mode: 'serial' });

const SCREENSHOTS = 'test-results';
const count = new Intl.NumberFormat('en-US');

/** Parses a count the UI prints, such as `3,494`. */
function parseCount(text: string): number {
  return Number(text.replaceAll(',', ''));
}

/** Converts an ISO 8601 UTC time such as `2024-03-12T10:27:05.334628Z` to microseconds since the epoch. */
function isoMicros(iso: string): bigint {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(iso);
  if (!match) throw new Error(`invalid ISO 8601 UTC time ${JSON.stringify(iso)}`);
  const fraction = (match[2] ?? '').slice(0, 6).padEnd(6, '0');
  return BigInt(Date.parse(`${match[1]}Z`)) * 1000n + BigInt(fraction);
}

/** Formats a time the way the From and To fields take it in UTC: `2024-03-12 10:27:05.334628`. */
function inputTime(micros: bigint): string {
  const iso = new Date(Number(micros / 1000n)).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${(micros % 1_000_000n).toString().padStart(6, '0')}`;
}

/**
 * Returns the log name of a key event as the timeline's Log column shows it. EVTX file names spell
 * the channel's `/` as `%4`, as Windows names its log files.
 */
function logName(event: KeyEvent): string {
  if (event.source === 'zeek') return event.code;
  if (event.source === 'memory') return event.plugin!;
  return event.evidence
    .split('/')
    .at(-1)!
    .replace(/\.evtx$/, '')
    .replaceAll('%4', '/');
}

/** Returns the base name of a key process's image, as the tree names the process. */
function baseName(process: Pick<KeyProcess, 'image'>): string {
  return process.image.split('\\').at(-1)!;
}

function nodeOf(page: Page, process: Pick<KeyProcess, 'pid' | 'image'>): Locator {
  const name = baseName(process);
  return page.locator(`[role="treeitem"][data-pid="${process.pid}"]`).filter({ hasText: name });
}

interface LoadedRow {
  index: number;
  row: TimelineRow;
}

/** Reads the rows the grid has loaded, the number it displays, and the match count the toolbar prints. */
async function gridState(page: Page): Promise<{ rows: LoadedRow[]; displayed: number; matched: number | null }> {
  const { rows, displayed } = await page.evaluate(() => {
    const loaded: LoadedRow[] = [];
    window.casebookTimelineGrid?.forEachNode((node) => {
      if (node.data && node.rowIndex !== null) loaded.push({ index: node.rowIndex, row: node.data });
    });
    return { rows: loaded, displayed: window.casebookTimelineGrid?.getDisplayedRowCount() ?? -1 };
  });
  const text = (await page.getByTestId('timeline-counts').textContent()) ?? '';
  const match = /^([\d,]+) of /.exec(text);
  return { rows, displayed, matched: match ? parseCount(match[1]!) : null };
}

/**
 * Waits until the grid shows the result of the query just set: the toolbar count equals
 * the grid's row count, and every loaded row passes `belongs`, which the caller picks so
 * that rows of the previous query fail it. Returns the loaded rows and the count.
 */
async function settledRows(
  page: Page,
  belongs: (row: TimelineRow) => boolean = () => true,
): Promise<{ rows: LoadedRow[]; matched: number }> {
  let state = await gridState(page);
  await expect
    .poll(
      async () => {
        state = await gridState(page);
        const consistent = state.matched !== null && state.matched === state.displayed;
        return consistent && state.rows.length > 0 && state.rows.every((loaded) => belongs(loaded.row));
      },
      { message: 'timeline rows of the new query' },
    )
    .toBe(true);
  return { rows: state.rows, matched: state.matched! };
}

async function applySearch(page: Page, text: string): Promise<void> {
  const search = page.getByTestId('timeline-search');
  await search.fill(text);
  await search.press('Enter');
}

async function applyRange(page: Page, from: string, to: string): Promise<void> {
  for (const [bound, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    const field = page.getByTestId(`timeline-${bound}`);
    await field.fill(value);
    await field.press('Enter');
    await expect(field).toHaveAttribute('aria-invalid', 'false');
  }
}

test('import dialog imports the sample', async ({ scenarioCase }) => {
  const { page, bundle } = scenarioCase;
  await importThroughDialog(page, bundle.dir, 90_000);

  const results = page.getByTestId('import-files');
  for (const evidencePath of bundle.sha256.keys()) {
    const row = results.locator('tr', { has: page.getByRole('cell', { name: evidencePath, exact: true }) });
    await expect(row, `import result row of ${evidencePath}`).toHaveAttribute('data-status', 'imported');
  }
  const reported = parseCount((await page.getByTestId('import-records').textContent()) ?? '');
  expect(reported, 'records the import reported').toBe(bundle.records);
  await page.getByTestId('import-close').click();
  await expect(page.getByTestId('import-dialog')).toHaveCount(0);

  // The display zone is stored per profile, so a desktop profile may keep another zone.
  await page.getByTestId('timezone-select').selectOption('UTC');
  await expect(page.getByTestId('timeline-counts')).toHaveText(countsText(reported, reported));
  await expect(page.getByTestId('case-events')).toHaveText(`${count.format(reported)} events`);
});

test('evidence view lists every file', async ({ scenarioCase }) => {
  const { page, bundle } = scenarioCase;
  expect(Object.keys(bundle.key.files).map((file) => `bundle/${file}`)).toEqual([...bundle.sha256.keys()].sort());

  await page.getByTestId('nav-evidence').click();
  const table = page.getByTestId('evidence-table');
  await expect(table.getByTestId('evidence-row')).toHaveCount(bundle.sha256.size);
  for (const [evidencePath, sha256] of bundle.sha256) {
    const row = table.getByTestId('evidence-row').filter({ has: page.getByRole('cell', { name: evidencePath, exact: true }) });
    await expect(row, `evidence row of ${evidencePath}`).toHaveCount(1);
    await expect(row).toHaveAttribute('data-status', 'imported');
    await expect(row.locator('.sha')).toHaveText(sha256);
  }
  await page.screenshot({ path: `${SCREENSHOTS}/scenario-evidence.png`, fullPage: true });
  await page.getByTestId('nav-timeline').click();
});

test('key events open with their locators', async ({ scenarioCase }) => {
  const { page, bundle } = scenarioCase;
  const { events } = bundle.key;
  // Events of two kinds per source. Memory plugins without a time column (cmdline,
  // malfind) are left out, because a time range never includes them.
  const kinds: [KeyEvent['source'], string][] = [
    ['evtx', '1'],
    ['evtx', '4624'],
    ['zeek', 'conn'],
    ['zeek', 'dns'],
    ['memory', 'psscan'],
    ['memory', 'netscan'],
  ];
  const pane = page.getByTestId('details-pane');

  for (const [source, code] of kinds) {
    const event = events.find((candidate) => candidate.source === source && candidate.code === code);
    expect(event, `a key event of ${source} ${code}`).toBeDefined();
    const { id, locator, evidence, time, host } = event!;
    const label = `${id} (${source} ${code})`;

    const micros = isoMicros(time);
    const from = micros - 1_000_000n;
    const to = micros + 1_000_000n;
    const log = logName(event!);
    // Zeek rows have no host, and the host of the other sources contains the key's name.
    const search = source === 'zeek' || host === null ? log : `${log} ${host}`;
    await applySearch(page, search);
    await applyRange(page, inputTime(from), inputTime(to));

    const { rows } = await settledRows(page, (row) => {
      const ts = row.ts === null ? null : isoMicros(row.ts);
      return ts !== null && ts >= from && ts < to;
    });
    // The search finds the words in any column, so rows of other logs may remain.
    const matches = rows.filter((loaded) => loaded.row.locator === locator && loaded.row.log === log);
    expect(matches, `rows of ${label} with locator ${locator}`).toHaveLength(1);
    const { index } = matches[0]!;

    await page.evaluate((rowIndex) => window.casebookTimelineGrid?.ensureIndexVisible(rowIndex), index);
    await rowCell(page, index, 'message').click();
    await expect(pane, `details of ${label}`).toBeVisible();
    await expect(pane.getByTestId('details-locator')).toHaveText(locator);
    await expect(pane.getByTestId('details-evidence-path')).toHaveText(`bundle/${evidence}`);
    await expect(pane.getByTestId('details-evidence-sha256')).toHaveText(bundle.sha256.get(`bundle/${evidence}`)!);
    const fields = pane.getByTestId('details-fields');
    await expect(fields.locator('tr[data-field="source"] td')).toHaveText(source);
    if (source === 'evtx') await expect(fields.locator('tr[data-field="event_code"] td')).toHaveText(code);
    if (source === 'evtx' && code === '1') await page.screenshot({ path: `${SCREENSHOTS}/scenario-details.png` });

    await page.keyboard.press('Escape');
    await expect(pane).toHaveCount(0);
  }

  await applySearch(page, '');
  await applyRange(page, '', '');
  const total = bundle.records;
  await expect(page.getByTestId('timeline-counts')).toHaveText(countsText(total, total));
});

test('details mark an event the query leaves out', async ({ scenarioCase }) => {
  const { page } = scenarioCase;
  const pane = page.getByTestId('details-pane');
  const notice = pane.getByTestId('details-not-in-results');
  await settledRows(page);
  await rowCell(page, 0, 'message').click();
  await expect(pane).toBeVisible();
  const fields = pane.getByTestId('details-fields');
  const eventId = Number(await fields.locator('tr[data-field="event_id"] td').textContent());
  const source = (await fields.locator('tr[data-field="source"] td').textContent())!;
  const locator = (await pane.getByTestId('details-locator').textContent())!;
  await expect(pane).toHaveAttribute('data-membership', 'in');
  await expect(notice).toHaveCount(0);

  // The encoded PowerShell commands of the incident: a handful of events, all loaded at once.
  await applySearch(page, '-Enc');
  const { rows, matched } = await settledRows(page, (row) => row.event_id !== eventId);
  expect(rows, 'every row of the search loaded').toHaveLength(matched);
  await expect(notice).toContainText('search "-Enc"');
  await expect(pane).toHaveAttribute('data-membership', 'out');
  await expect(pane).toHaveAttribute('aria-label', `Event ${eventId}`);
  await expect(pane.getByTestId('details-locator')).toHaveText(locator);
  await page.screenshot({ path: `${SCREENSHOTS}/scenario-details-not-in-results.png` });

  await applySearch(page, '');
  await expect(pane).toHaveAttribute('data-membership', 'in');
  await expect(notice).toHaveCount(0);

  // A column filter for another source leaves the event out too.
  await setColumnFilter(page, 'source', source === 'evtx' ? 'zeek' : 'evtx');
  await expect(notice).toContainText('column filter');
  await page.getByTestId('clear-filters').click();
  await expect(pane).toHaveAttribute('data-membership', 'in');
  await expect(notice).toHaveCount(0);

  await page.keyboard.press('Escape');
  await expect(pane).toHaveCount(0);
});

test('expand to flagged reveals the hidden process', async ({ scenarioCase }) => {
  const { page, bundle } = scenarioCase;
  const { key } = bundle;
  const host = key.hosts[0]!;
  const processes = key.processes.filter((process) => process.host === host.name);
  const hidden = processes.find((process) => process.hidden_from_pslist);
  const word = processes.find((process) => process.image.endsWith('\\WINWORD.EXE'));
  const shell = processes.find((process) => process.ppid === word?.pid && process.image.endsWith('\\powershell.exe'));
  expect(hidden, `a key process of ${host.name} hidden from pslist`).toBeDefined();
  expect(word, `WINWORD.EXE among the key processes of ${host.name}`).toBeDefined();
  expect(shell, 'powershell.exe started by WINWORD.EXE among the key processes').toBeDefined();

  await page.getByTestId('nav-processes').click();
  await page.getByTestId('process-host').selectOption(host.fqdn);
  await expect(page.getByRole('tree')).toHaveAttribute('aria-label', `Processes on ${host.fqdn}`);
  await expect(nodeOf(page, hidden!)).toHaveCount(0);

  await page.getByTestId('process-expand-flagged').click();
  const hiddenNode = nodeOf(page, hidden!);
  await expect(hiddenNode).toHaveCount(1);
  const hiddenFlag = hiddenNode.locator('[data-flag="hidden_from_pslist"]');
  await expect(hiddenFlag).toBeVisible();
  await expect(hiddenFlag).toHaveAttribute('title', /^high: psscan found .*pslist/);
  await expect(hiddenNode.locator('[data-source="psscan"]')).toHaveCount(1);
  await expect(hiddenNode.locator('[data-source="pslist"]')).toHaveCount(0);

  // WINWORD.EXE is expanded and powershell.exe sits one level below it, flagged as an
  // Office application starting a shell.
  const wordNode = nodeOf(page, word!);
  const shellNode = nodeOf(page, shell!);
  await expect(wordNode).toHaveAttribute('aria-expanded', 'true');
  const wordLevel = Number(await wordNode.getAttribute('aria-level'));
  await expect(shellNode).toHaveAttribute('aria-level', String(wordLevel + 1));
  const officeFlag = shellNode.locator('[data-flag="office_spawns_shell"]');
  await expect(officeFlag).toBeVisible();
  await expect(officeFlag).toHaveAttribute(
    'title',
    new RegExp(`WINWORD\\.EXE \\(PID ${word!.pid}\\) started the shell powershell\\.exe \\(PID ${shell!.pid}\\)`),
  );
  await expect(shellNode).toHaveAttribute('data-severity', 'high');

  await hiddenNode.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENSHOTS}/scenario-process-tree.png` });
});

test('flagged rows keep their names visible', async ({ scenarioCase }) => {
  const { page, bundle } = scenarioCase;
  const { key } = bundle;
  const host = key.hosts[0]!;
  const processes = key.processes.filter((process) => process.host === host.name);
  const hidden = processes.find((process) => process.hidden_from_pslist)!;
  const word = processes.find((process) => process.image.endsWith('\\WINWORD.EXE'))!;
  const shell = processes.find((process) => process.ppid === word.pid && process.image.endsWith('\\powershell.exe'))!;
  const shellNode = nodeOf(page, shell);
  const hiddenNode = nodeOf(page, hidden);
  const details = page.getByTestId('process-details');

  // The hidden process has the longest name and sits deepest; the shell has the most flags.
  await hiddenNode.scrollIntoViewIfNeeded();
  expect(await expectNameAndFlagsShown(hiddenNode, baseName(hidden))).toEqual(['hidden_from_pslist']);
  const shellCodes = await expectNameAndFlagsShown(shellNode, baseName(shell));

  // Opening the details pane narrows the tree; the rows stay as they were.
  await shellNode.click();
  await expect(details).toHaveAttribute('aria-label', `Process ${baseName(shell)} (PID ${shell.pid})`);
  expect(await expectNameAndFlagsShown(shellNode, baseName(shell))).toEqual(shellCodes);
  expect(await expectNameAndFlagsShown(hiddenNode, baseName(hidden))).toEqual(['hidden_from_pslist']);

  // The row stands for every flag the details pane lists, whether as a chip or in a badge.
  const items = details.getByTestId('process-flags').locator('li[data-flag]');
  await expect(items).toHaveCount(shellCodes.length);
  const listed = await items.evaluateAll((elements) => elements.map((element) => (element as HTMLElement).dataset.flag!));
  expect(listed.length, 'flags of the shell started by WINWORD.EXE').toBeGreaterThanOrEqual(3);
  expect(listed).toEqual(expect.arrayContaining(['office_spawns_shell', 'encoded_powershell']));
  expect([...shellCodes].sort()).toEqual([...listed].sort());
  await shellNode.screenshot({ path: `${SCREENSHOTS}/scenario-flagged-row.png` });
});

test('low flags look weaker than high ones', async ({ scenarioCase }) => {
  const { page } = scenarioCase;
  const style = (marker: Locator) =>
    marker.evaluate((element) => {
      const computed = getComputedStyle(element);
      return { background: computed.backgroundColor, weight: Number(computed.fontWeight), text: element.textContent ?? '' };
    });
  const high = await style(page.locator('[role="treeitem"][aria-selected="true"] [data-flag].severity-high').first());
  // An antivirus process near the top of the tree has a malfind hit on a region of zeros, graded low.
  await page.getByRole('tree').evaluate((tree) => {
    tree.scrollTop = 0;
  });
  const low = await style(page.locator('[role="treeitem"] [data-flag].severity-low').first());
  expect(low.background, 'low flag background').toBe('rgba(0, 0, 0, 0)');
  expect(high.background, 'high flag background').not.toBe('rgba(0, 0, 0, 0)');
  expect(low.weight).toBeLessThan(high.weight);
  expect(low.text.startsWith('⚐'), `outlined glyph in "${low.text}"`).toBe(true);
  expect(high.text.startsWith('⚑'), `filled glyph in "${high.text}"`).toBe(true);
});

test('jump shows the hidden process events', async ({ scenarioCase }) => {
  const { page, bundle } = scenarioCase;
  const { key } = bundle;
  const host = key.hosts[0]!;
  const hidden = key.processes.find((process) => process.host === host.name && process.hidden_from_pslist)!;
  const name = baseName(hidden);
  // Key events that record the process itself carry its start time, such as its psscan row.
  const ownEvents = key.events.filter((event) => event.host === host.name && event.time === hidden.start);
  expect(ownEvents.length, `key events at the start of ${name}`).toBeGreaterThan(0);

  await nodeOf(page, hidden).click();
  const details = page.getByTestId('process-details');
  await expect(details).toHaveAttribute('aria-label', `Process ${name} (PID ${hidden.pid})`);
  const jump = page.getByTestId('process-jump');
  await expect(jump).toHaveText(/^Show [\d,]+ events? on timeline$/);
  const jumpCount = parseCount(/Show ([\d,]+)/.exec((await jump.textContent()) ?? '')![1]!);
  expect(jumpCount).toBeGreaterThan(0);
  await jump.click();

  await expect(page.getByTestId('nav-timeline')).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('timeline-process-filter')).toContainText(`process: ${name} (pid ${hidden.pid}) on ${host.fqdn}`);
  await expect(page.getByTestId('timeline-counts')).toHaveText(countsText(jumpCount, bundle.records));
  const { rows } = await settledRows(page);
  expect(rows).toHaveLength(jumpCount);
  const hostNames = [host.name, host.fqdn];
  for (const { row } of rows) expect(hostNames, `host of ${row.source} ${row.locator}`).toContain(row.host);
  const locators = rows.map((loaded) => loaded.row.locator);
  for (const event of ownEvents) expect(locators, `${event.id} (${event.source} ${event.code})`).toContain(event.locator);
  expect(new Set(rows.map((loaded) => loaded.row.source))).toEqual(new Set(['evtx', 'memory']));
  await page.screenshot({ path: `${SCREENSHOTS}/scenario-process-jump.png` });

  await page.getByTestId('timeline-process-filter-remove').click();
  await expect(page.getByTestId('timeline-counts')).toHaveText(countsText(bundle.records, bundle.records));
});

test('C2 address search spans sources', async ({ scenarioCase }) => {
  const { page, bundle } = scenarioCase;
  const { key } = bundle;
  const c2 = key.iocs.ips[0];
  expect(c2, 'an IP address among the key IOCs').toBeDefined();
  // Every flow to the C2 address has a Zeek conn record, and those of a known process a Sysmon 3 record.
  const flows = key.flows.filter((flow) => flow.dst_ip === c2);
  const connRecords = flows.filter((flow) => flow.conn_locator !== null).length;
  const sysmonRecords = flows.filter((flow) => flow.sysmon_locator !== null).length;
  expect(connRecords).toBeGreaterThan(0);
  expect(sysmonRecords).toBeGreaterThan(0);

  await applySearch(page, c2!);
  // The search also looks in columns the grid does not load, such as command lines, so
  // only the count shows that the result changed.
  await expect(page.getByTestId('timeline-counts')).not.toHaveText(countsText(bundle.records, bundle.records));
  const all = await settledRows(page);
  expect(all.matched).toBeGreaterThanOrEqual(connRecords + sysmonRecords);

  const perSource = new Map<string, number>();
  for (const source of ['zeek', 'evtx']) {
    await setColumnFilter(page, 'source', source);
    const filtered = await settledRows(page, (row) => row.source === source);
    perSource.set(source, filtered.matched);
    if (source === 'zeek') await page.screenshot({ path: `${SCREENSHOTS}/scenario-c2-search.png` });
  }
  expect(perSource.get('zeek'), 'Zeek events with the C2 address').toBeGreaterThanOrEqual(connRecords);
  expect(perSource.get('evtx'), 'EVTX events with the C2 address').toBeGreaterThanOrEqual(sysmonRecords);
  expect(perSource.get('zeek')! + perSource.get('evtx')!).toBeLessThanOrEqual(all.matched);

  await page.getByTestId('clear-filters').click();
  await applySearch(page, '');
  await expect(page.getByTestId('timeline-counts')).toHaveText(countsText(bundle.records, bundle.records));
});

test('scenario pages stay on the loopback host', async ({ scenarioCase }) => {
  expect(scenarioCase.offHostRequests).toEqual([]);
  expect(scenarioCase.pageErrors).toEqual([]);
});
