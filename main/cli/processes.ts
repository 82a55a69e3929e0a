// `casebook processes`: the process tree of a case, as indented text or JSON lines.

import { type Command, Option } from 'commander';
import { UsageError } from './usage.ts';

export interface ProcessesOptions {
  case: string;
  host?: string;
  format: 'tree' | 'jsonl';
}

export function registerProcesses(program: Command, setExit: (code: number) => void): void {
  program
    .command('processes')
    .description('print the process tree per host, merged from Sysmon, Security 4688 and memory analysis')
    .requiredOption('--case <file>', 'case file')
    .option('--host <name>', 'only this host (default: every host)')
    .addOption(new Option('--format <format>', 'output format').choices(['tree', 'jsonl']).default('tree'))
    .action(async (options: ProcessesOptions) => setExit(await runProcesses(options)));
}

export async function runProcesses(_options: ProcessesOptions): Promise<number> {
  throw new UsageError('processes: not built yet');
}
