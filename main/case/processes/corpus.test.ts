// Process trees of the public corpus: EVTX files and OTRF exports with Sysmon 1 and
// Security 4688. Every parent link is checked against the raw records in the case.

import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcessNode } from '../../../shared/processes.ts';
import { corpusFile, corpusSkipReason, hasCorpus } from '../../../test/paths.ts';
import { CaseStore } from '../store.ts';
import { importEvidence, newTestCase, removeTestCase } from './fixtures.ts';
import { MEMORY_HOST } from './hosts.ts';

/** Corpus files with process creation records (see the corpus's GROUND_TRUTH.md and PROVENANCE.md). */
const PROCESS_EVIDENCE = [
  'evtx/omerbenamram-evtx/sysmon.evtx',
  'evtx/omerbenamram-evtx/security.evtx',
  'evtx/evtx-attack-samples/PanacheSysmon_vs_AtomicRedTeam01.evtx',
  'evtx/evtx-attack-samples/DE_sysmon-3-rdp-tun.evtx',
  'evtx/evtx-attack-samples/LM_sysmon_psexec_smb_meterpreter.evtx',
  'evtx/evtx-attack-samples/exec_sysmon_1_ftp.evtx',
  'evtx/evtx-attack-samples/sysmon_20_21_1_CommandLineEventConsumer.evtx',
  'evtx/evtx-attack-samples/LM_WMI_4624_4688_TargetHost.evtx',
  'evtx/evtx-attack-samples/NTLM2SelfRelay-med0x2e-security_4624_4688.evtx',
  'evtx/evtx-to-mitre-attack/ID4688-5447-4950-Firewall disabled (command).evtx',
  'bundles/otrf-log4shell-java-serialized/sysmon_log4shell_cve2021_44228_java_serialized_object.zip',
  'bundles/otrf-log4shell-java-serialized/securityauditing_log4shell_cve2021_44228_java_serialized_object.zip',
  'bundles/otrf-lsass-campaign-01/metasploit_logonpasswords_lsass_memory_dump.zip',
];

const TOLERANCE_US = 2_000_000;

/** A process creation record as the case stores it, read without the process index. */
interface RawStart {
  host: string;
  kind: 'sysmon' | 'security';
  micros: number;
  guid: string | null;
  pid: number;
  parentGuid: string | null;
  parentPid: number | null;
  name: string;
}

function integer(text: unknown): number | null {
  if (typeof text === 'number') return text;
  if (typeof text !== 'string' || text.trim() === '') return null;
  const value = /^0x/i.test(text.trim()) ? Number.parseInt(text.trim(), 16) : Number(text.trim());
  return Number.isSafeInteger(value) ? value : null;
}

function guidOf(text: unknown): string | null {
  if (typeof text !== 'string') return null;
  const lower = text.toLowerCase();
  return lower === '' || lower === '{00000000-0000-0000-0000-000000000000}' ? null : lower;
}

function baseName(path: unknown): string {
  return typeof path === 'string' ? (path.split(/[\\/]/).pop() ?? path).toLowerCase() : '';
}

function micros(iso: string | null): number | null {
  if (iso === null) return null;
  const match = /\.(\d+)Z$/.exec(iso)!;
  return Date.parse(iso.replace(/\.\d+Z$/, 'Z')) * 1000 + Number(match[1]!.padEnd(9, '0').slice(0, 6));
}

async function readRawStarts(casePath: string): Promise<RawStart[]> {
  const store = await CaseStore.open(casePath);
  try {
    const reader = await store.connection.runAndReadAll(`
      SELECT host, event_code, epoch_us(ts) AS us, CAST(data AS VARCHAR) AS data FROM events
      WHERE ts IS NOT NULL AND ((event_code = '1' AND log = 'Microsoft-Windows-Sysmon/Operational') OR (event_code = '4688' AND lower(log) = 'security'))`);
    return reader.getRowObjectsJS().map((row) => {
      const fields = (JSON.parse(row.data as string) as { EventData: Record<string, unknown> }).EventData;
      const sysmon = row.event_code === '1';
      return {
        host: row.host as string,
        kind: sysmon ? 'sysmon' : 'security',
        micros: Number(row.us),
        guid: sysmon ? guidOf(fields.ProcessGuid) : null,
        pid: integer(sysmon ? fields.ProcessId : fields.NewProcessId)!,
        parentGuid: sysmon ? guidOf(fields.ParentProcessGuid) : null,
        parentPid: integer(sysmon ? fields.ParentProcessId : fields.ProcessId),
        name: baseName(sysmon ? fields.Image : fields.NewProcessName),
      };
    });
  } finally {
    await store.close();
  }
}

/** Finds the raw records that created `node`: by its GUID, or by its PID and name at its start time. */
function startsOf(node: ProcessNode, raw: RawStart[]): RawStart[] {
  const start = micros(node.start);
  return raw.filter(
    (record) =>
      record.host === node.host &&
      ((node.guid !== null && record.guid === node.guid) ||
        (record.pid === node.pid &&
          start !== null &&
          Math.abs(record.micros - start) <= TOLERANCE_US &&
          record.name === node.name.toLowerCase())),
  );
}

if (!hasCorpus) console.warn(`[skip] process trees of the corpus: ${corpusSkipReason}`);

