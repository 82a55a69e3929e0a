// Measures the process index build on a case.
// Usage:
//   node --import tsx main/case/processes/bench-build.ts --case FILE
//   node --import tsx main/case/processes/bench-build.ts --evidence PATH... [--case FILE]
//   node --import tsx main/case/processes/bench-build.ts --load PROCESSES [--case FILE]
// With --evidence or --load the evidence is imported first (into a temporary case
// unless --case is given). The build runs twice on a fresh index each time, and both
// totals and the steps of the second run are printed.

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createBackend } from '../../backend/backend.ts';
import { CaseStore } from '../store.ts';
import { importEvidence, newTestCase, writeProcessLoad } from './fixtures.ts';
import { ProcessIndex } from './index.ts';

const { values, positionals } = parseArgs({
  options: { case: { type: 'string' }, evidence: { type: 'boolean' }, load: { type: 'string' } },
  allowPositionals: true,
});

let casePath = values.case;
const evidence = values.evidence ? positionals : [];
if (values.load !== undefined) {
  const processes = Number(values.load);
  const dir = await mkdtemp(path.join(tmpdir(), 'process-load-'));
  const started = performance.now();
  const load = await writeProcessLoad(dir, processes);
  console.log(`wrote ${processes} processes, ${load.events} process events in ${(performance.now() - started).toFixed(0)} ms`);
  evidence.push(...load.files);
}
if (evidence.length > 0) {
  const testCase = casePath ? null : await newTestCase();
  const backend = testCase?.backend ?? (await createBackend({ casePath: casePath! }));
  casePath = testCase?.casePath ?? casePath;
  const started = performance.now();
  const progress = await importEvidence(backend, evidence);
  console.log(`imported ${progress.records} records in ${(performance.now() - started).toFixed(0)} ms into ${casePath}`);
  await backend.close();
}
if (!casePath) {
  console.error('usage: bench-build.ts --case FILE | --evidence PATH... | --load PROCESSES');
  process.exit(2);
}

const store = await CaseStore.open(casePath);
try {
  const counts = await store.connection.runAndReadAll(
    `SELECT count(*) FILTER (WHERE event_code IN ('1', '4688')), count(*) FILTER (WHERE event_code IN ('5', '4689')), count(*) FROM events`,
  );
  const [starts, exits, total] = counts.getRows()[0]!.map(Number);
  console.log(`case: ${total} events, ${starts} process starts, ${exits} process exits (by event code)`);
  for (let run = 1; run <= 2; run++) {
    const index = new ProcessIndex(store);
    const started = performance.now();
    const steps = await index.build();
    const total = performance.now() - started;
    const hosts = await index.hosts();
    console.log(
      `build ${run}: ${total.toFixed(0)} ms, ${hosts.reduce((sum, host) => sum + host.processes, 0)} instances on ${hosts.length} hosts, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
    );
    if (run === 2) console.log(steps.map((step) => `  ${step.step}: ${step.milliseconds.toFixed(0)} ms`).join('\n'));
    await index.close();
  }
} finally {
  await store.close();
}
