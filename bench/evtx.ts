// EVTX benchmark: parse the largest corpus .evtx files and a generated Security.evtx of
// at least 200 MB with the Casebook reader (worker threads, one per core) and, in the
// same run, with libevtx's `evtxexport -f xml` (output discarded). Prints MB/s,
// records/s and peak RSS of each, the throughput ratio Casebook / evtxexport, and the
// end-to-end `casebook import` rate of the generated file. `--smoke` does the same on
// a small generated file in a few seconds, skips the corpus, and fails on a wrong count.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeLargeSecurityLog } from '../main/scenario/security-evtx.ts';
import { corpusRoot, corpusSkipReason, hasCorpus } from '../test/paths.ts';
import { type ChildRun, format, runChild } from './measure.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
const casebook = path.join(repoRoot, 'bin/casebook.mjs');
const CORPUS_FILES = 4;
const LARGE_BYTES = 200 * 1024 * 1024;
const SMOKE_BYTES = 2 * 1024 * 1024;
const SEED = 7;
/** Part of the cache file name; bump it when the generator's output changes. */
const GENERATOR_VERSION = 1;

export interface EvtxBenchOptions {
  smoke: boolean;
}

interface ParseFigures {
  file: string;
  bytes: number;
  casebook: ChildRun;
  casebookRecords: number;
  /** Parse times reported by the child, without process start-up and file reading: first pass and a second, warm one. */
  casebookColdSeconds: number;
  casebookWarmSeconds: number;
  evtxexport: ChildRun | null;
  evtxexportRecords: number | null;
}

function mib(bytes: number): number {
  return bytes / 1024 / 1024;
}

function rss(run: ChildRun | null): string {
  return run?.peakRssMiB == null ? 'n/a' : `${format(run.peakRssMiB, 0)} MiB`;
}

function toolAvailable(command: string): boolean {
  const probe = spawnSync(command, ['-V'], { stdio: 'ignore' });
  return probe.error === undefined;
}

async function largestCorpusFiles(count: number): Promise<string[]> {
  const root = path.join(corpusRoot, 'evtx');
  const entries = await readdir(root, { withFileTypes: true, recursive: true });
  const files = entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.evtx'))
    .map((entry) => path.join(entry.parentPath, entry.name));
  const sized = await Promise.all(files.map(async (file) => ({ file, size: (await stat(file)).size })));
  return sized
    .sort((a, b) => b.size - a.size || a.file.localeCompare(b.file))
    .slice(0, count)
    .map((entry) => entry.file);
}

/** Return the generated large log, writing it once into a cache folder outside the repository. */
async function cachedLargeLog(): Promise<{ file: string; records: number }> {
  const dir = path.join(tmpdir(), 'casebook-bench-cache');
  const file = path.join(dir, `security-v${GENERATOR_VERSION}-seed${SEED}-${LARGE_BYTES / 1024 / 1024}MiB.evtx`);
  const sidecar = `${file}.json`;
  if (existsSync(file) && existsSync(sidecar)) {
    const saved = JSON.parse(await readFile(sidecar, 'utf8')) as { records: number; bytes: number };
    if ((await stat(file)).size === saved.bytes) return { file, records: saved.records };
  }
  await mkdir(dir, { recursive: true });
  console.log(`writing ${file} (once; later runs reuse it)`);
  const started = performance.now();
  const partial = `${file}.partial`;
  const written = await writeLargeSecurityLog(partial, { seed: SEED, minBytes: LARGE_BYTES });
  await rename(partial, file);
  await writeFile(sidecar, JSON.stringify(written));
  console.log(`  ${written.records} records, ${format(mib(written.bytes), 1)} MiB in ${format((performance.now() - started) / 1000, 1)} s`);
  return { file, records: written.records };
}

/** Records libevtx counts in the file (allocated records only), or null when evtxinfo cannot read it. */
function evtxinfoRecords(file: string): number | null {
  const info = spawnSync('evtxinfo', [file], { encoding: 'utf8' });
  const match = /Number of records\s*:\s*(\d+)/.exec(info.stdout ?? '');
  return info.status === 0 && match ? Number(match[1]) : null;
}

async function measureParse(file: string, withEvtxexport: boolean): Promise<ParseFigures> {
  const bytes = (await stat(file)).size;
  const casebookRun = await runChild(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'bench/evtx-parse.ts'), file]);
  if (casebookRun.code !== 0) throw new Error(`Casebook parse of ${file} failed (exit ${casebookRun.code}): ${casebookRun.stderr}`);
  const parsed = JSON.parse(casebookRun.stdout) as { records: number; coldSeconds: number; warmSeconds: number };
  let evtxexport: ChildRun | null = null;
  let evtxexportRecords: number | null = null;
  if (withEvtxexport) {
    const run = await runChild('evtxexport', ['-f', 'xml', file], process.env, { discardStdout: true });
    // evtxexport exits non-zero on files it cannot read; those get no reference figure.
    if (run.code === 0) {
      evtxexport = run;
      evtxexportRecords = evtxinfoRecords(file);
    } else {
      console.log(`  evtxexport cannot read ${path.basename(file)} (exit ${run.code}): ${run.stderr.trim().split('\n').at(-1)}`);
    }
  }
  return {
    file,
    bytes,
    casebook: casebookRun,
    casebookRecords: parsed.records,
    casebookColdSeconds: parsed.coldSeconds,
    casebookWarmSeconds: parsed.warmSeconds,
    evtxexport,
    evtxexportRecords,
  };
}

