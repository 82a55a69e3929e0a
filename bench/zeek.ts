// Zeek import benchmark: build a conn.log of at least 1,000,000 rows, import it into a
// new case with the casebook CLI, and in the same run load the same file into a DuckDB
// table with DuckDB's own read_csv. Prints both times, the ratio, rows/s and the
// import's peak RSS.

import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { writeZeekSample } from '../main/scenario/zeek-sample.ts';
import { format, runChild } from './measure.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');

async function referenceLoad(file: string, dir: string): Promise<number> {
  const instance = await DuckDBInstance.create(path.join(dir, 'reference.duckdb'));
  const connection = await instance.connect();
  const started = performance.now();
  await connection.run(
    `CREATE TABLE conn AS SELECT * FROM read_csv('${file}', delim = '\\t', comment = '#', header = false, auto_detect = true)`,
  );
  const seconds = (performance.now() - started) / 1000;
  connection.closeSync();
  instance.closeSync();
  return seconds;
}

export async function benchZeek(options: { rows: number }): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'casebook-bench-zeek-'));
  try {
    // The sample writes about half of its records as conn rows.
    const summary = await writeZeekSample(path.join(dir, 'bundle'), { seed: 7, events: options.rows * 2 });
    await Promise.all(['dns.log', 'http.log', 'ssl.log'].map((name) => rm(path.join(dir, 'bundle', name))));
    const conn = path.join(dir, 'bundle', 'conn.log');
    const rows = summary.files['conn.log']!;
    const bytes = (await stat(conn)).size;
    console.log(`conn.log: ${rows} rows, ${format(bytes / 1024 / 1024, 1)} MiB`);

    const reference = await referenceLoad(conn, dir);
    const startup = await runChild(process.execPath, [path.join(repoRoot, 'bin/casebook.mjs'), '--version']);
    const run = await runChild(process.execPath, [
      path.join(repoRoot, 'bin/casebook.mjs'),
      'import',
      conn,
      '--case',
      path.join(dir, 'case.duckdb'),
      '--json',
    ]);
    if (run.code !== 0) throw new Error(`import failed (exit ${run.code}): ${run.stderr}`);
    // V8 grows its heap freely when memory is plentiful; a second run with a capped heap
    // shows how much of the peak RSS the import really needs.
    const capped = await runChild(process.execPath, [
      '--max-old-space-size=256',
      path.join(repoRoot, 'bin/casebook.mjs'),
      'import',
      conn,
      '--case',
      path.join(dir, 'capped.duckdb'),
      '--json',
    ]);
    if (capped.code !== 0) throw new Error(`import with a 256 MiB heap failed (exit ${capped.code}): ${capped.stderr}`);
    const result = JSON.parse(run.stdout) as { events: number };
    if (result.events !== rows) throw new Error(`import stored ${result.events} events, expected ${rows}`);

    console.log(`DuckDB read_csv into a table: ${format(reference)} s (${Math.round(rows / reference)} rows/s)`);
    console.log(
      `casebook import:              ${format(run.seconds)} s (${Math.round(rows / run.seconds)} rows/s), of which ${format(startup.seconds)} s process start-up`,
    );
    console.log(`ratio import / read_csv:      ${format(run.seconds / reference)}`);
    console.log(`import peak RSS:              ${run.peakRssMiB === null ? 'n/a' : `${format(run.peakRssMiB, 0)} MiB`}`);
    console.log(
      `with a 256 MiB V8 heap:       ${format(capped.seconds)} s, peak RSS ${capped.peakRssMiB === null ? 'n/a' : `${format(capped.peakRssMiB, 0)} MiB`}`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
