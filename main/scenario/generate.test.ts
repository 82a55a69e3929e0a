// Generated bundles read back with the project's own parsers and, where installed, with
// libevtx's evtxexport and python-evtx's evtx_dump.py: record counts, determinism, and
// the cross-source consistency the answer key relies on.

import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvtxReader, type EvtxRecord } from '../formats/evtx/index.ts';
import { parseVolatility, type VolRun } from '../formats/volatility/index.ts';
import { ZeekParser, type ZeekRecord } from '../formats/zeek/index.ts';
import { findScenario } from './catalog.ts';
import { type GenerateResult, generateScenario } from './generate.ts';

const temp = mkdtempSync(path.join(tmpdir(), 'scenario-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function generate(name: string, seed: number, scale: number, folder: string): GenerateResult {
  const definition = findScenario(name);
  if (!definition) throw new Error(`scenario ${name} missing`);
  return generateScenario(definition, { seed, scale, out: path.join(temp, folder) });
}

function listFiles(root: string, relative = ''): string[] {
  return readdirSync(path.join(root, relative), { withFileTypes: true })
    .flatMap((entry) => {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      return entry.isDirectory() ? listFiles(root, child) : [child];
    })
    .sort();
}

function hashes(root: string): Record<string, string> {
  return Object.fromEntries(
    listFiles(root).map((file) => [
      file,
      createHash('sha256')
        .update(readFileSync(path.join(root, file)))
        .digest('hex'),
    ]),
  );
}

async function readRecords(file: string): Promise<EvtxRecord[]> {
  const reader = await EvtxReader.open(new Uint8Array(readFileSync(file)), { workers: 0 });
  const records: EvtxRecord[] = [];
  for await (const record of reader.records()) records.push(record);
  expect(reader.report.problems, file).toEqual([]);
  return records;
}

function readZeek(file: string): ZeekRecord[] {
  const issues: string[] = [];
  const parser = new ZeekParser({ fileName: path.basename(file), onIssue: (issue) => issues.push(issue.message) });
  const records: ZeekRecord[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      if (line === '') return;
      const record = parser.pushLine(line, index + 1);
      if (record) records.push(record);
    });
  parser.finish();
  expect(issues, file).toEqual([]);
  return records;
}

function field(record: ZeekRecord, name: string): unknown {
  return record.values[record.schema.index.get(name)!];
}

function data(record: EvtxRecord, name: string): string | null {
  const item = record.event.eventData?.find((candidate) => candidate.name === name);
  return item ? (item.value as string) : null;
}

const GENERATED = 'generated';
const SCALE = 4000;