function rate(bytes: number, records: number | null, seconds: number): string {
  return `${format(bytes / 1e6 / seconds, 1)} MB/s, ${records === null ? 'n/a' : Math.round(records / seconds)} records/s`;
}

/**
 * Casebook figures come from inside the child: the first pass includes starting the
 * worker threads, the warm second pass leaves that out. Neither includes Node.js
 * start-up and reading the file. evtxexport starts in milliseconds, so its whole-process
 * wall time is compared with both.
 */
function printParseTable(rows: ParseFigures[]): void {
  console.log('');
  console.log(
    '| file | MiB | records (Casebook / evtxexport) | Casebook, first pass | Casebook, warm | Casebook peak RSS | evtxexport -f xml | evtxexport peak RSS | ratio first pass | ratio warm |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const row of rows) {
    const theirs = row.evtxexport?.seconds ?? null;
    const ratio = (ours: number) => (theirs === null ? 'n/a' : format(theirs / ours));
    console.log(
      `| ${path.basename(row.file)} | ${format(mib(row.bytes), 1)} | ${row.casebookRecords} / ${row.evtxexportRecords ?? 'n/a'} | ` +
        `${rate(row.bytes, row.casebookRecords, row.casebookColdSeconds)} | ${rate(row.bytes, row.casebookRecords, row.casebookWarmSeconds)} | ` +
        `${rss(row.casebook)} | ${theirs === null ? 'n/a' : rate(row.bytes, row.evtxexportRecords, theirs)} | ${rss(row.evtxexport)} | ` +
        `${ratio(row.casebookColdSeconds)} | ${ratio(row.casebookWarmSeconds)} |`,
    );
  }
  console.log('');
  console.log('First pass: parse time inside the Casebook child, worker start-up included, file reading and Node.js start-up excluded.');
  console.log('Warm: a second parse of the same bytes in the same child. evtxexport: wall time of the whole process.');
  console.log('Ratio: Casebook throughput / evtxexport throughput. Casebook child wall times (start-up, reading, two passes):');
  for (const row of rows) console.log(`  ${path.basename(row.file)}: ${format(row.casebook.seconds, 2)} s`);
}

async function measureImport(file: string, expected: number, dir: string): Promise<void> {
  const run = await runChild(process.execPath, [casebook, 'import', file, '--case', path.join(dir, 'case.duckdb'), '--json']);
  if (run.code !== 0) throw new Error(`import of ${file} failed (exit ${run.code}): ${run.stderr}`);
  const result = JSON.parse(run.stdout) as { events: number };
  if (result.events !== expected) throw new Error(`import stored ${result.events} events of ${file}, expected ${expected}`);
  const bytes = (await stat(file)).size;
  console.log('');
  console.log(
    `casebook import of ${path.basename(file)}: ${result.events} events in ${format(run.seconds, 1)} s, ` +
      `${Math.round(result.events / run.seconds)} events/s, ${format(bytes / 1e6 / run.seconds, 1)} MB/s, peak RSS ${rss(run)}`,
  );
}

export async function benchEvtx(options: EvtxBenchOptions): Promise<void> {
  const withEvtxexport = toolAvailable('evtxexport');
  if (!withEvtxexport) console.log('evtxexport not found (Debian package libevtx-utils): Casebook figures only');
  const dir = await mkdtemp(path.join(tmpdir(), 'casebook-bench-evtx-'));
  try {
    const files: string[] = [];
    let generated: { file: string; records: number };
    if (options.smoke) {
      const file = path.join(dir, 'Security-smoke.evtx');
      generated = {
        file,
        records: (await writeLargeSecurityLog(file, { seed: SEED, minBytes: SMOKE_BYTES, batchRecords: 1_000 })).records,
      };
    } else {
      if (hasCorpus) files.push(...(await largestCorpusFiles(CORPUS_FILES)));
      else console.log(`[skip] corpus files: ${corpusSkipReason}`);
      generated = await cachedLargeLog();
    }
    files.push(generated.file);

    const rows: ParseFigures[] = [];
    for (const file of files) rows.push(await measureParse(file, withEvtxexport));
    printParseTable(rows);
    const generatedRow = rows.at(-1)!;
    if (generatedRow.casebookRecords !== generated.records) {
      throw new Error(`Casebook parsed ${generatedRow.casebookRecords} records of ${generated.file}, expected ${generated.records}`);
    }
    await measureImport(generated.file, generated.records, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
