// Conflicts between the sources of one process instance: start times further apart
// than clock and rounding noise explain, command lines, and parent PIDs.

import type { ProcessSighting, ProcessSource } from '../../../shared/processes.ts';
import { parseIsoTime } from '../../../shared/time.ts';

const LABELS: Record<ProcessSource, string> = {
  sysmon: 'Sysmon',
  security: 'Security 4688',
  pslist: 'pslist',
  psscan: 'psscan',
  pstree: 'pstree',
};

const MEMORY: ReadonlySet<ProcessSource> = new Set(['pslist', 'psscan', 'pstree']);

/** Two log starts of one process further apart than this are reported. */
const LOG_START_TOLERANCE_US = 1_000_000n;

function micros(iso: string): bigint | null {
  return parseIsoTime(iso)?.micros ?? null;
}

/** Checks whether two starts disagree, given that memory times are floored to the second and log times are not. */
function startsDisagree(a: ProcessSighting, b: ProcessSighting): boolean {
  const startA = micros(a.start!);
  const startB = micros(b.start!);
  if (startA === null || startB === null) return false;
  const memoryA = MEMORY.has(a.source);
  const memoryB = MEMORY.has(b.source);
  if (memoryA && memoryB) return startA !== startB;
  if (memoryA) return startB < startA || startB >= startA + 1_000_000n;
  if (memoryB) return startA < startB || startA >= startB + 1_000_000n;
  const gap = startA > startB ? startA - startB : startB - startA;
  return gap > LOG_START_TOLERANCE_US;
}

function normalizeCommand(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

/**
 * Picks the first sighting per source that has the value, in the order the sightings are
 * given. The memory plugins count as one source: they read the same EPROCESS, so
 * their create time, name and parent PID agree by construction of the merge.
 */
function firstPerSource<T>(sightings: ProcessSighting[], value: (sighting: ProcessSighting) => T | null): [ProcessSighting, T][] {
  const seen = new Set<string>();
  const out: [ProcessSighting, T][] = [];
  for (const sighting of sightings) {
    const found = value(sighting);
    const key = MEMORY.has(sighting.source) ? 'memory' : sighting.source;
    if (found === null || seen.has(key)) continue;
    seen.add(key);
    out.push([sighting, found]);
  }
  return out;
}

/** Describes each disagreement between two sources' sightings in one sentence. */
export function findConflicts(sightings: ProcessSighting[]): string[] {
  const conflicts: string[] = [];
  const starts = firstPerSource(sightings, (sighting) => sighting.start);
  const commands = firstPerSource(sightings, (sighting) => (sighting.commandLine ? normalizeCommand(sighting.commandLine) : null));
  const parents = firstPerSource(sightings, (sighting) => sighting.ppid);
  for (let i = 0; i < starts.length; i++) {
    for (let j = i + 1; j < starts.length; j++) {
      const [a, startA] = starts[i]!;
      const [b, startB] = starts[j]!;
      if (startsDisagree(a, b)) {
        conflicts.push(`${LABELS[a.source]} records the start at ${startA} but ${LABELS[b.source]} at ${startB}`);
      }
    }
  }
  for (let i = 0; i < commands.length; i++) {
    for (let j = i + 1; j < commands.length; j++) {
      const [a, commandA] = commands[i]!;
      const [b, commandB] = commands[j]!;
      if (commandA !== commandB) {
        conflicts.push(
          `${LABELS[a.source]} records the command line ${JSON.stringify(commandA)} but ${LABELS[b.source]} ${JSON.stringify(commandB)}`,
        );
      }
    }
  }
  for (let i = 0; i < parents.length; i++) {
    for (let j = i + 1; j < parents.length; j++) {
      const [a, ppidA] = parents[i]!;
      const [b, ppidB] = parents[j]!;
      if (ppidA !== ppidB) conflicts.push(`${LABELS[a.source]} records parent PID ${ppidA} but ${LABELS[b.source]} ${ppidB}`);
    }
  }
  return conflicts;
}
