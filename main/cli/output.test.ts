import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../backend/backend.ts';
import { tsvLog } from '../formats/zeek/test-helpers.ts';

const CLI = path.resolve(import.meta.dirname, '../../bin/casebook.mjs');
/** Enough rows that the output is far larger than a pipe's buffer (64 KiB on Linux). */
const ROWS = 5_000;

let dir = '';
let casePath = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cli-output-'));
  const rows = Array.from({ length: ROWS }, (_, index) => [
    (1_709_287_200 + index).toFixed(6),
    `C${index}`,
    '10.0.0.1',
    '49152',
    '10.0.0.9',
    '443',
    'tcp',
  ]);
  await writeFile(
    path.join(dir, 'conn.log'),
    tsvLog({
      path: 'conn',
      fields: ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto'],
      types: ['time', 'string', 'addr', 'port', 'addr', 'port', 'enum'],
      rows,
    }),
  );
  casePath = path.join(dir, 'case.duckdb');
  const backend = await createBackend({ casePath });
  try {
    const { importId } = await backend.startImport([path.join(dir, 'conn.log')]);
    expect((await backend.waitForImport(importId)).records).toBe(ROWS);
  } finally {
    await backend.close();
  }
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the CLI, reads its first line, closes the pipe, and returns the exit code and stderr. */
function readFirstLineThenClose(args: string[]): Promise<{ code: number | null; first: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let buffered = '';
    let first = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (first) return;
      buffered += chunk.toString('utf8');
      const end = buffered.indexOf('\n');
      if (end >= 0) {
        first = buffered.slice(0, end);
        child.stdout.destroy();
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, first, stderr }));
  });
}

describe('streaming output into a closed pipe', () => {
  it('timeline stops quietly', async () => {
    const result = await readFirstLineThenClose(['timeline', '--case', casePath, '--format', 'jsonl']);
    expect(JSON.parse(result.first).source).toBe('zeek');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  }, 60_000);

  it('processes stops quietly on an empty tree', async () => {
    const result = await readFirstLineThenClose(['processes', '--case', casePath, '--format', 'jsonl']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  }, 60_000);
});