describe('scenario generation', () => {
  let result: GenerateResult;
  let bundle: string;
  beforeAll(() => {
    result = generate('powershell-phish', 11, SCALE, GENERATED);
    bundle = path.join(temp, GENERATED);
  });

  it('writes byte-identical files for the same seed', () => {
    const again = generate('powershell-phish', 11, SCALE, 'again');
    expect(hashes(path.join(temp, 'again'))).toEqual(hashes(bundle));
    expect(JSON.stringify(again.key)).toBe(JSON.stringify(result.key));
  });

  it('writes different files for a different seed', () => {
    generate('powershell-phish', 12, SCALE, 'other-seed');
    const first = hashes(bundle);
    const other = hashes(path.join(temp, 'other-seed'));
    expect(Object.keys(other)).toEqual(Object.keys(first));
    const same = Object.keys(first).filter((file) => first[file] === other[file]);
    expect(same).toEqual([]);
  });

  it('writes about the requested number of records', () => {
    expect(result.records).toBeGreaterThan(SCALE * 0.7);
    expect(result.records).toBeLessThan(SCALE * 1.6);
  });

  it('reads every EVTX file with the counts it reports', async () => {
    const evtx = listFiles(bundle).filter((file) => file.endsWith('.evtx'));
    expect(evtx).toHaveLength(16);
    for (const file of evtx) {
      const records = await readRecords(path.join(bundle, file));
      expect(records.length, file).toBe(result.files[file]);
      expect(records.length, file).toBeGreaterThan(0);
      const ids = records.map((record) => Number(record.recordId));
      expect(ids, `${file} record ids`).toEqual(ids.map((_, i) => ids[0]! + i));
      expect(records.every((record) => record.event.system.recordId === record.recordId)).toBe(true);
    }
  });

  it('parses Zeek logs with the project parser', () => {
    for (const name of ['conn', 'dns', 'http', 'ssl', 'files', 'x509', 'notice']) {
      const file = `network/zeek/${name}.log`;
      const records = readZeek(path.join(bundle, file));
      expect(records.length, file).toBe(result.files[file]);
      expect(records.length, file).toBeGreaterThan(0);
      expect(records.every((record) => record.path === name && record.warnings.length === 0)).toBe(true);
    }
  });

  it('parses Volatility outputs in three renderers', () => {
    const memory = listFiles(bundle).filter((file) => file.includes('/memory/'));
    expect(new Set(memory.map((file) => path.extname(file)))).toEqual(new Set(['.txt', '.csv', '.json']));
    for (const file of memory) {
      const { runs, issues } = parseVolatility(readFileSync(path.join(bundle, file), 'utf8'), { name: path.basename(file) });
      expect(issues, file).toEqual([]);
      expect(runs, file).toHaveLength(1);
      const run = runs[0] as VolRun;
      expect(run.plugin, file).toBe(path.basename(file).replace(/\.(txt|csv|json)$/, ''));
      expect(run.rows.length, file).toBe(result.files[file]);
    }
  });

  it('agrees on process PIDs and start times across Sysmon, Security and pslist', async () => {
    const sysmon = await readRecords(path.join(bundle, 'hosts/SRV01/Microsoft-Windows-Sysmon%4Operational.evtx'));
    const security = await readRecords(path.join(bundle, 'hosts/SRV01/Security.evtx'));
    const pslist = parseVolatility(readFileSync(path.join(bundle, 'hosts/SRV01/memory/windows.pslist.PsList.csv'), 'utf8'), {
      name: 'windows.pslist.PsList.csv',
    }).runs[0]!;
    const created = new Map<number, string>();
    for (const record of security.filter((r) => r.event.system.eventId === 4688)) {
      created.set(Number.parseInt(data(record, 'NewProcessId')!, 16), data(record, 'NewProcessName')!);
    }
    let matched = 0;
    for (const record of sysmon.filter((r) => r.event.system.eventId === 1)) {
      const pid = Number(data(record, 'ProcessId'));
      expect(created.get(pid), `4688 for PID ${pid}`).toBe(data(record, 'Image'));
      matched++;
    }
    expect(matched).toBeGreaterThan(10);
    // Every logged process still running at capture is in pslist with its start time to the second.
    const starts = new Map(
      sysmon
        .filter((r) => r.event.system.eventId === 1)
        .map((r) => [Number(data(r, 'ProcessId')), { utc: data(r, 'UtcTime')!, image: data(r, 'Image')! }]),
    );
    const column = (name: string) => pslist.columns.findIndex((c) => c.name === name);
    let inMemory = 0;
    for (const row of pslist.rows) {
      const pid = Number(row.values[column('PID')]);
      const started = starts.get(pid);
      if (!started) continue;
      const micros = row.values[column('CreateTime')] as bigint;
      expect(new Date(Number(micros / 1000n)).toISOString().slice(0, 19).replace('T', ' ')).toBe(started.utc.slice(0, 19));
      expect(row.values[column('ImageFileName')]).toBe(path.win32.basename(started.image).slice(0, 14));
      inMemory++;
    }
    expect(inMemory).toBeGreaterThan(0);
  });

  it('matches Sysmon network events to Zeek connections, after their DNS answers', async () => {
    const conn = readZeek(path.join(bundle, 'network/zeek/conn.log'));
    const dns = readZeek(path.join(bundle, 'network/zeek/dns.log'));
    const byTuple = new Map(
      conn.map((r) => [`${field(r, 'id.orig_h')}:${field(r, 'id.orig_p')}>${field(r, 'id.resp_h')}:${field(r, 'id.resp_p')}`, r]),
    );
    const sysmon = await readRecords(path.join(bundle, 'hosts/WS01/Microsoft-Windows-Sysmon%4Operational.evtx'));
    const network = sysmon.filter((r) => r.event.system.eventId === 3);
    expect(network.length).toBeGreaterThan(10);
    for (const record of network) {
      const tuple = `${data(record, 'SourceIp')}:${data(record, 'SourcePort')}>${data(record, 'DestinationIp')}:${data(record, 'DestinationPort')}`;
      const row = byTuple.get(tuple);
      expect(row, tuple).toBeDefined();
      const ts = field(row!, 'ts') as bigint;
      expect(new Date(Number(ts / 1000n)).toISOString().replace('T', ' ').slice(0, 23)).toBe(data(record, 'UtcTime'));
      const name = data(record, 'DestinationHostname');
      if (name && name !== '-' && !name.endsWith('.corp.example.com')) {
        const answered = dns.some(
          (d) => field(d, 'query') === name && field(d, 'id.orig_h') === data(record, 'SourceIp') && (field(d, 'ts') as bigint) < ts,
        );
        expect(answered, `DNS answer for ${name} before ${tuple}`).toBe(true);
      }
    }
  });

  it('hides the implant from pslist but not from psscan', () => {
    const processes = result.key.processes as { host: string; pid: number; hidden_from_pslist: boolean }[];
    const hidden = processes.filter((proc) => proc.hidden_from_pslist);
    expect(hidden).toHaveLength(1);
    const read = (plugin: string) =>
      parseVolatility(readFileSync(path.join(bundle, `hosts/${hidden[0]!.host}/memory/${plugin}.txt`), 'utf8'), { name: `${plugin}.txt` })
        .runs[0]!;
    const pids = (run: VolRun) => run.rows.map((row) => Number(row.values[run.columns.findIndex((c) => c.name === 'PID')]));
    expect(pids(read('windows.pslist.PsList'))).not.toContain(hidden[0]!.pid);
    expect(pids(read('windows.pstree.PsTree'))).not.toContain(hidden[0]!.pid);
    expect(pids(read('windows.psscan.PsScan'))).toContain(hidden[0]!.pid);
  });

  it('generates the second scenario', async () => {
    const spray = generate('password-spray', 5, 3000, 'spray');
    const security = await readRecords(path.join(temp, 'spray', 'hosts/TS01/Security.evtx'));
    const failures = security.filter((r) => r.event.system.eventId === 4625);
    const attack = findScenario('password-spray')!.attack as { rounds: number; sprayedNames: string[]; victim: string };
    const expected = (attack.rounds - 1) * attack.sprayedNames.length + attack.sprayedNames.indexOf(attack.victim);
    expect(failures).toHaveLength(expected);
    expect(new Set(failures.map((r) => data(r, 'IpAddress')))).toEqual(new Set(['203.0.113.77']));
    const rdp = security.filter((r) => r.event.system.eventId === 4624 && data(r, 'LogonType') === '10');
    expect(rdp.map((r) => data(r, 'IpAddress'))).toEqual(['203.0.113.77']);
    const conn = readZeek(path.join(temp, 'spray', 'network/zeek/conn.log'));
    const upload = conn.filter((r) => field(r, 'id.resp_h') === '198.51.100.200');
    expect(upload).toHaveLength(1);
    expect(Number(field(upload[0]!, 'orig_bytes'))).toBeGreaterThan(500 * 1024 * 1024);
    expect(spray.key.scenario).toBe('password-spray');
  });
});

