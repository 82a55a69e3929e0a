// The process forest of one host and its flattening into the rows the tree view
// renders: only children of expanded nodes appear, and a search can narrow the rows
// to a set of visible nodes.

import type { ProcessNode } from '../../../shared/processes.ts';
import { severityRank, topSeverity } from './severity.ts';

export interface ProcessForest {
  /** Nodes in the order the API returned them. */
  nodes: ProcessNode[];
  byId: Map<number, ProcessNode>;
  /** Child ids per node id, in input order; nodes without children have no entry. */
  children: Map<number, number[]>;
  /** Parent id within this forest, or null for a root. */
  parentOf: Map<number, number | null>;
  roots: number[];
  /** Every id in depth-first pre-order, which is the order of the fully expanded tree. */
  preorder: number[];
  depth: Map<number, number>;
}

/** One rendered line of the tree. */
export interface TreeRow {
  id: number;
  depth: number;
  parentId: number | null;
  /** True when the node has children among the rows that may be shown (the search can hide all of them). */
  hasChildren: boolean;
  expanded: boolean;
  /** 1-based position among its shown siblings and their count, for aria-posinset and aria-setsize. */
  position: number;
  siblings: number;
}

/**
 * Builds the forest from nodes listed parents before children. A node whose parent is
 * missing from the list is a root. The API promises no cycles, but a cycle would hang
 * every walk below, so the first node of a cycle (in input order) is cut loose as a root.
 */
export function buildForest(nodes: ProcessNode[]): ProcessForest {
  const byId = new Map<number, ProcessNode>();
  for (const node of nodes) byId.set(node.id, node);

  const parentOf = new Map<number, number | null>();
  for (const node of nodes) {
    const parent = node.parentId;
    parentOf.set(node.id, parent !== null && parent !== node.id && byId.has(parent) ? parent : null);
  }

  const children = new Map<number, number[]>();
  for (const node of nodes) {
    const parent = parentOf.get(node.id);
    if (parent === null || parent === undefined) continue;
    const list = children.get(parent);
    if (list) list.push(node.id);
    else children.set(parent, [node.id]);
  }

  const roots: number[] = [];
  const preorder: number[] = [];
  const depth = new Map<number, number>();
  const walkFrom = (root: number) => {
    const stack: number[] = [root];
    depth.set(root, 0);
    while (stack.length > 0) {
      const id = stack.pop()!;
      preorder.push(id);
      const kids = children.get(id);
      if (!kids) continue;
      const childDepth = depth.get(id)! + 1;
      for (let index = kids.length - 1; index >= 0; index -= 1) {
        depth.set(kids[index]!, childDepth);
        stack.push(kids[index]!);
      }
    }
  };

  for (const node of nodes) {
    if (parentOf.get(node.id) === null) {
      roots.push(node.id);
      walkFrom(node.id);
    }
  }
  // Nodes still unreached sit on a parent cycle.
  for (const node of nodes) {
    if (depth.has(node.id)) continue;
    const parent = parentOf.get(node.id)!;
    const siblings = children.get(parent)!;
    siblings.splice(siblings.indexOf(node.id), 1);
    if (siblings.length === 0) children.delete(parent);
    parentOf.set(node.id, null);
    roots.push(node.id);
    walkFrom(node.id);
  }

  return { nodes, byId, children, parentOf, roots, preorder, depth };
}

/** Ids of the node's ancestors, nearest first. */
export function ancestorsOf(forest: ProcessForest, id: number): number[] {
  const ancestors: number[] = [];
  for (let parent = forest.parentOf.get(id) ?? null; parent !== null; parent = forest.parentOf.get(parent) ?? null) {
    ancestors.push(parent);
  }
  return ancestors;
}

/** Returns the expanded set with every ancestor of `ids` added, so those nodes are shown. */
export function expandAncestors(forest: ProcessForest, expanded: ReadonlySet<number>, ids: Iterable<number>): Set<number> {
  const next = new Set(expanded);
  for (const id of ids) {
    for (const ancestor of ancestorsOf(forest, id)) next.add(ancestor);
  }
  return next;
}

/** Returns the expanded set that opens every node with children. */
export function expandAll(forest: ProcessForest): Set<number> {
  return new Set(forest.children.keys());
}

/** Returns the expanded set with the ancestors of every flagged node added. */
export function expandToFlagged(forest: ProcessForest, expanded: ReadonlySet<number>): Set<number> {
  return expandAncestors(
    forest,
    expanded,
    forest.nodes.filter((node) => node.flags.length > 0).map((node) => node.id),
  );
}

/** Ids of flagged nodes in tree order. */
export function flaggedIds(forest: ProcessForest): number[] {
  return forest.preorder.filter((id) => forest.byId.get(id)!.flags.length > 0);
}

/**
 * Returns the first node in tree order among those with the highest flag severity of the
 * forest, or undefined without flags. A low hit early in the tree (a malfind region of
 * zeros in an antivirus process) then does not take the selection from a high one.
 */
export function firstMostSevere(forest: ProcessForest): number | undefined {
  let best: { id: number; rank: number } | undefined;
  for (const id of forest.preorder) {
    const severity = topSeverity(forest.byId.get(id)!.flags);
    if (severity === null) continue;
    const rank = severityRank(severity);
    if (best === undefined || rank < best.rank) best = { id, rank };
  }
  return best?.id;
}

/**
 * Lists the rows of the tree as shown: roots, then the children of each expanded node,
 * depth first. With `visible`, nodes outside that set are left out with their subtrees.
 */
export function flattenTree(forest: ProcessForest, expanded: ReadonlySet<number>, visible: ReadonlySet<number> | null = null): TreeRow[] {
  const keepVisible = (ids: number[]) => (visible ? ids.filter((id) => visible.has(id)) : ids);
  const rows: TreeRow[] = [];
  const stack: TreeRow[] = [];

  const pushLevel = (ids: number[], depth: number, parentId: number | null) => {
    // Pushed in reverse so the first sibling pops first.
    for (let index = ids.length - 1; index >= 0; index -= 1) {
      const id = ids[index]!;
      const kids = keepVisible(forest.children.get(id) ?? []);
      stack.push({
        id,
        depth,
        parentId,
        hasChildren: kids.length > 0,
        expanded: kids.length > 0 && expanded.has(id),
        position: index + 1,
        siblings: ids.length,
      });
    }
  };

  pushLevel(keepVisible(forest.roots), 0, null);
  while (stack.length > 0) {
    const row = stack.pop()!;
    rows.push(row);
    if (row.expanded) pushLevel(keepVisible(forest.children.get(row.id)!), row.depth + 1, row.id);
  }
  return rows;
}

/** Row position by node id. */
export function indexRows(rows: readonly TreeRow[]): Map<number, number> {
  const index = new Map<number, number>();
  rows.forEach((row, position) => {
    index.set(row.id, position);
  });
  return index;
}
