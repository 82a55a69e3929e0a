import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ProcessHost, ProcessNode } from '../../shared/processes.ts';
import { importEvidence, newTestCase, SCENARIO_HOST, writeScenario } from '../case/processes/fixtures.ts';
import { main } from './main.ts';
import { selectHosts } from './processes.ts';
import { UsageError } from './usage.ts';

let casePath = '';
let caseDir = '';

beforeAll(async () => {
  const testCase = await newTestCase();
  casePath = testCase.casePath;
  caseDir = testCase.dir;
  try {
    const scenario = await writeScenario(path.join(testCase.dir, 'evidence'));
    await importEvidence(testCase.backend, scenario.files);
  } finally {
    await testCase.backend.close();
  }
});

afterEach(() => {
  vi.restoreAllMocks();
});

afterAll(async () => {
  await rm(caseDir, { recursive: true, force: true });
});

/** Runs the CLI and returns its exit code and what it wrote. */
async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk));
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  });
  const code = await main(['node', 'casebook', ...args]);
  vi.restoreAllMocks();
  return { code, stdout: stdout.join(''), stderr: stderr.join('') };
}

describe('casebook processes', () => {
  it('prints one JSON node per line', async () => {
    const { code, stdout } = await run('processes', '--case', casePath, '--format', 'jsonl');
    expect(code).toBe(0);
    const nodes = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ProcessNode);
    expect(nodes).toHaveLength(12);
    expect(new Set(nodes.map((node) => node.id)).size).toBe(12);
    expect(nodes.every((node) => node.host === SCENARIO_HOST)).toBe(true);
    const powershell = nodes.find((node) => node.pid === 4200)!;
    expect(powershell.sources).toEqual(['sysmon', 'security', 'pslist', 'psscan']);
    expect(powershell.flags.map((flag) => flag.code).sort()).toEqual(['encoded_powershell', 'malfind', 'office_spawns_shell']);
    expect(nodes.findIndex((node) => node.id === powershell.parentId)).toBeLessThan(nodes.indexOf(powershell));
  });

  it('prints an indented tree with a header per host', async () => {
    const { code, stdout } = await run('processes', '--case', casePath, '--host', SCENARIO_HOST);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(`host ${SCENARIO_HOST}: 12 processes, 7 flagged`);
    expect(lines).toContain('explorer.exe (pid 3000) 2024-05-02T08:05:00.000000Z  [sysmon,pslist,psscan]');
    expect(lines).toContain('  WINWORD.EXE (pid 4100) 2024-05-02T09:00:10.123000Z  [sysmon,security,pslist,psscan]');
    expect(lines).toContain(
      '    powershell.exe (pid 4200) 2024-05-02T09:00:12.456000Z  [sysmon,security,pslist,psscan] !office_spawns_shell !encoded_powershell !malfind',
    );
    expect(lines).toContain('      dropper.exe (pid 5000) 2024-05-02T09:10:00.500000Z  [sysmon,psscan] !hidden_from_pslist');
    expect(lines).toContain('ghost.exe (pid 6666) -  [] !network_without_process');
    expect(lines.filter((line) => line.includes('(pid '))).toHaveLength(12);
  });

  it('takes a host by first label in any case', async () => {
    for (const name of ['wks-01', 'WKS-01', 'wks-01.CORP.local']) {
      const { code, stdout } = await run('processes', '--case', casePath, '--host', name);
      expect(code, name).toBe(0);
      expect(stdout.split('\n')[0], name).toBe(`host ${SCENARIO_HOST}: 12 processes, 7 flagged`);
    }
  });

  it('exits 2 for an unknown host and names the known ones', async () => {
    const { code, stdout, stderr } = await run('processes', '--case', casePath, '--host', 'SRV-99');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`casebook: host "SRV-99" not found: known hosts are ${SCENARIO_HOST}\n`);
  });

  it('exits 2 for a missing case file', async () => {
    const missing = path.join(path.dirname(casePath), 'missing.duckdb');
    const { code, stderr } = await run('processes', '--case', missing);
    expect(code).toBe(2);
    expect(stderr).toContain(`case file ${JSON.stringify(missing)} not found`);
  });
});

function hosts(...names: string[]): ProcessHost[] {
  return names.map((host) => ({ host, processes: 1, flagged: 0 }));
}

function selected(list: ProcessHost[], requested: string): string[] {
  return selectHosts(list, requested).map((host) => host.host);
}

describe('host selection', () => {
  const known = hosts('SRV01.corp.example.com', 'WS01.corp.example.com', 'WS01.lab.example.com', 'memory image');

  it('matches the full name in any case', () => {
    expect(selected(known, 'SRV01.corp.example.com')).toEqual(['SRV01.corp.example.com']);
    expect(selected(known, 'srv01.CORP.example.com')).toEqual(['SRV01.corp.example.com']);
    expect(selected(known, 'ws01.lab.example.com')).toEqual(['WS01.lab.example.com']);
    expect(selected(known, 'Memory Image')).toEqual(['memory image']);
  });

  it('matches a unique first label', () => {
    expect(selected(known, 'SRV01')).toEqual(['SRV01.corp.example.com']);
    expect(selected(known, 'srv01')).toEqual(['SRV01.corp.example.com']);
  });

  it('rejects a first label of two hosts', () => {
    expect(() => selectHosts(known, 'ws01')).toThrow(UsageError);
    expect(() => selectHosts(known, 'ws01')).toThrow(
      'host "ws01" matches 2 hosts (WS01.corp.example.com, WS01.lab.example.com): pass one full name',
    );
  });

  it('prefers the exact case among case variants', () => {
    const variants = hosts('ws01.corp', 'WS01.corp');
    expect(selected(variants, 'WS01.corp')).toEqual(['WS01.corp']);
    expect(() => selectHosts(variants, 'Ws01.Corp')).toThrow('matches 2 hosts');
  });

  it('rejects a partial label or name', () => {
    expect(() => selectHosts(known, 'SRV')).toThrow('host "SRV" not found: known hosts are SRV01.corp.example.com,');
    expect(() => selectHosts(known, 'SRV01.corp')).toThrow('not found');
    expect(() => selectHosts([], 'SRV01')).toThrow('the case has no process events');
  });
});
