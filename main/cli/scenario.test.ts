// `casebook scenario` and `casebook sample` through the CLI entry point: names, exit
// codes, the key beside the folder, and when an existing folder may be written.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from './main.ts';

const temp = mkdtempSync(path.join(tmpdir(), 'scenario-cli-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

let stdout: string[];
let stderr: string[];
beforeEach(() => {
  stdout = [];
  stderr = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout.push(String(chunk));
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr.push(String(chunk));
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

const run = (...args: string[]) => main(['node', 'casebook', ...args]);

describe('casebook scenario', () => {
  it('writes the default scenario and its key beside the folder', async () => {
    const out = path.join(temp, 'default');
    expect(await run('scenario', '--seed', '2', '--scale', '2500', '--out', out)).toBe(0);
    const summary = JSON.parse(stdout.join(''));
    expect(summary.scenario).toBe('powershell-phish');
    expect(summary.key).toBe(`${out}.key.json`);
    const key = JSON.parse(readFileSync(`${out}.key.json`, 'utf8'));
    expect(key.seed).toBe(2);
    expect(key.scale).toBe(2500);
    expect(existsSync(path.join(out, 'hosts', 'WS01', 'Security.evtx'))).toBe(true);
    expect(existsSync(path.join(out, 'network', 'zeek', 'conn.log'))).toBe(true);
  });

  it('rejects an unknown name with exit code 2 and the list of names', async () => {
    expect(await run('scenario', 'no-such-scenario', '--out', path.join(temp, 'unknown'))).toBe(2);
    expect(stderr.join('')).toContain('powershell-phish, password-spray');
    expect(existsSync(path.join(temp, 'unknown'))).toBe(false);
  });

  it('rejects a folder with other files in it', async () => {
    const out = path.join(temp, 'occupied');
    mkdirSync(path.join(out, 'hosts', 'WS01'), { recursive: true });
    writeFileSync(path.join(out, 'hosts', 'WS01', 'Security.evtx'), 'old');
    writeFileSync(path.join(out, 'case-notes.txt'), 'keep me');
    expect(await run('scenario', '--out', out, '--scale', '2000')).toBe(2);
    expect(stderr.join('')).toContain('case-notes.txt');
    expect(readFileSync(path.join(out, 'case-notes.txt'), 'utf8')).toBe('keep me');
  });

  it('replaces a previous bundle in the same folder', async () => {
    const out = path.join(temp, 'rerun');
    const key = path.join(temp, 'keys', 'rerun.json');
    expect(await run('scenario', 'password-spray', '--seed', '1', '--scale', '2000', '--out', out, '--key', key)).toBe(0);
    expect(existsSync(path.join(out, 'hosts', 'TS01', 'Security.evtx'))).toBe(true);
    expect(await run('scenario', 'powershell-phish', '--seed', '1', '--scale', '2000', '--out', out, '--key', key)).toBe(0);
    expect(existsSync(path.join(out, 'hosts', 'TS01'))).toBe(false);
    expect(JSON.parse(readFileSync(key, 'utf8')).scenario).toBe('powershell-phish');
  });

  it('keeps the key out of the bundle folder', async () => {
    const out = path.join(temp, 'inside');
    expect(await run('scenario', '--out', out, '--key', path.join(out, 'key.json'))).toBe(2);
    expect(stderr.join('')).toContain('must not be inside the bundle folder');
  });
});

describe('casebook sample', () => {
  it('writes the small default scenario with the given seed and size', async () => {
    const out = path.join(temp, 'sample');
    expect(await run('sample', '--out', out, '--seed', '4', '--events', '2500')).toBe(0);
    const summary = JSON.parse(stdout.join(''));
    expect(summary.scenario).toBe('powershell-phish');
    expect(summary.seed).toBe(4);
    expect(summary.events).toBe(Object.values(summary.files as Record<string, number>).reduce((a, b) => a + b, 0));
    expect(Object.keys(summary.files)).toContain('hosts/WS01/Microsoft-Windows-Sysmon%4Operational.evtx');
    expect(existsSync(`${out}.key.json`)).toBe(true);
  });

  it('notes a size below the minimum on stderr', async () => {
    const smallest = path.join(temp, 'smallest');
    expect(await run('scenario', '--seed', '3', '--scale', '1', '--out', smallest)).toBe(0);
    const minimum = JSON.parse(stdout.join('')).records as number;
    stdout = [];
    stderr = [];
    const out = path.join(temp, 'tiny');
    expect(await run('sample', '--out', out, '--seed', '3', '--events', '10')).toBe(0);
    const summary = JSON.parse(stdout.join(''));
    expect(summary.events).toBe(minimum);
    expect(stderr.join('')).toBe(
      `casebook: notice: --events 10 is below the minimum of scenario powershell-phish (${minimum} records at seed 3), so the bundle has ${minimum} records\n`,
    );
  });

  it('writes no notice at or above the minimum', async () => {
    expect(await run('sample', '--out', path.join(temp, 'sized'), '--seed', '3', '--events', '5000')).toBe(0);
    expect(stderr.join('')).toBe('');
  });
});

describe('casebook scenario size', () => {
  it('notes a --scale below the minimum', async () => {
    expect(await run('scenario', 'password-spray', '--seed', '2', '--scale', '1', '--out', path.join(temp, 'spray-min'))).toBe(0);
    const minimum = JSON.parse(stdout.join('')).records as number;
    stdout = [];
    stderr = [];
    expect(await run('scenario', 'password-spray', '--seed', '2', '--scale', '50', '--out', path.join(temp, 'spray-50'))).toBe(0);
    expect(stderr.join('')).toBe(
      `casebook: notice: --scale 50 is below the minimum of scenario password-spray (${minimum} records at seed 2), so the bundle has ${minimum} records\n`,
    );
  });
});
