// One workstation seen by Sysmon, Security auditing and a memory image, written by the
// project's fixture generator: merges, parents, flags and details across the sources.

import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProcessNode } from '../../../shared/processes.ts';
import {
  importEvidence,
  newTestCase,
  removeTestCase,
  SCENARIO_GUIDS,
  SCENARIO_HOST,
  sysmonCreate,
  type TestCase,
  writeScenario,
} from './fixtures.ts';
import { UNKNOWN_HOST } from './sql-text.ts';

const open: TestCase[] = [];

afterEach(async () => {
  while (open.length > 0) await removeTestCase(open.pop()!);
});

async function scenarioCase(): Promise<TestCase & { tree: ProcessNode[] }> {
  const testCase = await newTestCase();
  open.push(testCase);
  const scenario = await writeScenario(path.join(testCase.dir, 'evidence'));
  const progress = await importEvidence(testCase.backend, scenario.files);
  expect(progress.state).toBe('done');
  expect(progress.files.every((file) => file.status === 'imported')).toBe(true);
  return { ...testCase, tree: await testCase.backend.processTree(SCENARIO_HOST) };
}

function only(tree: ProcessNode[], pid: number, name?: string): ProcessNode {
  const found = tree.filter((node) => node.pid === pid && (name === undefined || node.name === name));
  expect(found, `processes with PID ${pid}`).toHaveLength(1);
  return found[0]!;
}

function codes(node: ProcessNode): string[] {
  return node.flags.map((flag) => flag.code).sort();
}

