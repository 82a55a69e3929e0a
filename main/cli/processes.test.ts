import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ProcessNode } from '../../shared/processes.ts';
import { importEvidence, newTestCase, SCENARIO_HOST, writeScenario } from '../case/processes/fixtures.ts';
import { main } from './main.ts';

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
