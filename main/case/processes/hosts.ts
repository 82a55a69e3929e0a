// Assigns memory processes to a host. Sysmon and Security events name their host (the
// FQDN in `Computer`), but Volatility output does not. The importer stores memory rows
// with the host it was given, and today it is given none.
//
// The rule: a memory host name that equals a log host, or that host's first DNS label,
// is that log host. Otherwise, when exactly one log host has a process start that a
// memory process matches (same PID, agreeing name, create time in the floored second),
// the memory processes are that host's. Otherwise they stay apart, under their own
// host name or MEMORY_HOST, because attaching them to the wrong machine would invent
// merges and flags.

import type { DuckDBConnection } from '@duckdb/node-api';
import { MEMORY_PROCESS_PLUGINS } from './sightings.ts';
import { sqlList } from './sql-text.ts';
import { memoryMatchesLogSql } from './units.ts';

/** Host of memory processes whose machine is unknown and matches no log host. */
export const MEMORY_HOST = 'memory image';

/** Log hosts that memory processes of one memory host agree with, and how many do. */
export interface HostAgreement {
  logHost: string;
  processes: number;
}

/** Chooses the host for the memory processes stored with host `memoryHost` (null when the import knew none). */
export function chooseMemoryHost(memoryHost: string | null, logHosts: string[], agreements: HostAgreement[]): string {
  if (memoryHost !== null) {
    const target = memoryHost.toLowerCase();
    const named = logHosts.find((host) => host.toLowerCase() === target || host.toLowerCase().split('.')[0] === target);
    if (named) return named;
  }
  const agreeing = agreements.filter((agreement) => agreement.processes > 0);
  if (agreeing.length === 1) return agreeing[0]!.logHost;
  return memoryHost ?? MEMORY_HOST;
}

/** Creates `process_host_map` (raw memory host, host) and sets the host of every memory sighting. */
export async function mapMemoryHosts(connection: DuckDBConnection): Promise<void> {
  const memorySources = sqlList(MEMORY_PROCESS_PLUGINS);
  const rawReader = await connection.runAndReadAll(
    `SELECT DISTINCT host FROM events WHERE source = 'memory'
     UNION SELECT DISTINCT raw_host FROM process_sightings WHERE source IN ${memorySources}`,
  );
  const rawHosts = rawReader.getRows().map((row) => (row[0] === null ? null : String(row[0])));
  const logReader = await connection.runAndReadAll(`SELECT DISTINCT host FROM process_units WHERE kind <> 'memory' AND host IS NOT NULL`);
  const logHosts = logReader.getRows().map((row) => String(row[0]));
  const agreementReader = await connection.runAndReadAll(`
    SELECT m.raw_host, l.host, count(DISTINCT m.event_id) AS processes
    FROM process_sightings m JOIN process_units l ON l.kind IN ('sysmon', 'security') AND ${memoryMatchesLogSql('m', 'l', { untimed: false })}
    WHERE m.source IN ${memorySources}
    GROUP BY ALL`);
  const agreements = new Map<string | null, HostAgreement[]>();
  for (const row of agreementReader.getRowObjects()) {
    const raw = row.raw_host === null ? null : String(row.raw_host);
    const list = agreements.get(raw) ?? [];
    list.push({ logHost: String(row.host), processes: Number(row.processes) });
    agreements.set(raw, list);
  }
  await connection.run(`CREATE OR REPLACE TEMP TABLE process_host_map (raw_host VARCHAR, host VARCHAR)`);
  for (const raw of rawHosts) {
    await connection.run(`INSERT INTO process_host_map VALUES ($1, $2)`, [raw, chooseMemoryHost(raw, logHosts, agreements.get(raw) ?? [])]);
  }
  await connection.run(`
    UPDATE process_sightings SET host = map.host FROM process_host_map map
    WHERE process_sightings.source IN ${memorySources} AND map.raw_host IS NOT DISTINCT FROM process_sightings.raw_host`);
}
