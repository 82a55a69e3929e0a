// Fourth build step: each instance's parent, then child counts.
//
// - By GUID: Sysmon's ParentProcessGuid names the parent outright.
// - Else by PID: among the host's instances with the parent PID, the one that started
//   latest at or before the child's start and had not exited by then, because Windows
//   reuses PIDs. A parent with no known start counts as started before every child.
//   A child Sysmon names by GUID is never given a parent that has another GUID.
// - Links that would close a cycle (possible with equal, floored or missing times, or
//   with inconsistent records) are cut: the cycle's earliest-starting instance keeps
//   no parent.

import type { DuckDBConnection } from '@duckdb/node-api';
import { MICROS_PER_SECOND } from './sql-text.ts';

/** A parent may show its exit up to this long before a child's start: exits are logged or floored separately. */
const EXIT_TOLERANCE_US = MICROS_PER_SECOND;

export interface ParentLink {
  id: number;
  parentId: number;
  /** Start in microseconds, or null when unknown (counted as earliest). */
  start: bigint | null;
}

/**
 * Returns the instances whose parent link must be cut so no cycle remains: per cycle,
 * the member that started earliest (unknown start first, then the lowest id), since a
 * parent cannot start after its child.
 */
export function cycleBreaks(links: ParentLink[]): number[] {
  const parentOf = new Map<number, number>();
  const startOf = new Map<number, bigint | null>();
  for (const link of links) {
    parentOf.set(link.id, link.parentId);
    startOf.set(link.id, link.start);
  }
  const state = new Map<number, 'visiting' | 'done'>();
  const breaks: number[] = [];
  const earlier = (a: number, b: number): boolean => {
    const startA = startOf.get(a) ?? null;
    const startB = startOf.get(b) ?? null;
    if (startA === null || startB === null) return startA === startB ? a < b : startA === null;
    return startA === startB ? a < b : startA < startB;
  };
  for (const first of parentOf.keys()) {
    if (state.has(first)) continue;
    const path: number[] = [];
    let node: number | undefined = first;
    while (node !== undefined && !state.has(node)) {
      state.set(node, 'visiting');
      path.push(node);
      node = parentOf.get(node);
    }
    if (node !== undefined && state.get(node) === 'visiting') {
      const cycle = path.slice(path.indexOf(node));
      let cut = cycle[0]!;
      for (const member of cycle) if (earlier(member, cut)) cut = member;
      breaks.push(cut);
    }
    for (const member of path) state.set(member, 'done');
  }
  return breaks;
}

/** Sets `parent_id` and `child_count` of every instance. */
export async function resolveParents(connection: DuckDBConnection): Promise<void> {
  await connection.run(`
    UPDATE process_instances SET parent_id = p.instance_id
    FROM process_instances p
    WHERE process_instances.parent_guid IS NOT NULL AND p.guid = process_instances.parent_guid
      AND p.host = process_instances.host AND p.instance_id <> process_instances.instance_id`);
  await connection.run(`
    UPDATE process_instances SET parent_id = chosen.parent
    FROM (
      SELECT c.instance_id AS child, p.instance_id AS parent,
        row_number() OVER (PARTITION BY c.instance_id ORDER BY p.start_us DESC NULLS LAST, p.instance_id DESC) AS rank
      FROM process_instances c JOIN process_instances p
        ON p.host = c.host AND p.pid = c.ppid AND p.instance_id <> c.instance_id
      WHERE c.parent_id IS NULL AND c.start_us IS NOT NULL
        AND (c.parent_guid IS NULL OR p.guid IS NULL)
        AND (p.start_us IS NULL
          OR p.start_us <= c.start_us + CASE WHEN c.start_floored THEN ${MICROS_PER_SECOND - 1} ELSE 0 END)
        AND (p.end_us IS NULL OR p.end_us + ${EXIT_TOLERANCE_US} >= c.start_us)
    ) chosen
    WHERE chosen.rank = 1 AND process_instances.instance_id = chosen.child`);
  const reader = await connection.runAndReadAll(
    `SELECT instance_id, parent_id, start_us FROM process_instances WHERE parent_id IS NOT NULL`,
  );
  const links: ParentLink[] = reader.getRows().map((row) => ({
    id: Number(row[0]),
    parentId: Number(row[1]),
    start: row[2] === null ? null : BigInt(row[2] as bigint),
  }));
  const breaks = cycleBreaks(links);
  if (breaks.length > 0) {
    await connection.run(`UPDATE process_instances SET parent_id = NULL WHERE instance_id IN (${breaks.join(', ')})`);
  }
  await connection.run(`
    UPDATE process_instances SET child_count = counts.children
    FROM (SELECT parent_id, count(*) AS children FROM process_instances WHERE parent_id IS NOT NULL GROUP BY parent_id) counts
    WHERE process_instances.instance_id = counts.parent_id`);
}
