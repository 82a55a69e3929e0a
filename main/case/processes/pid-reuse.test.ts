// Windows reuses PIDs, so a parent found by PID alone can be a later process that
// took the number, and two processes can each look like the other's parent.

import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProcessNode } from '../../../shared/processes.ts';
import {
  importEvidence,
  newTestCase,
  removeTestCase,
  securityCreate,
  securityExit,
  sysmonCreate,
  type TestCase,
  volatilityProcessText,
} from './fixtures.ts';
import { MEMORY_HOST } from './hosts.ts';

const HOST = 'LAB-07.corp.local';
const open: TestCase[] = [];

afterEach(async () => {
  while (open.length > 0) await removeTestCase(open.pop()!);
});

function image(name: string): string {
  return `C:\\Tools\\${name}`;
}

/** Writes the PID-reuse evidence and returns the case with the log host's tree. */
async function reuseCase(): Promise<TestCase & { tree: ProcessNode[] }> {
  const testCase = await newTestCase();
  open.push(testCase);

  const security = [
    // a.exe (100) names 200 as its creator, and b.exe (200), started later, names 100.
    securityCreate({ host: HOST, time: '2024-06-01T10:00:00.000Z', pid: 100, image: image('a.exe'), parentPid: 200 }),
    securityCreate({ host: HOST, time: '2024-06-01T10:00:05.000Z', pid: 200, image: image('b.exe'), parentPid: 100 }),
    securityCreate({ host: HOST, time: '2024-06-01T10:00:30.000Z', pid: 300, image: image('g.exe'), parentPid: 100 }),
    securityExit({ host: HOST, time: '2024-06-01T10:01:30.000Z', pid: 100, image: image('a.exe') }),
    // e.exe takes PID 100 after a.exe exited; f.exe is its child, not a.exe's.
    securityCreate({ host: HOST, time: '2024-06-01T10:02:00.000Z', pid: 100, image: image('e.exe'), parentPid: 200 }),
    securityCreate({ host: HOST, time: '2024-06-01T10:03:00.000Z', pid: 400, image: image('f.exe'), parentPid: 100 }),
  ];

  // Two Sysmon records that name each other's GUID as parent.
  const sysmon = [
    sysmonCreate({
      host: HOST,
      time: '2024-06-01T10:06:00.000Z',
      guid: '{aaaaaaaa-0000-0000-0000-000000000900}',
      pid: 900,
      image: image('x.exe'),
      parentGuid: '{aaaaaaaa-0000-0000-0000-000000000901}',
      parentPid: 901,
    }),
    sysmonCreate({
      host: HOST,
      time: '2024-06-01T10:06:01.000Z',
      guid: '{aaaaaaaa-0000-0000-0000-000000000901}',
      pid: 901,
      image: image('y.exe'),
      parentGuid: '{aaaaaaaa-0000-0000-0000-000000000900}',
      parentPid: 900,
    }),
  ];

  // Memory floors times to the second: c.exe and d.exe share one and name each other as parent.
  const pslist = volatilityProcessText('pslist', [
    { pid: 700, ppid: 800, name: 'c.exe', created: '2024-06-01 10:05:00', offset: 0xb0000100 },
    { pid: 800, ppid: 700, name: 'd.exe', created: '2024-06-01 10:05:00', offset: 0xb0000200 },
  ]);

  const files = {
    'security.jsonl': `${security.join('\n')}\n`,
    'sysmon.jsonl': `${sysmon.join('\n')}\n`,
    'pslist.txt': pslist,
  };
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(testCase.dir, name), text);
  const progress = await importEvidence(
    testCase.backend,
    Object.keys(files).map((name) => path.join(testCase.dir, name)),
  );
  expect(progress.state).toBe('done');
  return { ...testCase, tree: await testCase.backend.processTree(HOST) };
}

function byName(tree: ProcessNode[], name: string): ProcessNode {
  const found = tree.filter((node) => node.name === name);
  expect(found, name).toHaveLength(1);
  return found[0]!;
}

/** Fails when following parent links from any node comes back to it. */
function expectNoCycle(tree: ProcessNode[]): void {
  const parentOf = new Map(tree.map((node) => [node.id, node.parentId]));
  for (const node of tree) {
    const seen = new Set<number>([node.id]);
    let current = node.parentId;
    while (current !== null && current !== undefined) {
      expect(seen.has(current), `cycle through instance ${current}`).toBe(false);
      seen.add(current);
      current = parentOf.get(current) ?? null;
    }
  }
}

describe('parents under PID reuse', () => {
  it('never links two processes as each other parent', async () => {
    const { tree } = await reuseCase();
    expectNoCycle(tree);
    expect(byName(tree, 'a.exe').parentId).toBeNull();
    expect(byName(tree, 'b.exe').parentId).toBe(byName(tree, 'a.exe').id);
  });

  it('takes the latest earlier start that had not exited', async () => {
    const { tree } = await reuseCase();
    const a = byName(tree, 'a.exe');
    const e = byName(tree, 'e.exe');
    expect(a.end).toBe('2024-06-01T10:01:30.000000Z');
    expect(e.end).toBeNull();
    expect(byName(tree, 'g.exe').parentId).toBe(a.id);
    expect(byName(tree, 'f.exe').parentId).toBe(e.id);
    expect(e.parentId).toBe(byName(tree, 'b.exe').id);
    expect(a.childCount).toBe(2);
  });

  it('cuts a GUID cycle at the earlier process', async () => {
    const { tree } = await reuseCase();
    expect(byName(tree, 'x.exe').parentId).toBeNull();
    expect(byName(tree, 'y.exe').parentId).toBe(byName(tree, 'x.exe').id);
  });

  it('cuts a cycle of memory processes with equal create times', async () => {
    const { backend } = await reuseCase();
    // Their PIDs and times match no log process, so memory keeps a host of its own.
    const hosts = (await backend.processHosts()).map((host) => host.host).sort();
    expect(hosts).toEqual([HOST, MEMORY_HOST].sort());
    const memory = await backend.processTree(MEMORY_HOST);
    expect(memory).toHaveLength(2);
    expectNoCycle(memory);
    const c = byName(memory, 'c.exe');
    const d = byName(memory, 'd.exe');
    expect([c.parentId, d.parentId].filter((parent) => parent !== null)).toHaveLength(1);
    expect(memory[0]!.parentId).toBeNull();
    expect(memory[1]!.parentId).toBe(memory[0]!.id);
  });
});
