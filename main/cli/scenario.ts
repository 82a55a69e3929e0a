// `casebook scenario`: write a generated incident bundle and its answer key.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_SCENARIO, findScenario, scenarioNames } from '../scenario/catalog.ts';
import type { ScenarioDefinition } from '../scenario/definition.ts';
import { type GenerateResult, generateScenario, writeKey } from '../scenario/generate.ts';
import { prepareOutputDir } from '../scenario/output-dir.ts';
import { UsageError } from './usage.ts';

export interface ScenarioOptions {
  seed: number;
  scale?: number;
  out: string;
  key?: string;
}

export function registerScenario(program: Command, setExit: (code: number) => void, whole: (value: string) => number): void {
  program
    .command('scenario')
    .description('write a generated incident (EVTX, Zeek and Volatility outputs) into a folder, with its answer key')
    .argument('[name]', 'scenario name (default: the first one listed)')
    .option('--seed <n>', 'seed; the same seed writes byte-identical files', whole, 1)
    .option('--scale <events>', 'approximate number of events over all sources', whole)
    .requiredOption('--out <dir>', 'folder to write the bundle into')
    .option('--key <file>', 'answer key file (default: DIR.key.json beside the folder)')
    .action(async (name: string | undefined, options: ScenarioOptions) => setExit(await runScenario(name, options)));
}

/** Default answer key path: beside the bundle folder, so the folder can be handed out without it. */
export function defaultKeyPath(out: string): string {
  return `${path.resolve(out).replace(/[\\/]+$/, '')}.key.json`;
}

/**
 * How far above the requested size a bundle may come out before the request counts as
 * below the scenario's minimum. Above the minimum, `casebook sample --events N` (seed 1)
 * wrote within 2.1 % of N for N from 3,500 to 20,000.
 */
const SIZE_TOLERANCE = 1.1;

/** Counts the records scenario `definition` writes at `seed` and the smallest scale, in a temporary folder. */
function minimumRecords(definition: ScenarioDefinition, seed: number): number {
  const out = mkdtempSync(path.join(tmpdir(), 'casebook-minimum-'));
  try {
    return generateScenario(definition, { seed, scale: 1, out }).records;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * Writes a notice on stderr when `requested`, the value of `option`, is below the fewest
 * records the scenario writes at this seed, which explains a bundle larger than requested.
 */
export function noticeBelowMinimum(definition: ScenarioDefinition, result: GenerateResult, option: string, requested: number): void {
  if (result.records <= requested * SIZE_TOLERANCE) return;
  const minimum = minimumRecords(definition, result.seed);
  if (requested >= minimum) return;
  process.stderr.write(
    `casebook: notice: ${option} ${requested} is below the minimum of scenario ${result.scenario} (${minimum} records at seed ${result.seed}), so the bundle has ${result.records} records\n`,
  );
}

/**
 * Writes scenario `name` (default: the first listed) into `options.out` and its key. An
 * existing folder is reused only when it holds nothing but a previous bundle's files.
 */
export async function runScenario(name: string | undefined, options: ScenarioOptions): Promise<number> {
  const chosen = name ?? DEFAULT_SCENARIO;
  const definition = findScenario(chosen);
  if (!definition) throw new UsageError(`unknown scenario "${chosen}": choose one of ${scenarioNames().join(', ')}`);
  if (options.scale !== undefined && options.scale < 1) throw new UsageError('--scale must be at least 1');
  const out = path.resolve(options.out);
  const keyFile = path.resolve(options.key ?? defaultKeyPath(out));
  if (keyFile === out || keyFile.startsWith(`${out}${path.sep}`)) {
    throw new UsageError(`the answer key ${keyFile} must not be inside the bundle folder ${out}: the folder is what analysts receive`);
  }
  const problem = prepareOutputDir(out);
  if (problem) throw new UsageError(problem);
  const started = performance.now();
  const result = generateScenario(definition, {
    seed: options.seed,
    out,
    ...(options.scale !== undefined ? { scale: options.scale } : {}),
  });
  writeKey(keyFile, result.key);
  if (options.scale !== undefined) noticeBelowMinimum(definition, result, '--scale', options.scale);
  const seconds = (performance.now() - started) / 1000;
  const summary = {
    scenario: result.scenario,
    seed: result.seed,
    scale: result.scale,
    out,
    key: keyFile,
    files: Object.keys(result.files).length,
    records: result.records,
    seconds: Number(seconds.toFixed(2)),
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  return 0;
}
