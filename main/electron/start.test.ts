// The `npm start` launcher (bin/start.mjs), run as a process with --dry-run so it only
// reports the mode and command. ELECTRON_OVERRIDE_DIST_PATH points at a folder the test
// controls, so the result does not depend on whether this machine has Electron.

import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const launcher = path.resolve(import.meta.dirname, '../../bin/start.mjs');

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'casebook-start-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function start(args: string[], electronDist: string, home = dir) {
  const env = { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: electronDist, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') };
  return run(process.execPath, [launcher, ...args], { env, timeout: 30_000 });
}

describe.skipIf(process.platform === 'win32')('start launcher', () => {
  it('falls back to browser mode without Electron', async () => {
    const empty = await mkdtemp(path.join(dir, 'no-electron-'));
    const { stdout } = await start(['--dry-run', '--case', '/cases/a b.duckdb', '--port', '5199'], empty);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe(
      `The Electron runtime is not installed on this machine: no executable at ${path.join(empty, 'electron')}, set by ELECTRON_OVERRIDE_DIST_PATH.`,
    );
    expect(lines[1]).toBe('Casebook would start in browser mode instead.');
    expect(lines.at(-1)).toBe(`Would run: ${process.execPath} bin/casebook.mjs serve --case "/cases/a b.duckdb" --port 5199`);
  });

  it('opens the sample case in browser mode without --case', async () => {
    const empty = await mkdtemp(path.join(dir, 'no-electron-'));
    const { stdout } = await start(['--dry-run'], empty, dir);
    expect(stdout.trim().split('\n').at(-1)).toBe(
      `Would run: ${process.execPath} bin/casebook.mjs demo --dir ${path.join(dir, 'Documents', 'Casebook', 'sample')}`,
    );
  });

  it('uses the XDG documents folder for the sample', async () => {
    const home = await mkdtemp(path.join(dir, 'home-'));
    await mkdir(path.join(home, '.config'));
    await writeFile(path.join(home, '.config', 'user-dirs.dirs'), 'XDG_DESKTOP_DIR="$HOME/Desk"\nXDG_DOCUMENTS_DIR="$HOME/Dokumente"\n');
    const { stdout } = await start(['--dry-run'], path.join(home, 'none'), home);
    if (process.platform === 'linux') {
      expect(stdout).toContain(`--dir ${path.join(home, 'Dokumente', 'Casebook', 'sample')}`);
    } else {
      expect(stdout).toContain(`--dir ${path.join(home, 'Documents', 'Casebook', 'sample')}`);
    }
  });

  it('prints usage and the mode for --help', async () => {
    const empty = await mkdtemp(path.join(dir, 'no-electron-'));
    const { stdout } = await start(['--help'], empty);
    expect(stdout).toMatch(/^Usage: npm start \[-- options\]/);
    expect(stdout).toContain('The Electron runtime is not installed on this machine');
    expect(stdout).toContain('Casebook would start in browser mode instead.');
  });

  it('launches Electron on the project when a binary exists', async () => {
    const dist = await mkdtemp(path.join(dir, 'electron-'));
    const binary = path.join(dist, process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron');
    await mkdir(path.dirname(binary), { recursive: true });
    await writeFile(binary, '#!/bin/sh\nexit 0\n');
    await chmod(binary, 0o755);
    const { stdout } = await start(['--dry-run', '--case', '/cases/a.duckdb'], dist);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe(`Electron runtime found at ${binary}: Casebook would start as a desktop app.`);
    expect(lines.at(-1)).toBe(`Would run: ${binary} ${path.resolve(import.meta.dirname, '../..')} --case /cases/a.duckdb`);
  });

  it('treats a non-executable file as missing', async () => {
    const dist = await mkdtemp(path.join(dir, 'electron-'));
    await writeFile(path.join(dist, 'electron'), 'not a program');
    const { stdout } = await start(['--dry-run'], dist);
    expect(stdout).toContain('The Electron runtime is not installed on this machine');
  });
});
