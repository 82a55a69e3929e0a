// Duplicate Windows records across copies of a log: a later copy that contains the older
// records plus new ones, a copy with records in slack, an XML export of the same
// records, and a cleared log whose record ids start again at 1 with other content.
// Every file is written here with the project's EVTX writer.

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportFileResult } from '../../shared/api.ts';
import { createBackend } from '../backend/backend.ts';
import type { CasebookBackend } from '../backend/types.ts';
import { readEvtx } from '../formats/evtx/reader.ts';
import { writeEvtx } from '../formats/evtx/writer.ts';
import { securityLogRecords } from '../scenario/security-evtx.ts';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '../..');
const open: CasebookBackend[] = [];

afterEach(async () => {
  while (open.length > 0) await open.pop()!.close();
});

interface Copies {
  dir: string;
  /** Records 1-300. */
  live: string;
  /** Records 1-450 (a VSS copy taken later), 100 per chunk; the last records of chunks 0 and 4 (ids 100 and 450) lie in slack. */
  later: string;
  /** The records of `live` as an XML export. */
  exported: string;
  /** Records 1-200 of another seed: the log after it was cleared. */
  cleared: string;
}

async function writeCopies(): Promise<Copies> {
  const dir = await mkdtemp(path.join(tmpdir(), 'duplicates-'));
  const records = securityLogRecords({ seed: 11, records: 450 });
  const files: Copies = {
    dir,
    live: path.join(dir, 'Security.evtx'),
    later: path.join(dir, 'Security-vss1.evtx'),
    exported: path.join(dir, 'Security.xml'),
    cleared: path.join(dir, 'Security-cleared.evtx'),
  };
  const live = writeEvtx(records.slice(0, 300));
  await writeFile(files.live, live);
  await writeFile(
    files.later,
    writeEvtx(records, {
      recordsPerChunk: 100,
      defects: [
        { kind: 'recordInSlack', chunk: 0 },
        { kind: 'recordInSlack', chunk: 4 },
      ],
    }),
  );
  await writeFile(files.cleared, writeEvtx(securityLogRecords({ seed: 12, records: 200, start: '2024-03-05T09:00:00Z' })));
  const parsed = await readEvtx(live, { workers: 0 });
  const events = parsed.records.map((record) => record.xml()).join('\n');
  await writeFile(files.exported, `<?xml version="1.0" encoding="utf-8"?>\n<Events>\n${events}\n</Events>\n`);
  return files;
}

async function newCase(dir: string, name: string): Promise<CasebookBackend> {
  const backend = await createBackend({ casePath: path.join(dir, name) });
  open.push(backend);
  return backend;
}

async function importPaths(backend: CasebookBackend, paths: string[]) {
  const { importId } = await backend.startImport(paths);
  const progress = await backend.waitForImport(importId);
  expect(progress.state).toBe('done');
  return progress;
}

/** The results the copies must give, whether imported in one run or one run each. */
function expectCopyResults(results: Map<string, ImportFileResult>): void {
  const result = (name: string) => results.get(name);
  expect(result('Security.evtx')).toMatchObject({ status: 'imported', records: 300, duplicates: 0 });
  // Ids 301-449 are new normal records and 450 a new recovered one; ids 1-300 (100 from slack) are in the case already.
  expect(result('Security-vss1.evtx')).toMatchObject({ status: 'imported', records: 150, recovered: 1, duplicates: 300 });
  expect(result('Security-vss1.evtx')!.messages).toContain(
    '300 records already in the case from Security.evtx (evidence 1): not stored again',
  );
  expect(result('Security.xml')).toMatchObject({ kind: 'evtx-export', status: 'duplicate', records: 0, duplicates: 300 });
  // Same computer, channel and record ids 1-200, but other times and values: new records.
  expect(result('Security-cleared.evtx')).toMatchObject({ status: 'imported', records: 200, duplicates: 0 });
}

describe('duplicate records across log copies', () => {
  it('stores each record once within one import', async () => {
    const copies = await writeCopies();
    const backend = await newCase(copies.dir, 'one-run.duckdb');
    const progress = await importPaths(backend, [copies.live, copies.later, copies.exported, copies.cleared]);
    expectCopyResults(new Map(progress.files.map((file) => [file.path, file])));
    expect(progress.records).toBe(650);
    expect((await backend.caseInfo()).events).toBe(650);
    const evidence = await backend.listEvidence();
    expect(evidence.map((file) => [file.records, file.duplicates])).toEqual([
      [300, 0],
      [150, 300],
      [0, 300],
      [200, 0],
    ]);
  });

  it('stores each record once across import runs', async () => {
    const copies = await writeCopies();
    const backend = await newCase(copies.dir, 'runs.duckdb');
    const results = new Map<string, ImportFileResult>();
    for (const file of [copies.live, copies.later, copies.exported, copies.cleared]) {
      const progress = await importPaths(backend, [file]);
      results.set(progress.files[0]!.path, progress.files[0]!);
    }
    expectCopyResults(results);
    expect((await backend.caseInfo()).events).toBe(650);
  });

  it('reports duplicates per file in import --json', async () => {
    const copies = await writeCopies();
    const casePath = path.join(copies.dir, 'cli.duckdb');
    const cli = async (files: string[]) => {
      const { stdout } = await run(process.execPath, [
        path.join(repoRoot, 'bin/casebook.mjs'),
        'import',
        ...files,
        '--case',
        casePath,
        '--json',
      ]);
      return JSON.parse(stdout) as { events: number; files: { path: string; records: number; duplicates: number; status: string }[] };
    };
    const first = await cli([copies.live]);
    expect(first.events).toBe(300);
    const second = await cli([copies.later, copies.exported]);
    expect(second.events).toBe(150);
    expect(second.files.map((file) => [file.status, file.records, file.duplicates])).toEqual([
      ['imported', 150, 300],
      ['duplicate', 0, 300],
    ]);
  }, 30_000);

  it('keeps a record whose identity repeats inside one export once', async () => {
    const copies = await writeCopies();
    const text = await readFile(copies.exported, 'utf8');
    const events = text.slice(text.indexOf('<Event '), text.lastIndexOf('</Events>'));
    const doubled = path.join(copies.dir, 'doubled.xml');
    await writeFile(doubled, `<Events>\n${events}${events}</Events>\n`);
    const backend = await newCase(copies.dir, 'doubled.duckdb');
    const progress = await importPaths(backend, [doubled]);
    expect(progress.files[0]).toMatchObject({ status: 'imported', records: 300, duplicates: 300 });
    expect(progress.files[0]!.messages).toContain('300 records repeat earlier records of this file: stored once');
  });
});
