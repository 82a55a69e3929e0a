// Writes the sample bundle with the project's own generator: `casebook sample`, which
// writes the default scenario (the incident `npm start` imports) with its answer key
// beside the folder. The test reads the key, lists the bundle's files and hashes each.

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './server.ts';

const run = promisify(execFile);

/** Seed of the sample that `casebook demo` imports. */
const SAMPLE_SEED = 1;
/** Approximate records over all sources: a few thousand, so generating and importing take seconds. */
export const SAMPLE_EVENTS = 3000;
const GENERATE_TIMEOUT_MS = 60_000;

/** One answer-key event, as `casebook scenario` writes it. */
export interface KeyEvent {
  id: string;
  step: string;
  /** ISO 8601 UTC with microseconds. */
  time: string;
  host: string | null;
  source: 'evtx' | 'zeek' | 'memory';
  /** EventID for EVTX, log name for Zeek, plugin kind (`psscan`, `netscan` …) for memory. */
  code: string;
  description: string;
  /** Path inside the bundle folder. */
  evidence: string;
  /** The case's locator of the record. */
  locator: string;
  /** Memory only: the Volatility plugin, such as `windows.psscan.PsScan`. */
  plugin?: string;
}

export interface KeyProcess {
  step: string | null;
  host: string;
  pid: number;
  ppid: number;
  image: string;
  start: string;
  end: string | null;
  hidden_from_pslist: boolean;
}

export interface KeyFlow {
  dst_ip: string;
  host: string | null;
  conn_locator: string | null;
  sysmon_locator: string | null;
}

export interface ScenarioKey {
  scenario: string;
  hosts: { name: string; fqdn: string; ip: string }[];
  /** Records per bundle file, by path inside the bundle folder. */
  files: Record<string, number>;
  events: KeyEvent[];
  processes: KeyProcess[];
  flows: KeyFlow[];
  iocs: { ips: string[]; domains: string[] };
}

export interface ScenarioBundle {
  /** The folder to import. */
  dir: string;
  /** Records the generator reported over all files. */
  records: number;
  key: ScenarioKey;
  /** SHA-256 of every file in the folder, by path as the case stores it (`bundle/hosts/…`). */
  sha256: Map<string, string>;
}

async function listFiles(root: string, relative = ''): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(path.join(root, relative), { withFileTypes: true })) {
    const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory()) files.push(...(await listFiles(root, child)));
    else files.push(child);
  }
  return files.sort();
}

/** Runs `casebook sample --out dir` and reads back its summary, answer key and files. */
export async function writeSampleScenario(dir: string): Promise<ScenarioBundle> {
  const args = ['bin/casebook.mjs', 'sample', '--out', dir, '--seed', String(SAMPLE_SEED), '--events', String(SAMPLE_EVENTS)];
  const { stdout } = await run(process.execPath, args, { cwd: REPO_ROOT, timeout: GENERATE_TIMEOUT_MS });
  const summary = JSON.parse(stdout) as { key: string; events: number };
  const key = JSON.parse(await readFile(summary.key, 'utf8')) as ScenarioKey;

  const folder = path.basename(dir);
  const sha256 = new Map<string, string>();
  for (const file of await listFiles(dir)) {
    const content = await readFile(path.join(dir, file));
    sha256.set(`${folder}/${file}`, createHash('sha256').update(content).digest('hex'));
  }
  return { dir, records: summary.events, key, sha256 };
}
