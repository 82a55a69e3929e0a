// The `workbench` fixture: a fresh case, a generated evidence bundle, and a page showing
// the UI on that case. Where an Electron binary is installed (a developer's machine),
// the desktop app is launched through Playwright's Electron support. Elsewhere the
// browser-mode server is started as a child process and opened in Chromium.

import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { _electron, type Browser, test as base, type ElectronApplication, type Page } from '@playwright/test';
import { REPO_ROOT, type RunningServe, startServe } from './server.ts';
import { type GeneratedBundle, writeZeekBundle } from './zeek-bundle.ts';

export interface Workbench {
  mode: 'browser' | 'electron';
  page: Page;
  bundle: GeneratedBundle;
  casePath: string;
  /** Browser mode only: the server's origin and token. */
  server: RunningServe | null;
  /** Requests the page made to anything but the loopback server or local files. */
  offHostRequests: string[];
  /** Console errors and uncaught exceptions of the page. */
  pageErrors: string[];
}

/** Records per log of the generated bundle: 100,000 in the folder plus 300 in the zip. */
export const BUNDLE_SIZE = { main: { conn: 60_000, dns: 25_000, http: 15_000 }, zipped: { conn: 200, dns: 100 } };

/** Finds the Electron executable of the installed `electron` package; null when its binary was never downloaded. */
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

export const test = base.extend<object, { workbench: Workbench }>({
  workbench: [
    async ({ playwright }, use, workerInfo) => {
      const workDir = await mkdtemp(path.join(tmpdir(), 'casebook-e2e-'));
      const casePath = path.join(workDir, 'case.duckdb');
      const bundle = await writeZeekBundle(path.join(workDir, 'bundle'), BUNDLE_SIZE.main, BUNDLE_SIZE.zipped);
      const offHostRequests: string[] = [];
      const pageErrors: string[] = [];
      const binary = electronBinary();

      let electronApp: ElectronApplication | null = null;
      let browser: Browser | null = null;
      let server: RunningServe | null = null;
      try {
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
    },
    { scope: 'worker', timeout: 180_000 },
  ],
});

export { expect } from '@playwright/test';
