// CLI commands on case files they cannot open: a case another process has open, a file
// that is not a DuckDB database, a folder, and a serve port that is taken.

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tsvLog } from '../formats/zeek/test-helpers.ts';
import { runCli } from './test-helpers.ts';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

/** Opens a DuckDB file in a separate Node process, which holds DuckDB's file lock until its stdin closes. */
const HOLD_CASE = `
import { DuckDBInstance } from '@duckdb/node-api';
const instance = await DuckDBInstance.create(process.argv[1]);
await instance.connect();
process.stdout.write('ready\\n');
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

let dir = '';
let evidence = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cli-case-open-'));
  evidence = path.join(dir, 'conn.log');
  const rows = [['1709287200.000000', 'C1', '10.0.0.1', '10.0.0.9']];
  await writeFile(
    evidence,
    tsvLog({ path: 'conn', fields: ['ts', 'uid', 'id.orig_h', 'id.resp_h'], types: ['time', 'string', 'addr', 'addr'], rows }),
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('case held by another process', () => {
  let holder: ChildProcess;
  const casePath = () => path.join(dir, 'held.duckdb');

  beforeAll(async () => {
    holder = spawn(process.execPath, ['--input-type=module', '-e', HOLD_CASE, casePath()], {
      cwd: REPO_ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const [chunk] = (await once(holder.stdout!, 'data')) as [Buffer];
    expect(chunk.toString()).toBe('ready\n');
  }, 30_000);

  afterAll(async () => {
    const exited = once(holder, 'exit');
    holder.stdin!.end();
    await exited;
  });

  it('exits 2 naming the holder PID', async () => {
    const { code, stdout, stderr } = await runCli('info', '--case', casePath());
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `casebook: case file ${JSON.stringify(casePath())} is open in another process (PID ${holder.pid}), usually a running "casebook serve" or "casebook demo" or the Casebook desktop app: stop it or use another case file\n`,
    );
  });

  it('explains the lock for every command', async () => {
    for (const args of [
      ['timeline', '--case', casePath()],
      ['processes', '--case', casePath()],
      ['import', evidence, '--case', casePath()],
    ]) {
      const { code, stderr } = await runCli(...args);
      expect(code, args[0]).toBe(2);
      expect(stderr, args[0]).toContain(`is open in another process (PID ${holder.pid})`);
    }
  });
});

describe('case path that is not a case', () => {
  it('exits 2 for a file that is not DuckDB', async () => {
    const notCase = path.join(dir, 'notes.duckdb');
    await writeFile(notCase, 'case notes, not a database\n');
    for (const args of [
      ['info', '--case', notCase],
      ['import', evidence, '--case', notCase],
    ]) {
      const { code, stderr } = await runCli(...args);
      expect(code, args[0]).toBe(2);
      expect(stderr, args[0]).toBe(
        `casebook: ${JSON.stringify(notCase)} is not a DuckDB database: --case needs a Casebook case file, or a new path to create one with "casebook import"\n`,
      );
    }
  });

  it('exits 2 for an empty file', async () => {
    const empty = path.join(dir, 'empty.duckdb');
    await writeFile(empty, '');
    const { code, stderr } = await runCli('info', '--case', empty);
    expect(code).toBe(2);
    expect(stderr).toContain('is not a DuckDB database');
  });

  it('exits 2 for a folder', async () => {
    const folder = path.join(dir, 'folder.duckdb');
    await mkdir(folder);
    const { code, stderr } = await runCli('info', '--case', folder);
    expect(code).toBe(2);
    expect(stderr).toBe(`casebook: ${JSON.stringify(folder)} is a folder: --case needs a Casebook case file\n`);
  });
});

describe('serve on a port in use', () => {
  let blocker: Server;

  beforeAll(async () => {
    blocker = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
  });

  afterAll(async () => {
    blocker.close();
    await once(blocker, 'close');
  });

  it('exits 2 and suggests another port', async () => {
    const port = (blocker.address() as { port: number }).port;
    const webRoot = path.join(dir, 'web');
    await mkdir(webRoot, { recursive: true });
    await writeFile(path.join(webRoot, 'index.html'), '<!doctype html><title>Casebook</title>');
    const casePath = path.join(dir, 'serve.duckdb');
    const { code, stdout, stderr } = await runCli('serve', '--case', casePath, '--web-root', webRoot, '--port', String(port));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `casebook: port ${port} on 127.0.0.1 is already in use by another program: choose another --port, or omit --port to use a free one\n`,
    );
  });
});
