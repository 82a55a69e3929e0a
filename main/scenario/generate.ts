// Generates one scenario bundle: boots the hosts, schedules the attack and the
// background, runs the clock, then writes each host's memory outputs and the answer key.
// Everything derives from the definition and the seed, so the same seed writes the same
// bytes: no wall-clock time, no unordered iteration, fixed EVTX and Zeek header fields.

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { scheduleBackground } from './background.ts';
import { bootHost, consoleSession } from './boot.ts';
import { PLAYBOOKS } from './catalog.ts';
import type { ScenarioDefinition } from './definition.ts';
import { MemoryWriter } from './memory/snapshot.ts';
import { benignRegion } from './playbooks/common.ts';
import { isoMicros } from './time.ts';
import { World } from './world.ts';

export const GENERATOR = 'casebook-scenario@1';

/** Memory rows each host adds, roughly, for pacing the background. */
const MEMORY_ROWS_PER_HOST = 180;

export interface GenerateOptions {
  seed: number;
  /** Approximate records over all sources; default the scenario's defaultScale. */
  scale?: number;
  /** Bundle folder; created when missing. The caller checks that it may be written. */
  out: string;
}

export interface GenerateResult {
  scenario: string;
  seed: number;
  scale: number;
  /** Records per bundle file (EVTX records, Zeek rows, Volatility rows), by bundle path. */
  files: Record<string, number>;
  records: number;
  key: Record<string, unknown>;
}

// NOTE: each EVTX file holds at most 65535 chunks (about 4 GiB). The busiest log, a
// workstation's Sysmon file, takes about 19,000 chunks at --scale 10,000,000, so scales
// past roughly 30 million stop with the chunk writer's error instead of a bundle.
export function generateScenario(def: ScenarioDefinition, options: GenerateOptions): GenerateResult {
  const scale = options.scale ?? def.defaultScale;
  if (!(Number.isSafeInteger(scale) && scale > 0)) throw new Error(`scale must be a positive whole number, got ${scale}`);
  if (!Number.isSafeInteger(options.seed) || options.seed < 0)
    throw new Error(`seed must be a whole number of 0 or more, got ${options.seed}`);
  const playbook = PLAYBOOKS[def.playbook];
  if (!playbook) throw new Error(`scenario ${def.name}: unknown playbook ${def.playbook}`);
  mkdirSync(options.out, { recursive: true });
  const world = new World(def, options.seed, options.out);
  try {
    for (const host of world.hosts) {
      bootHost(world, host);
      if (host.def.user) consoleSession(world, host, host.def.user);
      if (host.known.defender) host.injections.push(benignRegion(world, host.known.defender));
    }
    const attack = playbook.estimate(world);
    playbook.schedule(world);
    scheduleBackground(world, scale - MEMORY_ROWS_PER_HOST * world.hosts.length, attack);
    world.run();
  } finally {
    world.close();
  }
  const files: Record<string, number> = {};
  for (const host of world.hosts) for (const sink of Object.values(host.logs)) files[sink.evidence] = sink.records;
  for (const sink of Object.values(world.zeek)) files[sink.evidence] = sink.records;
  const memory = new MemoryWriter(world);
  for (const host of world.hosts) Object.assign(files, memory.writeHost(host));
  const records = Object.values(files).reduce((sum, count) => sum + count, 0);
  const key = world.key.toJson({
    scenario: def.name,
    title: def.title,
    summary: def.summary,
    generator: GENERATOR,
    seed: options.seed,
    scale,
    start: isoMicros(world.start),
    end: isoMicros(world.end),
    memory_captured: isoMicros(world.end),
    note: 'Evidence paths are relative to the bundle folder; a case that imports the folder stores them under the folder name. Locators are those of the case locator column.',
    hosts: world.hosts.map((host) => ({
      name: host.name,
      fqdn: host.fqdn,
      ip: host.ip,
      role: host.role,
      user: host.def.user ?? null,
      memory_renderer: host.def.memory,
    })),
    users: def.users.map((user) => ({
      name: user.name,
      domain: def.domain.netbios,
      sid: `${def.domain.sid}-${user.rid}`,
      admin: user.admin ?? false,
    })),
    files: Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  });
  return { scenario: def.name, seed: options.seed, scale, files, records, key };
}

export function writeKey(file: string, key: Record<string, unknown>): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, `${JSON.stringify(key, null, 2)}\n`);
}