const hasEvtxexport = spawnSync('evtxexport', ['-V']).status === 0;
const hasEvtxDump = spawnSync('evtx_dump.py', ['-h']).status === 0;
if (!hasEvtxexport) console.warn('[skip] evtxexport (Debian libevtx-utils) not installed: generated EVTX is not checked against libevtx');
if (!hasEvtxDump)
  console.warn('[skip] evtx_dump.py (Debian python3-evtx) not installed: generated EVTX is not checked against python-evtx');

describe('generated EVTX read by other parsers', () => {
  let bundle: string;
  let result: GenerateResult;
  beforeAll(() => {
    result = generate('powershell-phish', 21, 3000, 'peers');
    bundle = path.join(temp, 'peers');
  });

  const evtxFiles = () => listFiles(bundle).filter((file) => file.endsWith('.evtx'));
  const count = (text: string) => (text.match(/<EventRecordID>/g) ?? []).length;

  it.skipIf(!hasEvtxexport)('has the same record counts in evtxexport', async () => {
    for (const file of evtxFiles()) {
      const output = execFileSync('evtxexport', ['-f', 'xml', path.join(bundle, file)], {
        encoding: 'utf8',
        maxBuffer: 1 << 28,
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      const ours = await readRecords(path.join(bundle, file));
      expect(count(output), file).toBe(ours.length);
      expect(ours.length, file).toBe(result.files[file]);
    }
  });

  it.skipIf(!hasEvtxDump)('has the same record counts in evtx_dump.py', async () => {
    for (const file of evtxFiles()) {
      const output = execFileSync('evtx_dump.py', [path.join(bundle, file)], { encoding: 'utf8', maxBuffer: 1 << 28 });
      const ours = await readRecords(path.join(bundle, file));
      expect(count(output), file).toBe(ours.length);
    }
  });
});