describe.skipIf(!hasCorpus)('process trees of the corpus', () => {
  let raw: RawStart[] = [];
  const trees = new Map<string, ProcessNode[]>();

  beforeAll(async () => {
    const { backend, casePath, dir } = await newTestCase();
    try {
      const progress = await importEvidence(backend, PROCESS_EVIDENCE.map(corpusFile));
      expect(progress.state).toBe('done');
      for (const host of await backend.processHosts()) trees.set(host.host, await backend.processTree(host.host));
    } finally {
      await backend.close();
    }
    raw = await readRawStarts(casePath);
    await rm(dir, { recursive: true, force: true });
  });

  afterAll(() => {
    trees.clear();
  });

  it('checks every parent link against the raw records', () => {
    let checked = 0;
    for (const [host, tree] of trees) {
      const byId = new Map(tree.map((node) => [node.id, node]));
      for (const child of tree) {
        if (child.parentId === null) continue;
        const parent = byId.get(child.parentId);
        expect(parent, `parent of instance ${child.id} on ${host}`).toBeDefined();
        const starts = startsOf(child, raw);
        expect(starts.length, `creation records of ${child.name} (pid ${child.pid}) on ${host}`).toBeGreaterThan(0);
        const childStart = micros(child.start)!;
        const parentStart = micros(parent!.start);
        const agrees = starts.some(
          (record) =>
            (record.parentGuid !== null && record.parentGuid === parent!.guid) ||
            (record.parentPid === parent!.pid && (parentStart === null || parentStart <= childStart)),
        );
        expect(agrees, `${parent!.name} (pid ${parent!.pid}) as parent of ${child.name} (pid ${child.pid}) on ${host}`).toBe(true);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(900);
  });

  it('gives every Sysmon 1 and 4688 record a process instance', () => {
    for (const record of raw) {
      const tree = trees.get(record.host) ?? [];
      const match =
        record.guid !== null
          ? tree.some((node) => node.guid === record.guid)
          : tree.some(
              (node) =>
                node.pid === record.pid &&
                node.start !== null &&
                Math.abs(micros(node.start)! - record.micros) <= TOLERANCE_US &&
                node.sources.includes(record.kind),
            );
      expect(match, `${record.kind} start of ${record.name} (pid ${record.pid}) on ${record.host}`).toBe(true);
    }
  });

  it('merges Sysmon 1 and 4688 of one start', () => {
    let pairs = 0;
    for (const security of raw.filter((record) => record.kind === 'security')) {
      const partners = raw.filter(
        (record) =>
          record.kind === 'sysmon' &&
          record.host === security.host &&
          record.pid === security.pid &&
          record.name === security.name &&
          Math.abs(record.micros - security.micros) <= TOLERANCE_US,
      );
      if (partners.length !== 1) continue;
      pairs += 1;
      const node = trees.get(security.host)!.find((candidate) => candidate.guid === partners[0]!.guid)!;
      expect(node.sources, `${security.name} (pid ${security.pid}) on ${security.host}`).toEqual(
        expect.arrayContaining(['sysmon', 'security']),
      );
    }
    // The OTRF data sets log both Sysmon and Security auditing on the same machines.
    expect(pairs).toBeGreaterThan(40);
  });

  it('lists parents before children with true child counts and no cycle', () => {
    for (const [host, tree] of trees) {
      const position = new Map(tree.map((node, index) => [node.id, index]));
      const counts = new Map<number, number>();
      for (const node of tree) {
        if (node.parentId === null) continue;
        expect(position.get(node.parentId)!, `order on ${host}`).toBeLessThan(position.get(node.id)!);
        counts.set(node.parentId, (counts.get(node.parentId) ?? 0) + 1);
      }
      for (const node of tree) expect(node.childCount, `children of ${node.id} on ${host}`).toBe(counts.get(node.id) ?? 0);
    }
  });
});

describe.skipIf(!hasCorpus)('process tree of a corpus memory image', () => {
  it('merges pslist and pstree rows into one node each', async () => {
    const testCase = await newTestCase();
    const { backend } = testCase;
    try {
      const folder = 'volatility/vol3-text/ram-image';
      const progress = await importEvidence(backend, [corpusFile(`${folder}/pslist.txt`), corpusFile(`${folder}/pstree.txt`)]);
      const rows = progress.files.map((file) => file.records);
      expect(rows).toEqual([203, 203]);
      expect(await backend.processHosts()).toEqual([{ host: MEMORY_HOST, processes: 203, flagged: expect.any(Number) }]);
      const tree = await backend.processTree(MEMORY_HOST);
      const byId = new Map(tree.map((node) => [node.id, node]));
      for (const node of tree) {
        expect(node.sources, `${node.name} (pid ${node.pid})`).toEqual(['pslist', 'pstree']);
        if (node.parentId === null) continue;
        const parent = byId.get(node.parentId)!;
        expect(parent.pid, `parent of ${node.name} (pid ${node.pid})`).toBe(node.ppid);
        expect(micros(parent.start)!).toBeLessThanOrEqual(micros(node.start)!);
      }
      const lsass = tree.find((node) => node.name === 'lsass.exe')!;
      expect(byId.get(lsass.parentId!)!.name).toBe('wininit.exe');
      expect(lsass.flags).toEqual([]);
    } finally {
      await removeTestCase(testCase);
    }
  });
});
