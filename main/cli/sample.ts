import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { createBackend } from '../backend/backend.ts';
import { writeZeekSample } from '../scenario/zeek-sample.ts';
import { runServe } from './serve.ts';

export interface SampleOptions {
  out: string;
  seed: number;
  events: number;
}

export async function runSample(options: SampleOptions): Promise<number> {
  const summary = await writeZeekSample(options.out, { seed: options.seed, events: options.events });
  process.stdout.write(`${JSON.stringify({ out: options.out, ...summary })}\n`);
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
    const summary = await writeZeekSample(bundle, { seed: 1, events: options.events });
    process.stdout.write(`wrote sample bundle ${bundle} (${summary.events} Zeek records)\n`);
    const backend = await createBackend({ casePath });
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
