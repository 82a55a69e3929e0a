// `casebook timeline --from/--to`: dates alone as midnight UTC, date-times with and
// without an offset, and ranges that select nothing.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tsvLog } from '../formats/zeek/test-helpers.ts';
import { runCli } from './test-helpers.ts';
import { parseTimeOption } from './timeline.ts';

/** Connection start times, one per row: the last second of 11 March, then 12 and 13 March. */
const TIMES = ['2024-03-11T23:59:59Z', '2024-03-12T00:00:00Z', '2024-03-12T12:00:00Z', '2024-03-13T00:00:00Z'];

let dir = '';
let casePath = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cli-timeline-'));
  const rows = TIMES.map((time, index) => [(Date.parse(time) / 1000).toFixed(6), `C${index}`, '10.0.0.1', '10.0.0.9']);
  const log = tsvLog({ path: 'conn', fields: ['ts', 'uid', 'id.orig_h', 'id.resp_h'], types: ['time', 'string', 'addr', 'addr'], rows });
  await writeFile(path.join(dir, 'conn.log'), log);
  casePath = path.join(dir, 'case.duckdb');
  expect((await runCli('import', path.join(dir, 'conn.log'), '--case', casePath)).code).toBe(0);
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs `casebook timeline` as JSON lines and returns the exit code, the event times and stderr. */
async function timeline(...args: string[]): Promise<{ code: number; times: string[]; stderr: string }> {
  const { code, stdout, stderr } = await runCli('timeline', '--case', casePath, '--format', 'jsonl', ...args);
  const times = stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => (JSON.parse(line) as { ts: string }).ts);
  return { code, times, stderr };
}

describe('timeline time options', () => {
  it('reads a date alone as midnight UTC', () => {
    expect(parseTimeOption('--from', '2024-03-12')).toEqual({
      text: '2024-03-12T00:00:00Z',
      micros: BigInt(Date.parse(TIMES[1]!)) * 1000n,
    });
    expect(parseTimeOption('--to', ' 2024-03-12 ').text).toBe('2024-03-12T00:00:00Z');
  });

  it('keeps date-times as given', () => {
    expect(parseTimeOption('--from', '2024-03-12T01:00:00+01:00').micros).toBe(BigInt(Date.parse(TIMES[1]!)) * 1000n);
    expect(parseTimeOption('--from', '2024-03-12T12:00:00').text).toBe('2024-03-12T12:00:00');
  });

  it('rejects dates that do not exist', () => {
    expect(() => parseTimeOption('--from', '2024-02-30')).toThrow('--from "2024-02-30" is not a valid ISO 8601 date or time');
    expect(() => parseTimeOption('--to', '2024-3-12')).toThrow('--to "2024-3-12" is not a valid ISO 8601 date or time');
    expect(() => parseTimeOption('--to', '12/03/2024')).toThrow('is not a valid ISO 8601 date or time');
  });

  it('selects one day with dates alone', async () => {
    const { code, times } = await timeline('--from', '2024-03-12', '--to', '2024-03-13');
    expect(code).toBe(0);
    expect(times).toEqual(['2024-03-12T00:00:00.000000Z', '2024-03-12T12:00:00.000000Z']);
  });

  it('takes a date alone as --from only', async () => {
    const { code, times } = await timeline('--from', '2024-03-12');
    expect(code).toBe(0);
    expect(times).toHaveLength(3);
    expect(times[0]).toBe('2024-03-12T00:00:00.000000Z');
  });

  it('exits 2 for a reversed range', async () => {
    const { code, times, stderr } = await timeline('--from', '2024-03-13', '--to', '2024-03-12T06:00:00Z');
    expect(code).toBe(2);
    expect(times).toEqual([]);
    expect(stderr).toBe(
      'casebook: --from 2024-03-13 is not before --to 2024-03-12T06:00:00Z, so the range is empty (--to is exclusive): swap them or widen the range\n',
    );
  });

  it('exits 2 for an empty range', async () => {
    const { code, stderr } = await timeline('--from', '2024-03-12', '--to', '2024-03-12T00:00:00Z');
    expect(code).toBe(2);
    expect(stderr).toContain('is not before --to');
  });

  it('exits 2 for an invalid date', async () => {
    const { code, stderr } = await timeline('--from', '2024-02-30');
    expect(code).toBe(2);
    expect(stderr).toContain('--from "2024-02-30" is not a valid ISO 8601 date or time');
  });
});
