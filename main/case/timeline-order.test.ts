import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackend } from '../backend/backend.ts';
import type { CasebookBackend } from '../backend/types.ts';
import { tsvLog } from '../formats/zeek/test-helpers.ts';
import { CaseStore } from './store.ts';
import { ensureTimelineOrder } from './timeline-order.ts';

const open: CasebookBackend[] = [];

afterEach(async () => {
  while (open.length > 0) await open.pop()!.close();
});

/** A conn.log whose rows start at `first` seconds after 2024-03-01T10:00:00Z and step by `step`. */
async function connLog(file: string, prefix: string, first: number, step: number, rows: number): Promise<void> {
  const base = Date.UTC(2024, 2, 1, 10) / 1000;
  await writeFile(
    file,
    tsvLog({
      path: 'conn',
      fields: ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto'],
      types: ['time', 'string', 'addr', 'port', 'addr', 'port', 'enum'],
      rows: Array.from({ length: rows }, (_, index) => [
        (base + first + index * step).toFixed(6),
        `${prefix}${index}`,
        prefix === 'A' ? '10.0.0.1' : '10.0.0.2',
        '49152',
        '10.0.0.9',
        '443',
        'tcp',
      ]),
    }),
  );
}

async function importFile(backend: CasebookBackend, file: string): Promise<void> {
  const { importId } = await backend.startImport([file]);
  expect((await backend.waitForImport(importId)).state).toBe('done');
}

describe('time-ordered timeline copy', () => {
  it('interleaves files imported apart', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'timeline-order-'));
    await connLog(path.join(dir, 'a.log'), 'A', 0, 2, 500);
    await connLog(path.join(dir, 'b.log'), 'B', 1, 2, 500);
    const backend = await createBackend({ casePath: path.join(dir, 'case.duckdb') });
    open.push(backend);

    await importFile(backend, path.join(dir, 'a.log'));
    expect((await backend.timelinePage({}, 0, 10)).matched).toBe(500);
    await importFile(backend, path.join(dir, 'b.log'));

    const page = await backend.timelinePage({}, 300, 304);
    expect(page.matched).toBe(1000);
    // Second 300 is row A150, 301 is B150: the two files alternate in time order.
    expect(page.rows.map((row) => row.message.includes('10.0.0.1'))).toEqual([true, false, true, false]);
    const times = page.rows.map((row) => row.ts);
    expect([...times].sort()).toEqual(times);

    const onlyB = await backend.timelinePage({ search: '10.0.0.2' }, 100, 103);
    expect(onlyB.matched).toBe(500);
    expect(onlyB.rows.map((row) => row.ts)).toEqual([
      '2024-03-01T10:03:21.000000Z',
      '2024-03-01T10:03:23.000000Z',
      '2024-03-01T10:03:25.000000Z',
    ]);

    const last = await backend.timelinePage({}, 998, 1000);
    expect(last.rows.map((row) => row.ts)).toEqual(['2024-03-01T10:16:38.000000Z', '2024-03-01T10:16:39.000000Z']);
  });

  it('is built by the import and rebuilt only after changes', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'timeline-order-'));
    await connLog(path.join(dir, 'a.log'), 'A', 0, 1, 50);
    const casePath = path.join(dir, 'case.duckdb');
    const backend = await createBackend({ casePath });
    await importFile(backend, path.join(dir, 'a.log'));
    await backend.close();

    const store = await CaseStore.open(casePath);
    try {
      expect(await ensureTimelineOrder(store.connection)).toBe(false);
      await store.connection.run(`DELETE FROM case_meta WHERE key = 'timeline_order_signature'`);
      expect(await ensureTimelineOrder(store.connection)).toBe(true);
      expect(await ensureTimelineOrder(store.connection)).toBe(false);
    } finally {
      await store.close();
    }
  });
});

describe('time slices', () => {
  it('gives the same order as one sort', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'timeline-order-'));
    // Two files whose times interleave, one with ten rows sharing a second (ties across a slice bound).
    await connLog(path.join(dir, 'a.log'), 'A', 0, 1, 400);
    await connLog(path.join(dir, 'b.log'), 'B', 100, 0, 10);
    const casePath = path.join(dir, 'case.duckdb');
    const backend = await createBackend({ casePath });
    await importFile(backend, path.join(dir, 'a.log'));
    await importFile(backend, path.join(dir, 'b.log'));
    await backend.close();

    const store = await CaseStore.open(casePath);
    try {
      const order = async () =>
        (await store.connection.runAndReadAll('SELECT event_id FROM timeline_order ORDER BY rowid')).getRows().map((row) => Number(row[0]));
      expect(await ensureTimelineOrder(store.connection)).toBe(false);
      const whole = await order();
      await store.connection.run(`DELETE FROM case_meta WHERE key = 'timeline_order_signature'`);
      expect(await ensureTimelineOrder(store.connection, 37)).toBe(true);
      expect(await order()).toEqual(whole);
      expect(whole).toHaveLength(410);
    } finally {
      await store.close();
    }
  });
});
