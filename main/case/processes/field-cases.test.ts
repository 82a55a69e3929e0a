// Volatility pslist names cut to 14-15 characters, merged with the Sysmon 1 records of
// the same processes.

import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { fieldCase, fieldCasesSkipReason } from '../../../test/paths.ts';
import { importEvidence, newTestCase, removeTestCase, type TestCase } from './fixtures.ts';

const PSLIST = fieldCase('B23_vol3_pslist_truncated_names.txt');
const SYSMON = fieldCase('B23_sysmon_eid1.jsonl');
const present = existsSync(PSLIST) && existsSync(SYSMON);
if (!present) console.warn(`[skip] truncated memory names: ${fieldCasesSkipReason}`);

const open: TestCase[] = [];

afterEach(async () => {
  while (open.length > 0) await removeTestCase(open.pop()!);
});

describe.skipIf(!present)('memory names cut to 14-15 characters', () => {
  it('merges each pslist row with its Sysmon start', async () => {
    const testCase = await newTestCase();
    open.push(testCase);
    const { backend } = testCase;
    const progress = await importEvidence(backend, [PSLIST, SYSMON]);
    expect(progress.state).toBe('done');

    const hosts = await backend.processHosts();
    expect(hosts.map((host) => host.host)).toEqual(['WKS01.corp.example']);
    const tree = await backend.processTree('WKS01.corp.example');
    expect(tree).toHaveLength(4);
    const byPid = new Map(tree.map((node) => [node.pid, node]));

    const broker = byPid.get(2132)!;
    expect(broker.name).toBe('RuntimeBroker.exe');
    expect(broker.sources).toEqual(['sysmon', 'pslist']);
    expect(broker.start).toBe('2024-03-01T09:40:18.987000Z');
    expect(broker.flags).toEqual([]);

    const spp = byPid.get(3792)!;
    expect(spp.name).toBe('SppExtComObj.Exe');
    expect(spp.sources).toEqual(['sysmon', 'pslist']);

    const photos = byPid.get(5120)!;
    expect(photos.name).toBe('Microsoft.Photos.exe');
    expect(photos.sources).toEqual(['sysmon', 'pslist']);

    const impostor = byPid.get(5200)!;
    expect(impostor.id).not.toBe(broker.id);
    expect(impostor.image).toBe('C:\\Users\\bob\\AppData\\Local\\Temp\\RuntimeBroker.exe');
    expect(impostor.sources).toEqual(['sysmon', 'pslist']);
    expect(impostor.parentId).toBe(broker.id);
    expect(impostor.flags.map((flag) => flag.code)).toEqual(['unusual_path']);
    expect(impostor.flags[0]!.severity).toBe('high');
    expect(impostor.flags[0]!.explanation).toContain('C:\\Users\\bob\\AppData\\Local\\Temp\\RuntimeBroker.exe');
    expect(impostor.flags[0]!.explanation).toContain('but Windows runs RuntimeBroker.exe from C:\\Windows\\System32');
  });

  it('keeps both sightings of a merged process without conflicts', async () => {
    const testCase = await newTestCase();
    open.push(testCase);
    const { backend } = testCase;
    await importEvidence(backend, [PSLIST, SYSMON]);
    const tree = await backend.processTree('WKS01.corp.example');
    const broker = tree.find((node) => node.pid === 2132)!;
    const detail = await backend.processDetail(broker.id);
    expect(detail.sightings.map((sighting) => [sighting.source, sighting.start, sighting.image])).toEqual([
      ['sysmon', '2024-03-01T09:40:18.987000Z', 'C:\\Windows\\System32\\RuntimeBroker.exe'],
      ['pslist', '2024-03-01T09:40:18.000000Z', 'RuntimeBroker.'],
    ]);
    expect(detail.conflicts).toEqual([]);
    expect(detail.children.map((child) => child.pid)).toEqual([5200]);
    expect(detail.eventIds).toHaveLength(2);
  });
});
