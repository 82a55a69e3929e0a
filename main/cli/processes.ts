// `casebook processes`: the process tree of a case, as indented text or JSON lines.

import { type Command, Option } from 'commander';
import type { ProcessHost, ProcessNode } from '../../shared/processes.ts';
import { ProcessIndex } from '../case/processes/index.ts';
import { openCaseStore } from './case-open.ts';
import { openLineOutput } from './output.ts';
import { checkCaseExists } from './paths.ts';
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
    .option('--host <name>', 'only this host: its full name or first DNS label, in any case (default: every host)')
    .addOption(new Option('--format <format>', 'output format').choices(['tree', 'jsonl']).default('tree'))
    .action(async (options: ProcessesOptions) => setExit(await runProcesses(options)));
}

/** Formats one line of the tree: `name (pid N) start  [sources] !flag-codes`, indented two spaces per level. */
export function treeLine(node: ProcessNode, depth: number): string {
  const flags = node.flags.map((flag) => ` !${flag.code}`).join('');
  return `${'  '.repeat(depth)}${node.name} (pid ${node.pid ?? '?'}) ${node.start ?? '-'}  [${node.sources.join(',')}]${flags}`;
}

/** Formats the tree lines of one host's nodes, which come parents first. */
export function treeLines(nodes: ProcessNode[]): string[] {
  const depths = new Map<number, number>();
  return nodes.map((node) => {
    const depth = node.parentId === null ? 0 : (depths.get(node.parentId) ?? -1) + 1;
    depths.set(node.id, depth);
    return treeLine(node, depth);
  });
}

function hostHeader(host: ProcessHost): string {
  return `host ${host.host}: ${host.processes} process${host.processes === 1 ? '' : 'es'}, ${host.flagged} flagged`;
}

/**
 * Finds the host a `--host` value names: the full name in any letter case, or else its
 * first DNS label when one host alone has it (`srv01` for `SRV01.corp.example.com`).
 * Throws a UsageError when no host or several hosts match.
 */
export function selectHosts(hosts: ProcessHost[], requested: string): ProcessHost[] {
  const target = requested.trim().toLowerCase();
  const exact = hosts.filter((host) => host.host === requested);
  if (exact.length > 0) return exact;
  const full = hosts.filter((host) => host.host.toLowerCase() === target);
  const matches = full.length > 0 ? full : hosts.filter((host) => host.host.toLowerCase().split('.')[0] === target);
  if (matches.length === 1) return matches;
  const names = (list: ProcessHost[]) => list.map((host) => host.host).join(', ');
  if (matches.length > 1) {
    throw new UsageError(`host ${JSON.stringify(requested)} matches ${matches.length} hosts (${names(matches)}): pass one full name`);
  }
  if (hosts.length === 0) throw new UsageError(`host ${JSON.stringify(requested)} not found: the case has no process events`);
  throw new UsageError(`host ${JSON.stringify(requested)} not found: known hosts are ${names(hosts)}`);
}

export async function runProcesses(options: ProcessesOptions): Promise<number> {
  await checkCaseExists(options.case);
  const store = await openCaseStore(options.case);
  const index = new ProcessIndex(store);
  const output = openLineOutput();
  const write = output.write;
  try {
    const hosts = await index.hosts();
    const chosen = options.host === undefined ? hosts : selectHosts(hosts, options.host);
    for (const [position, host] of chosen.entries()) {
      if (output.closed) break;
      const nodes = await index.tree(host.host);
      if (options.format === 'jsonl') {
        for (const node of nodes) await write(`${JSON.stringify(node)}\n`);
        continue;
      }
      if (position > 0) await write('\n');
      await write(`${hostHeader(host)}\n`);
      for (const line of treeLines(nodes)) await write(`${line}\n`);
    }
    return 0;
  } finally {
    output.release();
    await index.close();
    await store.close();
  }
}
