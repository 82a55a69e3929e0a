// The fixture core every spec shares: a temporary folder with a fresh case and a
// generated bundle, and a page showing the UI on that case. Where an Electron binary is
// installed (a developer's machine), the desktop app is launched through Playwright's
// Electron support. Elsewhere `casebook serve` runs as a child process and Chromium opens
// it (the browser and its switches come from playwright.config.ts).

import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { _electron, type Browser, type ElectronApplication, type Page, type PlaywrightWorkerArgs, type WorkerInfo } from '@playwright/test';
import { REPO_ROOT, type RunningServe, startServe } from './server.ts';

export interface CaseSession<Bundle> {
  mode: 'browser' | 'electron';
  page: Page;
  bundle: Bundle;
  casePath: string;
  /** Browser mode only: the server's origin and token. */
  server: RunningServe | null;
  /** Requests the page made to anything but the loopback server or local files. */
  offHostRequests: string[];
  /** Console errors and uncaught exceptions of the page. */
  pageErrors: string[];
}

export interface CaseSessionOptions<Bundle> {
  /** Prefix of the temporary folder's name. */
  prefix: string;
  /** Writes the evidence bundle into `dir` (a missing folder) and describes it. */
  writeBundle(dir: string): Promise<Bundle>;
}

/**
 * Finds the Electron executable of the installed `electron` package. Returns null when
 * its binary was never downloaded, or when CASEBOOK_E2E_MODE=browser selects browser mode.
 */
function electronBinary(): string | null {
  if (process.env.CASEBOOK_E2E_MODE === 'browser') return null;
  const packageDir = path.join(REPO_ROOT, 'node_modules/electron');
  const pathFile = path.join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = path.join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

function watchPage(page: Page, offHostRequests: string[], pageErrors: string[]): void {
  page.on('request', (request) => {
    const url = request.url();
    if (!/^(http:\/\/127\.0\.0\.1:\d+\/|file:|data:|devtools:)/.test(url)) offHostRequests.push(url);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
}

/**
 * Runs one worker-scoped case session: writes the bundle, launches the app on a new case,
 * hands the session to `use`, then closes the app and deletes the folder.
 */
export async function runCaseSession<Bundle>(
  playwright: PlaywrightWorkerArgs['playwright'],
  workerInfo: WorkerInfo,
  options: CaseSessionOptions<Bundle>,
  use: (session: CaseSession<Bundle>) => Promise<void>,
): Promise<void> {
  const workDir = await mkdtemp(path.join(tmpdir(), options.prefix));
  const casePath = path.join(workDir, 'case.duckdb');
  const offHostRequests: string[] = [];
  const pageErrors: string[] = [];
  const binary = electronBinary();

  let electronApp: ElectronApplication | null = null;
  let browser: Browser | null = null;
  let server: RunningServe | null = null;
  try {
    const bundle = await options.writeBundle(path.join(workDir, 'bundle'));
    let page: Page;
    if (binary) {
      const mainScript = path.join(REPO_ROOT, 'out/main/index.js');
      if (!existsSync(mainScript)) throw new Error(`${mainScript} not found: run "npm run build" before the Electron end-to-end tests`);
      // NOTE: this path needs an Electron binary, so it has not run on machines without one.
      electronApp = await _electron.launch({ executablePath: binary, args: [mainScript, '--case', casePath], cwd: REPO_ROOT });
      page = await electronApp.firstWindow();
    } else {
      server = await startServe(casePath);
      browser = await playwright.chromium.launch(workerInfo.project.use.launchOptions);
      const context = await browser.newContext({ viewport: workerInfo.project.use.viewport ?? { width: 1500, height: 900 } });
      page = await context.newPage();
    }
    watchPage(page, offHostRequests, pageErrors);
    if (server) await page.goto(server.url);
    await use({ mode: binary ? 'electron' : 'browser', page, bundle, casePath, server, offHostRequests, pageErrors });
  } finally {
    await electronApp?.close();
    await browser?.close();
    await server?.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}
