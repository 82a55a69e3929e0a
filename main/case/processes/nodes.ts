// Reading process instances back as API nodes, and the tree order the view shows.

import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { FLAG_SEVERITIES, PROCESS_SOURCES, type ProcessFlag, type ProcessNode, type ProcessSource } from '../../../shared/processes.ts';
import { formatMicrosIso } from '../../../shared/time.ts';

/**
 * Columns of a node, for a query over `process_instances i`. Sources and flags come as
 * text (comma list, JSON): for 100,000 nodes on a 2-core machine, getRowObjectsJS took
 * about 4 s to build nested objects, and getRows took 0.2 s.
 */
export const NODE_SELECT = `
  SELECT i.instance_id, i.host, i.parent_id, i.pid, i.ppid, i.guid, i.name, i.image, i.command_line, i.user_name,
    i.start_us, i.start_nanos, i.end_us, i.child_count, src.sources, fl.flags
  FROM process_instances i
  LEFT JOIN (SELECT instance_id, string_agg(DISTINCT source, ',') AS sources FROM process_members GROUP BY instance_id) src
    USING (instance_id)
  LEFT JOIN (
    SELECT instance_id,
      CAST(to_json(list({'code': code, 'severity': severity, 'explanation': explanation} ORDER BY rule, explanation)) AS VARCHAR) AS flags
    FROM process_flags GROUP BY instance_id
  ) fl USING (instance_id)`;

function numberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

function isoOrNull(micros: unknown, nanos: unknown = 0): string | null {
  return micros === null || micros === undefined ? null : formatMicrosIso(BigInt(micros as bigint), Number(nanos ?? 0));
}

const SOURCE_ORDER = new Map<string, number>(PROCESS_SOURCES.map((source, index) => [source, index]));

/** Maps one row of NODE_SELECT, with its values in column order. */
export function toProcessNode(row: DuckDBValue[]): ProcessNode {
  const [id, host, parentId, pid, ppid, guid, name, image, commandLine, user, startUs, startNanos, endUs, childCount, sources, flags] = row;
  const sourceList = typeof sources === 'string' ? sources.split(',') : [];
  const flagList = typeof flags === 'string' ? (JSON.parse(flags) as ProcessFlag[]) : [];
  return {
    id: Number(id),
    host: host as string,
    parentId: numberOrNull(parentId),
    pid: numberOrNull(pid),
    ppid: numberOrNull(ppid),
    guid: (guid as string | null) ?? null,
    name: (name as string | null) ?? '(unknown)',
    image: (image as string | null) ?? null,
    commandLine: (commandLine as string | null) ?? null,
    user: (user as string | null) ?? null,
    start: isoOrNull(startUs, startNanos),
    end: isoOrNull(endUs),
    sources: sourceList
      .filter((source): source is ProcessSource => SOURCE_ORDER.has(source))
      .sort((a, b) => SOURCE_ORDER.get(a)! - SOURCE_ORDER.get(b)!),
    flags: flagList.map((flag) => ({
      code: flag.code,
      severity: FLAG_SEVERITIES.includes(flag.severity) ? flag.severity : 'low',
      explanation: flag.explanation,
    })),
    childCount: Number(childCount ?? 0),
  };
}

/** Runs a node query (NODE_SELECT plus WHERE) and maps its rows. */
export async function readNodes(connection: DuckDBConnection, sql: string, params: DuckDBValue[] = []): Promise<ProcessNode[]> {
  const reader = await connection.runAndReadAll(sql, params);
  return reader.getRows().map(toProcessNode);
}

function byStart(a: ProcessNode, b: ProcessNode): number {
  // Unknown starts first: such a process was already running when the records begin.
  if (a.start !== b.start) {
    if (a.start === null) return -1;
    if (b.start === null) return 1;
    return a.start < b.start ? -1 : 1;
  }
  return a.id - b.id;
}

/** Orders nodes depth first, parents before children, roots and siblings by start time. */
export function treeOrder(nodes: ProcessNode[]): ProcessNode[] {
  const present = new Set(nodes.map((node) => node.id));
  const children = new Map<number, ProcessNode[]>();
  const roots: ProcessNode[] = [];
  for (const node of nodes) {
    if (node.parentId !== null && present.has(node.parentId)) {
      const siblings = children.get(node.parentId) ?? [];
      siblings.push(node);
      children.set(node.parentId, siblings);
    } else {
      roots.push(node);
    }
  }
  const ordered: ProcessNode[] = [];
  const visited = new Set<number>();
  const stack = [...roots.sort(byStart)].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (visited.has(node.id)) continue;
    visited.add(node.id);
    ordered.push(node);
    const kids = (children.get(node.id) ?? []).sort(byStart);
    for (let index = kids.length - 1; index >= 0; index--) stack.push(kids[index]!);
  }
  // Unreachable only if the parent links had a cycle, which the build cuts; kept so no node is lost.
  for (const node of nodes) if (!visited.has(node.id)) ordered.push(node);
  return ordered;
}
