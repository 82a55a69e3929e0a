// Scale benchmark: generate a scenario bundle of N events with `casebook scenario`,
// import it with `casebook import` in a child process (time, events/s, MB/s, peak RSS,
// case size against bundle size), then time the interactive queries through the same
// backend API the UI calls. References in the same run: DuckDB's read_csv on the
// bundle's Zeek logs and libevtx's evtxexport on its EVTX files.

import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createBackend } from '../main/backend/backend.ts';
import type { CasebookBackend } from '../main/backend/types.ts';
import type { TimelineQuery } from '../shared/api.ts';
import { format, runChild } from './measure.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
const casebook = path.join(repoRoot, 'bin/casebook.mjs');
const PAGE_ROWS = 200;
const DEEP_SCROLL_SAMPLES = 50;

export interface ScaleOptions {
  /** Event counts to generate and import, one run each. */
  scales: number[];
  scenario?: string;
  /** Keep the generated bundle and case in this folder instead of a temporary one. */
  keepDir?: string;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

async function totalSize(files: string[]): Promise<number> {
  let bytes = 0;
  for (const file of files) bytes += (await stat(file)).size;
  return bytes;
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

/** Prints one figure as soon as it is known, so a long run shows its progress. */
function report(label: string, value: string): void {
  console.log(`${label.padEnd(48)}  ${value}`);
}

/** DuckDB's own CSV reader on every Zeek TSV log of the bundle, into tables of a file database. */
async function readCsvReference(zeekLogs: string[], dir: string): Promise<number> {
  const instance = await DuckDBInstance.create(path.join(dir, 'reference.duckdb'));
  const connection = await instance.connect();
  const started = performance.now();
  for (const [index, file] of zeekLogs.entries()) {
    await connection.run(
      `CREATE TABLE zeek_${index} AS SELECT * FROM read_csv('${file.replaceAll("'", "''")}', delim = '\\t', comment = '#', header = false, auto_detect = true, all_varchar = true)`,
    );
  }
  const seconds = (performance.now() - started) / 1000;
  connection.closeSync();
  instance.closeSync();
  return seconds;
}

/**
 * evtxexport -f xml on the largest EVTX file, output discarded: its throughput in MB/s,
 * or null when the tool is absent. One file keeps the reference to minutes at 10 M events.
 */
async function evtxexportReference(files: string[]): Promise<{ file: string; megabytesPerSecond: number } | null> {
  if (files.length === 0 || spawnSync('evtxexport', ['-V']).error) return null;
  const sizes = await Promise.all(files.map(async (file) => ({ file, bytes: (await stat(file)).size })));
  const largest = sizes.reduce((best, item) => (item.bytes > best.bytes ? item : best));
  const started = performance.now();
  spawnSync('evtxexport', ['-f', 'xml', largest.file], { stdio: 'ignore' });
  const seconds = (performance.now() - started) / 1000;
  return { file: path.basename(largest.file), megabytesPerSecond: largest.bytes / 1024 / 1024 / seconds };
}

/** The first IPv4 address listed in the answer key's IOCs, else a generic one. */
function ipFromKey(key: unknown): string {
  const text = JSON.stringify((key as { iocs?: unknown })?.iocs ?? key);
  const match = /"((?:\d{1,3}\.){3}\d{1,3})"/.exec(text);
  return match ? match[1]! : '10.0.0.1';
}

async function measureQueries(backend: CasebookBackend, ip: string): Promise<void> {
  const results = { push: ([label, value]: [string, string]) => report(label, value) };
  const first = await timed(() => backend.timelinePage({}, 0, PAGE_ROWS));
  results.push(['first timeline page (cold)', `${format(first.ms, 0)} ms`]);
  const total = first.value.matched;

  const deep: number[] = [];
  for (let sample = 0; sample < DEEP_SCROLL_SAMPLES; sample += 1) {
    // A fixed stride over the case instead of random draws, so runs are comparable.
    const start = Math.floor(((sample * 7919) % DEEP_SCROLL_SAMPLES) * (Math.max(total - PAGE_ROWS, 0) / DEEP_SCROLL_SAMPLES));
    deep.push((await timed(() => backend.timelinePage({}, start, start + PAGE_ROWS))).ms);
  }
  deep.sort((a, b) => a - b);
  results.push(['deep-scroll page p50 / p95', `${format(percentile(deep, 0.5), 1)} / ${format(percentile(deep, 0.95), 1)} ms`]);

  const filter: TimelineQuery = { filters: [{ column: 'source', op: 'equals', value: 'evtx' }] };
  const filtered = await timed(() => backend.timelinePage(filter, 0, PAGE_ROWS));
  results.push(['column filter source = evtx, with count', `${format(filtered.ms, 0)} ms (${filtered.value.matched} events)`]);

  const search = await timed(() => backend.timelinePage({ search: 'powershell' }, 0, PAGE_ROWS));
  results.push(['free-text search "powershell"', `${format(search.ms, 0)} ms (${search.value.matched} events)`]);

  const histogram = await timed(() => backend.timelineHistogram({}, 120));
  results.push(['histogram, 120 buckets', `${format(histogram.ms, 0)} ms`]);

  const hosts = await timed(() => backend.processHosts());
  results.push(['process index build + host list', `${format(hosts.ms, 0)} ms (${hosts.value.length} hosts)`]);
  const busiest = hosts.value[0];
  if (busiest) {
    const tree = await timed(() => backend.processTree(busiest.host));
    results.push([`process tree of ${busiest.host}`, `${format(tree.ms, 0)} ms (${tree.value.length} processes)`]);
  }

  const mentions = await timed(() => backend.timelinePage({ search: ip }, 0, PAGE_ROWS));
  results.push([`events mentioning ${ip}`, `${format(mentions.ms, 0)} ms (${mentions.value.matched} events)`]);
}

async function benchOneScale(events: number, options: ScaleOptions, dir: string): Promise<void> {
  const bundle = path.join(dir, 'bundle');
  const keyFile = path.join(dir, 'bundle.key.json');
  const casePath = path.join(dir, 'case.duckdb');
  const scenarioArgs = options.scenario ? [options.scenario] : [];

  const generated = await runChild(process.execPath, [
    casebook,
    'scenario',
    ...scenarioArgs,
    '--seed',
    '1',
    '--scale',
    String(events),
    '--out',
    bundle,
    '--key',
    keyFile,
  ]);
  if (generated.code !== 0) throw new Error(`casebook scenario failed (exit ${generated.code}): ${generated.stderr}`);
  const files = await listFiles(bundle);
  const bundleBytes = await totalSize(files);
  const bundleMiB = bundleBytes / 1024 / 1024;
  console.log(`\n## ${events.toLocaleString('en-US')} events requested`);
  console.log(
    `generated ${files.length} files, ${format(bundleMiB, 1)} MiB in ${format(generated.seconds, 1)} s (peak RSS ${format(generated.peakRssMiB ?? 0, 0)} MiB)`,
  );

  const imported = await runChild(process.execPath, [casebook, 'import', bundle, '--case', casePath, '--json']);
  if (imported.code !== 0) throw new Error(`casebook import failed (exit ${imported.code}): ${imported.stderr}`);
  const stored = (JSON.parse(imported.stdout) as { events: number }).events;
  const caseBytes = (await stat(casePath)).size;
  report('events stored', stored.toLocaleString('en-US'));
  report(
    'import',
    `${format(imported.seconds, 1)} s, ${Math.round(stored / imported.seconds)} events/s, ${format(bundleMiB / imported.seconds, 1)} MB/s`,
  );
  report('import peak RSS', `${format(imported.peakRssMiB ?? 0, 0)} MiB`);
  report(
    'case file / bundle size',
    `${format(caseBytes / 1024 / 1024, 1)} MiB / ${format(bundleMiB, 1)} MiB = ${format(caseBytes / bundleBytes, 2)}`,
  );

  const zeekLogs = files.filter((file) => file.endsWith('.log'));
  const evtxFiles = files.filter((file) => file.endsWith('.evtx'));
  const readCsv = zeekLogs.length > 0 ? await readCsvReference(zeekLogs, dir) : null;
  const zeekBytes = await totalSize(zeekLogs);
  report(
    'reference: DuckDB read_csv of the Zeek logs',
    readCsv === null
      ? 'no Zeek logs'
      : `${format(readCsv, 1)} s for ${zeekLogs.length} files, ${format(zeekBytes / 1024 / 1024 / readCsv, 1)} MB/s`,
  );
  const evtxexport = await evtxexportReference(evtxFiles);
  report(
    'reference: evtxexport -f xml, largest EVTX file',
    evtxexport === null ? 'evtxexport not installed' : `${format(evtxexport.megabytesPerSecond, 1)} MB/s (${evtxexport.file})`,
  );

  const key = JSON.parse(await readFile(keyFile, 'utf8')) as unknown;
  const backend = await createBackend({ casePath });
  try {
    await measureQueries(backend, ipFromKey(key));
  } finally {
    await backend.close();
  }
}

export async function benchScale(options: ScaleOptions): Promise<void> {
  for (const events of options.scales) {
    const dir = options.keepDir
      ? path.join(options.keepDir, `scale-${events}`)
      : await mkdtemp(path.join(tmpdir(), 'casebook-bench-scale-'));
    try {
      await benchOneScale(events, options, dir);
    } finally {
      if (!options.keepDir) await rm(dir, { recursive: true, force: true });
    }
  }
}
