import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { DEFAULT_SCENARIO, findScenario } from '../scenario/catalog.ts';
import { type GenerateResult, generateScenario, writeKey } from '../scenario/generate.ts';
import { prepareOutputDir } from '../scenario/output-dir.ts';
import { openCaseBackend } from './case-open.ts';
import { defaultKeyPath, noticeBelowMinimum } from './scenario.ts';
import { runServe } from './serve.ts';
import { UsageError } from './usage.ts';

export interface SampleOptions {
  out: string;
  seed: number;
  events: number;
}

/** Writes the default scenario at `events` records into `out`, with its answer key beside the folder. */
function writeSampleBundle(out: string, seed: number, events: number): { result: GenerateResult; key: string } {
  const definition = findScenario(DEFAULT_SCENARIO)!;
  const problem = prepareOutputDir(out);
  if (problem) throw new UsageError(problem);
  const result = generateScenario(definition, { seed, scale: Math.max(events, 1), out });
  const key = defaultKeyPath(out);
  writeKey(key, result.key);
  noticeBelowMinimum(definition, result, '--events', events);
  return { result, key };
}

export async function runSample(options: SampleOptions): Promise<number> {
  const out = path.resolve(options.out);
  const { result, key } = writeSampleBundle(out, options.seed, options.events);
  const summary = { out, key, scenario: result.scenario, seed: result.seed, events: result.records, files: result.files };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  return 0;
}

export interface DemoOptions {
  dir?: string;
  port?: number;
  events: number;
}

/** Folder for the sample case when none is given; outside the repository so a clone stays clean. */
export const DEFAULT_DEMO_DIR = path.join(homedir(), '.casebook', 'sample');

/** Write the sample bundle, import it into the sample case, then serve the workbench on it. */
export async function runDemo(options: DemoOptions): Promise<number> {
  const dir = path.resolve(options.dir ?? DEFAULT_DEMO_DIR);
  const bundle = path.join(dir, 'bundle');
  const casePath = path.join(dir, 'sample.casebook.duckdb');
  if (!existsSync(casePath)) {
    const { result } = writeSampleBundle(bundle, 1, options.events);
    process.stdout.write(
      `wrote sample bundle ${bundle} (${result.scenario}, ${result.records} records; answer key ${defaultKeyPath(bundle)})\n`,
    );
    const backend = await openCaseBackend(casePath);
    try {
      const { importId } = await backend.startImport([bundle]);
      const progress = await backend.waitForImport(importId);
      process.stdout.write(`imported ${progress.records} events into ${casePath} (${progress.state})\n`);
    } finally {
      await backend.close();
    }
  } else {
    process.stdout.write(`opening the existing sample case ${casePath}\n`);
  }
  return runServe({ case: casePath, host: '127.0.0.1', ...(options.port !== undefined ? { port: options.port } : {}) });
}
