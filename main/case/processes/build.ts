// Builds the process tables of a case from its events table. Every table is a TEMP
// table of the store's read connection, created with CREATE OR REPLACE: the process
// tree is derived data, rebuilt after each import, and never written into the case
// file, so no schema migration is involved.
//
// Tables, in build order:
//   process_memory_plugins  memory log (Volatility plugin name) -> plugin kind
//   process_sightings       one row per process start record (Sysmon 1, 4688, pslist/psscan/pstree)
//   process_exits           one row per exit record (Sysmon 5, 4689)
//   process_units           one process as one source saw it
//   process_host_map        memory host as imported -> host used for the tree
//   process_unit_links      unit -> primary unit (the merge)
//   process_instances       one row per process instance, with parent and lifetime
//   process_members         events that make up each instance (start, parent reference, exit, network)
//   process_memory_owners   memory process owning the PID-only memory rows
//   process_malfind_regions malfind row -> severity and reason, from its bytes
//   process_flags           flags per instance

import type { DuckDBConnection } from '@duckdb/node-api';
import { buildFlags } from './flags.ts';
import { mapMemoryHosts } from './hosts.ts';
import { attachExits, buildInstances, setLifetimes } from './instances.ts';
import { addNetworkPlaceholders, buildMemoryOwners } from './network.ts';
import { resolveParents } from './parents.ts';
import { buildSightings } from './sightings.ts';
import { buildLogUnits, buildMemoryUnits, linkUnits, numberUnits } from './units.ts';

export interface BuildTiming {
  step: string;
  milliseconds: number;
}

/** Builds (or rebuilds) every process table; returns the time each step took. */
export async function buildProcessTables(connection: DuckDBConnection): Promise<BuildTiming[]> {
  const timings: BuildTiming[] = [];
  const steps: [string, (connection: DuckDBConnection) => Promise<void>][] = [
    ['sightings', buildSightings],
    ['log units', buildLogUnits],
    ['memory hosts', mapMemoryHosts],
    ['memory units', buildMemoryUnits],
    ['unit numbers', numberUnits],
    ['merge', linkUnits],
    ['instances', buildInstances],
    ['exits', attachExits],
    ['lifetimes', setLifetimes],
    ['parents', resolveParents],
    ['memory owners', buildMemoryOwners],
    ['network', addNetworkPlaceholders],
    ['flags', buildFlags],
  ];
  for (const [step, run] of steps) {
    const started = performance.now();
    await run(connection);
    timings.push({ step, milliseconds: performance.now() - started });
  }
  return timings;
}
