// The `scenarioCase` fixture: a fresh case and the sample scenario bundle with its answer
// key, shown in the desktop app or in browser mode as e2e/support/case-session.ts decides.

import { test as base } from '@playwright/test';
import { type CaseSession, runCaseSession } from './case-session.ts';
import { type ScenarioBundle, writeSampleScenario } from './scenario-bundle.ts';

export type ScenarioCase = CaseSession<ScenarioBundle>;

export const test = base.extend<object, { scenarioCase: ScenarioCase }>({
  scenarioCase: [
    ({ playwright }, use, workerInfo) =>
      runCaseSession(playwright, workerInfo, { prefix: 'casebook-e2e-scenario-', writeBundle: writeSampleScenario }, use),
    { scope: 'worker', timeout: 120_000 },
  ],
});

export { expect } from '@playwright/test';
