import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackend } from '../backend/backend.ts';
import type { CasebookBackend } from '../backend/types.ts';
import { tsvLog } from '../formats/zeek/test-helpers.ts';
import { pickBucketSeconds } from './histogram.ts';

const open: CasebookBackend[] = [];

afterEach(async () => {
  while (open.length > 0) await open.pop()!.close();
});

/** Seconds since the epoch of 2024-03-01T10:00:00Z plus `offset` seconds, as Zeek writes `time`. */
function zeekTime(offset: number): string {
  return (Date.UTC(2024, 2, 1, 10, 0, 0) / 1000 + offset).toFixed(6);
}

async function caseWithConnections(): Promise<CasebookBackend> {
  const dir = await mkdtemp(path.join(tmpdir(), 'histogram-'));
  const row = (offset: number, uid: string, source: string) => [zeekTime(offset), uid, source, '49152', '10.0.0.9', '443', 'tcp'];
  const log = tsvLog({
    path: 'conn',
    fields: ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto'],
    types: ['time', 'string', 'addr', 'port', 'addr', 'port', 'enum'],
    rows: [row(0.5, 'C1', '10.0.0.1'), row(59, 'C2', '10.0.0.2'), row(60, 'C3', '10.0.0.1'), row(300, 'C4', '10.0.0.2')],
  });
  await writeFile(path.join(dir, 'conn.log'), log);
  const backend = await createBackend({ casePath: path.join(dir, 'case.duckdb') });
  open.push(backend);
  const { importId } = await backend.startImport([path.join(dir, 'conn.log')]);
  const progress = await backend.waitForImport(importId);
  expect(progress.state).toBe('done');
  return backend;
}

describe('bucket width', () => {
  it('picks the smallest calendar step that fits', () => {
    const minute = 60_000_000n;
    expect(pickBucketSeconds(0n, 5n * minute, 10)).toBe(30);
    expect(pickBucketSeconds(0n, 5n * minute + 1n, 10)).toBe(60);
    expect(pickBucketSeconds(0n, 5n * minute, 400)).toBe(1);
    expect(pickBucketSeconds(0n, 24n * 60n * minute, 30)).toBe(3600);
  });

  it('falls back to whole days for huge spans', () => {
    const thousandYears = 1000n * 365n * 86_400n * 1_000_000n;
    const seconds = pickBucketSeconds(0n, thousandYears, 100);
    expect(seconds % 86_400).toBe(0);
    expect(seconds).toBeGreaterThanOrEqual(365 * 86_400);
  });
});

describe('timeline histogram', () => {
  it('counts events per minute over the whole case', async () => {
    const backend = await caseWithConnections();
    const histogram = await backend.timelineHistogram({}, 10);
    expect(histogram.from).toBe('2024-03-01T10:00:00.000000Z');
    expect(histogram.bucketSeconds).toBe(60);
    expect(histogram.counts).toEqual([2, 1, 0, 0, 0, 1]);
    expect(histogram.outside).toBe(0);
  });

  it('applies search and the selected range', async () => {
    const backend = await caseWithConnections();
    const filtered = await backend.timelineHistogram({ search: '10.0.0.2' }, 10);
    expect(filtered.counts.reduce((sum, count) => sum + count, 0)).toBe(2);
    const ranged = await backend.timelineHistogram({ from: '2024-03-01T10:00:30Z', to: '2024-03-01T10:01:30Z' }, 60);
    expect(ranged.from).toBe('2024-03-01T10:00:30.000000Z');
    expect(ranged.bucketSeconds).toBe(1);
    expect(ranged.counts).toHaveLength(60);
    expect(ranged.counts[29]).toBe(1);
    expect(ranged.counts[30]).toBe(1);
    expect(ranged.counts.reduce((sum, count) => sum + count, 0)).toBe(2);
  });

  it('returns no buckets for an empty result', async () => {
    const backend = await caseWithConnections();
    const histogram = await backend.timelineHistogram({ search: 'no-such-text' }, 10);
    expect(histogram).toEqual({ from: null, bucketSeconds: 1, counts: [], outside: 0 });
  });
});
