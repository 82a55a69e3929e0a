// `casebook info` on a case whose evidence was imported twice: files per import status
// in the text and in --json, beside the fields that were there before.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tsvLog } from '../formats/zeek/test-helpers.ts';
import { runCli } from './test-helpers.ts';

let dir = '';
let casePath = '';
let statuses: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cli-info-'));
  const evidence = path.join(dir, 'evidence');
  await mkdir(evidence);
  for (const [name, count] of [
    ['conn.log', 3],
    ['conn-more.log', 2],
  ] as const) {
    const rows = Array.from({ length: count }, (_, index) => [
      (1_709_287_200 + index).toFixed(6),
      `C${name}${index}`,
      '10.0.0.1',
      '10.0.0.9',
    ]);
    const log = tsvLog({ path: 'conn', fields: ['ts', 'uid', 'id.orig_h', 'id.resp_h'], types: ['time', 'string', 'addr', 'addr'], rows });
    await writeFile(path.join(evidence, name), log);
  }
  casePath = path.join(dir, 'case.duckdb');
  for (let pass = 0; pass < 2; pass++) {
    const result = await runCli('import', evidence, '--case', casePath, '--json');
    expect(result.code).toBe(0);
    statuses.push(...(JSON.parse(result.stdout) as { files: { status: string }[] }).files.map((file) => file.status));
  }
  statuses = statuses.sort();
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('casebook info', () => {
  it('counts a re-import as duplicates', () => {
    expect(statuses).toEqual(['duplicate', 'duplicate', 'imported', 'imported']);
  });

  it('prints files per status', async () => {
    const { code, stdout } = await runCli('info', '--case', casePath);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^case .+ \(schema \d+\): 5 events$/);
    expect(lines[1]).toBe('evidence files: 2 imported, 2 duplicate');
  });

  it('adds per-status counts to --json', async () => {
    const { code, stdout } = await runCli('info', '--case', casePath, '--json');
    expect(code).toBe(0);
    const info = JSON.parse(stdout);
    expect(info.evidenceByStatus).toEqual({ imported: 2, duplicate: 2 });
    expect(info.evidenceFiles).toBe(4);
    expect(info.events).toBe(5);
    expect(info.path).toBe(casePath);
    expect(info.sources).toEqual([{ source: 'zeek', log: 'conn', events: 5 }]);
    expect(info.timeRange).toEqual({ from: '2024-03-01T10:00:00.000000Z', to: '2024-03-01T10:00:02.000000Z' });
  });
});
