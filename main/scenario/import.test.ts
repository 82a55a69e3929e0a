// A generated bundle imported into a real case: every answer-key event is found by its
// evidence path and locator, every key process by host and PID, and every key flow by
// its 5-tuple and time.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBackend } from '../backend/backend.ts';
import { openCaseDatabase } from '../case/db.ts';
import { findScenario } from './catalog.ts';
import { generateScenario } from './generate.ts';

const temp = mkdtempSync(path.join(tmpdir(), 'scenario-import-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

interface KeyEvent {
  evidence: string;
  locator: string;
  source: string;
  code: string;
}
interface KeyProcess {
  host: string;
  pid: number;
  image: string;
  start: string;
  end: string | null;
}
interface KeyFlow {
  src_ip: string;
  src_port: number;
  dst_ip: string;
  dst_port: number;
  time: string;
  host: string | null;
}
interface Key {
  hosts: { name: string; fqdn: string }[];
  events: KeyEvent[];
  processes: KeyProcess[];
  flows: KeyFlow[];
}

type Row = Record<string, unknown>;

async function importAndQuery(name: string, seed: number, scale: number): Promise<{ key: Key; rows: Row[]; statuses: string[] }> {
  const dir = path.join(temp, name);
  const bundle = path.join(dir, 'bundle');
  const result = generateScenario(findScenario(name)!, { seed, scale, out: bundle });
  const casePath = path.join(dir, 'case.duckdb');
  const backend = await createBackend({ casePath });
  try {
    const { importId } = await backend.startImport([bundle]);
    const progress = await backend.waitForImport(importId);
    expect(progress.state).toBe('done');
  } finally {
    await backend.close();
  }
  const database = await openCaseDatabase(casePath);
  try {
    const reader = await database.connection.runAndReadAll(
      `SELECT e.locator, v.path, e.source, e.event_code, e.host, e.process_pid, e.process_image, e.src_ip, e.src_port, e.dst_ip, e.dst_port,
              strftime(e.ts, '%Y-%m-%dT%H:%M:%S.%fZ') AS ts
       FROM events e JOIN evidence v USING (evidence_id)`,
    );
    const evidence = await database.connection.runAndReadAll('SELECT path, status, errors, warnings FROM evidence ORDER BY path');
    const statuses = (evidence.getRows() as [string, string, bigint, bigint][]).map(
      ([file, status, errors, warnings]) => `${file} ${status} errors=${errors} warnings=${warnings}`,
    );
    return { key: result.key as unknown as Key, rows: reader.getRowObjects() as Row[], statuses };
  } finally {
    database.close();
  }
}

for (const [name, seed, scale] of [
  ['powershell-phish', 3, 4000],
  ['password-spray', 4, 3000],
] as const) {
  describe(`${name} bundle imported into a case`, () => {
    let data: Awaited<ReturnType<typeof importAndQuery>>;
    const load = async () => {
      data ??= await importAndQuery(name, seed, scale);
      return data;
    };

    it('imports every file without errors or warnings', async () => {
      const { statuses } = await load();
      expect(statuses.length).toBeGreaterThan(40);
      expect(statuses.filter((status) => !status.endsWith('imported errors=0 warnings=0'))).toEqual([]);
    });

    it('finds every answer-key event by evidence path and locator', async () => {
      const { key, rows } = await load();
      const stored = new Set(rows.map((row) => `${row.path}|${row.locator}`));
      expect(key.events.length).toBeGreaterThan(20);
      const missing = key.events.filter((event) => !stored.has(`bundle/${event.evidence}|${event.locator}`));
      expect(missing).toEqual([]);
      const codes = new Map(rows.map((row) => [`${row.path}|${row.locator}`, row]));
      for (const event of key.events.filter((e) => e.source === 'evtx')) {
        expect(codes.get(`bundle/${event.evidence}|${event.locator}`)?.event_code, event.locator).toBe(event.code);
      }
    });

    it('finds every key process by host and PID', async () => {
      const { key, rows } = await load();
      const fqdn = new Map(key.hosts.map((host) => [host.name, host.fqdn]));
      expect(key.processes.length).toBeGreaterThan(3);
      for (const proc of key.processes) {
        const starts = rows.filter(
          (row) =>
            row.source === 'evtx' &&
            row.event_code === '1' &&
            row.host === fqdn.get(proc.host) &&
            Number(row.process_pid) === proc.pid &&
            row.process_image === proc.image,
        );
        expect(starts, `Sysmon 1 of ${proc.host} PID ${proc.pid}`).toHaveLength(1);
        if (proc.end === null) {
          const memory = rows.filter(
            (row) =>
              row.source === 'memory' &&
              String(row.path).startsWith(`bundle/hosts/${proc.host}/memory/`) &&
              Number(row.process_pid) === proc.pid,
          );
          expect(memory.length, `memory rows of ${proc.host} PID ${proc.pid}`).toBeGreaterThan(0);
        }
      }
    });

    it('finds every key flow in Zeek by 5-tuple and time', async () => {
      const { key, rows } = await load();
      const conn = new Set(
        rows
          .filter((row) => row.source === 'zeek' && row.path === 'bundle/network/zeek/conn.log')
          .map((row) => `${row.src_ip}:${row.src_port}>${row.dst_ip}:${row.dst_port}@${row.ts}`),
      );
      const sysmon = new Set(
        rows.filter((row) => row.event_code === '3').map((row) => `${row.src_ip}:${row.src_port}>${row.dst_ip}:${row.dst_port}`),
      );
      expect(key.flows.length).toBeGreaterThan(0);
      for (const flow of key.flows) {
        const tuple = `${flow.src_ip}:${flow.src_port}>${flow.dst_ip}:${flow.dst_port}`;
        expect(conn.has(`${tuple}@${flow.time}`), `conn ${tuple} at ${flow.time}`).toBe(true);
        if (flow.host) expect(sysmon.has(tuple), `Sysmon 3 ${tuple}`).toBe(true);
      }
    });
  });
}
