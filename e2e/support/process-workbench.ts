// The `processCase` fixture: a fresh case, the generated process bundle, and Chromium
// showing the UI in browser mode (`casebook serve`). It runs in browser mode only,
// because the process view reads the same API over both bridges and browser mode needs
// no Electron binary.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, test as base, type Page } from '@playwright/test';
import { type ProcessBundle, writeProcessBundle } from './process-bundle.ts';
import { type RunningServe, startServe } from './server.ts';

export interface ProcessCase {
  page: Page;
  bundle: ProcessBundle;
  server: RunningServe;
  /** Requests the page made to anything but the loopback server. */
  offHostRequests: string[];
  /** Console errors and uncaught exceptions of the page. */
  pageErrors: string[];
}

export const test = base.extend<object, { processCase: ProcessCase }>({
  processCase: [
    async ({ playwright }, use, workerInfo) => {
      const workDir = await mkdtemp(path.join(tmpdir(), 'casebook-e2e-processes-'));
      const bundle = await writeProcessBundle(path.join(workDir, 'bundle'));
      const offHostRequests: string[] = [];
      const pageErrors: string[] = [];
      let browser: Browser | null = null;
      let server: RunningServe | null = null;
      try {
        server = await startServe(path.join(workDir, 'case.duckdb'));
        browser = await playwright.chromium.launch(workerInfo.project.use.launchOptions);
        const context = await browser.newContext({ viewport: workerInfo.project.use.viewport ?? { width: 1500, height: 900 } });
        const page = await context.newPage();
        page.on('request', (request) => {
          if (!/^(http:\/\/127\.0\.0\.1:\d+\/|data:)/.test(request.url())) offHostRequests.push(request.url());
        });
        page.on('console', (message) => {
          if (message.type() === 'error') pageErrors.push(message.text());
        });
        page.on('pageerror', (error) => pageErrors.push(error.message));
        await page.goto(server.url);
        await use({ page, bundle, server, offHostRequests, pageErrors });
      } finally {
        await browser?.close();
        await server?.stop();
        await rm(workDir, { recursive: true, force: true });
      }
    },
    { scope: 'worker', timeout: 120_000 },
  ],
});

export { expect } from '@playwright/test';
