// The malfind flags of the generated default scenario, checked against its answer key:
// the shellcode regions the key lists are high, the zero-filled Defender regions low.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcessNode } from '../../../shared/processes.ts';
import { DEFAULT_SCENARIO, findScenario } from '../../scenario/catalog.ts';
import { generateScenario } from '../../scenario/generate.ts';
import { importEvidence, newTestCase, removeTestCase, type TestCase } from './fixtures.ts';

interface KeyEvent {
  host: string;
  code: string;
  description: string;
}

interface Key {
  hosts: { name: string; fqdn: string }[];
  events: KeyEvent[];
}

let testCase: TestCase;
let key: Key;
const trees = new Map<string, ProcessNode[]>();

beforeAll(async () => {
  testCase = await newTestCase();
  const bundle = path.join(testCase.dir, 'bundle');
  const result = generateScenario(findScenario(DEFAULT_SCENARIO)!, { seed: 1, scale: 1, out: bundle });
  key = JSON.parse(JSON.stringify(result.key)) as Key;
  const progress = await importEvidence(testCase.backend, [bundle]);
  expect(progress.state).toBe('done');
  for (const host of key.hosts) trees.set(host.name, await testCase.backend.processTree(host.fqdn));
}, 120_000);

afterAll(async () => {
  if (testCase) await removeTestCase(testCase);
});

function malfindFlag(node: ProcessNode) {
  return node.flags.find((flag) => flag.code === 'malfind');
}

describe('malfind flags of the generated scenario', () => {
  it('marks the shellcode regions of the key high', () => {
    const injected = key.events.filter((event) => event.code === 'malfind');
    expect(injected.length).toBeGreaterThan(0);
    for (const event of injected) {
      const [, name, pid] = /in (\S+) \(PID (\d+)\)$/.exec(event.description)!;
      const node = trees.get(event.host)!.find((candidate) => candidate.pid === Number(pid) && candidate.name === name);
      expect(node, event.description).toBeDefined();
      const flag = malfindFlag(node!);
      expect(flag?.severity, event.description).toBe('high');
      expect(flag?.explanation, event.description).toMatch(/: injected code: non-zero bytes [0-9a-f]{2} /);
    }
  });

  it('marks the zero-filled Defender regions low', () => {
    let defenders = 0;
    for (const [host, tree] of trees) {
      for (const node of tree.filter((candidate) => candidate.name === 'MsMpEng.exe')) {
        defenders++;
        const flag = malfindFlag(node);
        expect(flag?.severity, `${host} PID ${node.pid}`).toBe('low');
        expect(flag?.explanation).toMatch(
          new RegExp(
            `^malfind reports 1 region in MsMpEng\\.exe \\(PID ${node.pid}\\), first at 0x[0-9a-f]+ with PAGE_EXECUTE_READWRITE: RWX region of zeros, often benign \\(JIT, Defender\\)$`,
          ),
        );
      }
    }
    expect(defenders).toBeGreaterThan(0);
  });
});