describe('process scenario over Sysmon, Security and memory', () => {
  it('puts memory processes on the one log host that agrees', async () => {
    const { backend, tree } = await scenarioCase();
    expect(await backend.processHosts()).toEqual([{ host: SCENARIO_HOST, processes: tree.length, flagged: 7 }]);
    // Nine memory processes, dropper.exe from psscan, and a placeholder for the netscan row of PID 6666.
    expect(tree).toHaveLength(12);
  });

  it('merges each process into one node with its sources', async () => {
    const { tree } = await scenarioCase();
    expect(only(tree, 4100).sources).toEqual(['sysmon', 'security', 'pslist', 'psscan']);
    expect(only(tree, 4200).sources).toEqual(['sysmon', 'security', 'pslist', 'psscan']);
    expect(only(tree, 4300).sources).toEqual(['sysmon', 'security', 'pslist', 'psscan']);
    expect(only(tree, 5000).sources).toEqual(['sysmon', 'psscan']);
    expect(only(tree, 5200).sources).toEqual(['security', 'pslist', 'psscan']);
    expect(only(tree, 5100).sources).toEqual(['pslist', 'psscan']);
    const explorer = only(tree, 3000);
    expect(explorer.guid).toBe(SCENARIO_GUIDS.explorer);
    expect(explorer.sources).toEqual(['sysmon', 'pslist', 'psscan']);
    expect(explorer.start).toBe('2024-05-02T08:05:00.000000Z');
    const word = only(tree, 4100);
    expect(word.name).toBe('WINWORD.EXE');
    expect(word.start).toBe('2024-05-02T09:00:10.123000Z');
    expect(word.guid).toBe(SCENARIO_GUIDS.winword);
  });

  it('links parents by GUID and by PID and orders parents first', async () => {
    const { tree } = await scenarioCase();
    const id = (pid: number, name?: string) => only(tree, pid, name).id;
    expect(only(tree, 4100).parentId).toBe(id(3000));
    expect(only(tree, 4200).parentId).toBe(id(4100));
    expect(only(tree, 4300).parentId).toBe(id(4200));
    expect(only(tree, 5000).parentId).toBe(id(4200));
    expect(only(tree, 5100).parentId).toBe(id(3000));
    expect(only(tree, 5200).parentId).toBe(id(3000));
    expect(only(tree, 7000).parentId).toBe(id(4200));
    expect(only(tree, 640).parentId).toBe(id(500));
    expect(only(tree, 500).parentId).toBeNull();
    expect(only(tree, 4200).childCount).toBe(3);
    const position = new Map(tree.map((node, index) => [node.id, index]));
    for (const node of tree) {
      if (node.parentId !== null) expect(position.get(node.parentId)!).toBeLessThan(position.get(node.id)!);
    }
  });

  it('flags what a hunter looks for', async () => {
    const { tree } = await scenarioCase();
    expect(codes(only(tree, 4200))).toEqual(['encoded_powershell', 'malfind', 'office_spawns_shell']);
    expect(codes(only(tree, 4300))).toEqual(['exited_but_alive']);
    expect(codes(only(tree, 5000))).toEqual(['hidden_from_pslist']);
    expect(codes(only(tree, 5100))).toEqual(['no_creation_event']);
    expect(codes(only(tree, 7000))).toEqual(['multiple_lsass', 'unusual_parent']);
    expect(codes(only(tree, 640))).toEqual(['multiple_lsass']);
    expect(codes(only(tree, 6666))).toEqual(['network_without_process']);
    expect(only(tree, 6666).name).toBe('ghost.exe');
    expect(only(tree, 6666).image).toBeNull();
    for (const pid of [4, 500, 3000, 4100, 5200]) expect(codes(only(tree, pid)), `PID ${pid}`).toEqual([]);

    const powershell = only(tree, 4200);
    const office = powershell.flags.find((flag) => flag.code === 'office_spawns_shell')!;
    expect(office.severity).toBe('high');
    expect(office.explanation).toBe(
      'WINWORD.EXE (PID 4100) started the shell powershell.exe (PID 4200), which Office applications rarely do',
    );
    expect(powershell.flags.find((flag) => flag.code === 'encoded_powershell')!.explanation).toMatch(/\(-enc\): powershell\.exe -NoP/);
    expect(powershell.flags.find((flag) => flag.code === 'malfind')!.explanation).toContain('0x1f0000 with PAGE_EXECUTE_READWRITE');
    expect(only(tree, 5000).flags[0]!.explanation).toMatch(/^psscan found dropper\.exe \(PID 5000\)/);
    expect(only(tree, 4300).flags[0]!.explanation).toContain('exited at 2024-05-02T09:00:20.000Z by Sysmon 5 and Security 4689');
    expect(only(tree, 5100).flags[0]!.explanation).toContain('cover 2024-05-02T09:00:10Z to 2024-05-02T09:20:00Z');
    expect(only(tree, 6666).flags[0]!.severity).toBe('medium');
  });

  it('fills the detail of a merged process', async () => {
    const { backend, tree } = await scenarioCase();
    const detail = await backend.processDetail(only(tree, 4200).id);
    expect(detail.node.commandLine).toMatch(/^powershell\.exe -NoP -W Hidden -enc /);
    expect(detail.tokenElevation).toBe('type 2: elevated token (run as administrator)');
    expect(detail.hashes).toMatch(/^SHA256=/);
    expect(detail.parent?.pid).toBe(4100);
    expect(detail.children.map((child) => child.pid)).toEqual([4300, 5000, 7000]);
    expect(detail.sightings.map((sighting) => sighting.source)).toEqual(['sysmon', 'security', 'pslist', 'psscan']);
    expect(detail.conflicts).toEqual([]);
    // Both records have the same time; their order then follows import order.
    expect(detail.network.map((row) => [row.source, row.dst_ip, row.dst_port]).sort()).toEqual([
      ['evtx', '203.0.113.7', 443],
      ['memory', '203.0.113.7', 443],
    ]);
    expect(detail.files.map((row) => row.event_code)).toEqual(['11']);
    // Four sightings, the Sysmon 3 and 11 records, and the netscan and malfind rows.
    expect(detail.eventIds).toHaveLength(8);
    for (const id of [...detail.network, ...detail.files].map((row) => row.event_id)) expect(detail.eventIds).toContain(id);
  });

  it('reports sources that disagree and the exits', async () => {
    const { backend, tree } = await scenarioCase();
    const detail = await backend.processDetail(only(tree, 4300).id);
    expect(detail.node.end).toBe('2024-05-02T09:00:20.000000Z');
    const bySource = new Map(detail.sightings.map((sighting) => [sighting.source, sighting]));
    expect(bySource.get('sysmon')!.end).toBe('2024-05-02T09:00:20.000000Z');
    expect(bySource.get('security')!.end).toBe('2024-05-02T09:00:20.010000Z');
    expect(bySource.get('pslist')!.end).toBeNull();
    expect(detail.conflicts).toEqual([
      'Sysmon records the start at 2024-05-02T09:00:15.900000Z but Security 4688 at 2024-05-02T09:00:17.100000Z',
      'Security 4688 records the start at 2024-05-02T09:00:17.100000Z but pslist at 2024-05-02T09:00:15.000000Z',
    ]);
  });

  it('rebuilds after another import', async () => {
    const testCase = await newTestCase();
    open.push(testCase);
    const scenario = await writeScenario(path.join(testCase.dir, 'evidence'));
    const logs = scenario.files.filter((file) => file.endsWith('.jsonl'));
    const memory = scenario.files.filter((file) => !file.endsWith('.jsonl'));
    await importEvidence(testCase.backend, logs);
    const before = await testCase.backend.processTree(SCENARIO_HOST);
    expect(only(before, 4200).sources).toEqual(['sysmon', 'security']);
    expect(before.some((node) => node.pid === 5100)).toBe(false);
    await importEvidence(testCase.backend, memory);
    const after = await testCase.backend.processTree(SCENARIO_HOST);
    expect(only(after, 4200).sources).toEqual(['sysmon', 'security', 'pslist', 'psscan']);
    expect(codes(only(after, 5100))).toEqual(['no_creation_event']);
  });

  it('rejects an unknown host and instance', async () => {
    const { backend } = await scenarioCase();
    await expect(backend.processTree('nowhere')).rejects.toThrow(`host "nowhere" not found: known hosts are ${SCENARIO_HOST}`);
    await expect(backend.processDetail(999_999)).rejects.toThrow(/process instance 999999 not found/);
  });
});

describe('records without a computer name', () => {
  it('groups them under the unknown host', async () => {
    const testCase = await newTestCase();
    open.push(testCase);
    const event = JSON.parse(
      sysmonCreate({
        host: 'x',
        time: '2024-05-02T09:00:00.000Z',
        guid: '{5770385f-0000-0000-0000-000000000001}',
        pid: 10,
        image: 'C:\\a.exe',
      }),
    ) as { Event: { System: Record<string, unknown> } };
    delete event.Event.System.Computer;
    const file = path.join(testCase.dir, 'no-computer.jsonl');
    await writeFile(file, `${JSON.stringify(event)}\n`);
    await importEvidence(testCase.backend, [file]);
    expect(await testCase.backend.processHosts()).toEqual([{ host: UNKNOWN_HOST, processes: 1, flagged: 0 }]);
    const [only] = await testCase.backend.processTree(UNKNOWN_HOST);
    expect(only!.pid).toBe(10);
    const detail = await testCase.backend.processDetail(only!.id);
    expect(detail.eventIds).toHaveLength(1);
  });
});
