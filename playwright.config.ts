// End-to-end tests drive the real UI: browser mode (`casebook serve` plus Debian's
// Chromium) here, or the desktop app through Playwright's Electron support where an
// Electron binary is installed. Every fixture picks the mode in e2e/support/case-session.ts.

import { defineConfig } from '@playwright/test';

/** Chromium switches that keep the browser itself from reaching the network during tests. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default defineConfig({
  testDir: 'e2e',
  // Playwright empties outputDir on start, so it is a subfolder: screenshots and the
  // JSON report sit beside it in test-results/.
  outputDir: 'test-results/playwright',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 30_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  use: {
    headless: true,
    viewport: { width: 1500, height: 900 },
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    },
  },
  projects: [{ name: 'workbench', use: { browserName: 'chromium' } }],
});
