// The `processCase` fixture: a fresh case and the generated process bundle, shown in the
// desktop app or in browser mode as e2e/support/case-session.ts decides.

import { test as base } from '@playwright/test';
import { type CaseSession, runCaseSession } from './case-session.ts';
import { type ProcessBundle, writeProcessBundle } from './process-bundle.ts';

export type ProcessCase = CaseSession<ProcessBundle>;

export const test = base.extend<object, { processCase: ProcessCase }>({
  processCase: [
    ({ playwright }, use, workerInfo) =>
      runCaseSession(playwright, workerInfo, { prefix: 'casebook-e2e-processes-', writeBundle: writeProcessBundle }, use),
    { scope: 'worker', timeout: 120_000 },
  ],
});

export { expect } from '@playwright/test';
