// `casebook scenario`: write a generated incident bundle and its answer key.

import type { Command } from 'commander';
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

export async function runScenario(_name: string | undefined, _options: ScenarioOptions): Promise<number> {
  throw new UsageError('scenario: not built yet');
}
