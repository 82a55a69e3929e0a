// The `workbench` fixture: a fresh case and a generated Zeek bundle, shown in the desktop
// app or in browser mode as e2e/support/case-session.ts decides.

import { test as base } from '@playwright/test';
import { type CaseSession, runCaseSession } from './case-session.ts';
import { type GeneratedBundle, writeZeekBundle } from './zeek-bundle.ts';

export type Workbench = CaseSession<GeneratedBundle>;

/** Records per log of the generated bundle: 100,000 in the folder plus 300 in the zip. */
export const BUNDLE_SIZE = { main: { conn: 60_000, dns: 25_000, http: 15_000 }, zipped: { conn: 200, dns: 100 } };

export const test = base.extend<object, { workbench: Workbench }>({
  workbench: [
    ({ playwright }, use, workerInfo) =>
      runCaseSession(
        playwright,
        workerInfo,
        { prefix: 'casebook-e2e-', writeBundle: (dir) => writeZeekBundle(dir, BUNDLE_SIZE.main, BUNDLE_SIZE.zipped) },
        use,
      ),
    { scope: 'worker', timeout: 180_000 },
  ],
});

export { expect } from '@playwright/test';
