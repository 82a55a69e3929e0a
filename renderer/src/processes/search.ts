// Search in the process tree: which nodes match a query, which nodes stay shown around
// them, and where a match sits in a text for highlighting.

import type { ProcessNode } from '../../../shared/processes.ts';
import type { ProcessForest } from './tree.ts';

export interface SearchResult {
  /** The query as applied: trimmed, in the case the user typed it. */
  query: string;
  /** Matching node ids in tree order. */
  matches: number[];
  /**
   * Nodes the tree shows while searching: every match, its ancestors (the path to it),
   * and its descendants (what it started), which appear once the match is expanded.
   */
  visible: Set<number>;
}

/** One piece of a text split around the matches of a query. */
export interface TextSegment {
  text: string;
  match: boolean;
}

/** Builds a case-insensitive pattern that matches the query's text literally. */
function patternFor(query: string): RegExp {
  return new RegExp(query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'giu');
}

function contains(pattern: RegExp, text: string | null): boolean {
  if (text === null) return false;
  pattern.lastIndex = 0;
  return pattern.test(text);
}

/**
 * True when the node's name, user or command line contains the query (ignoring case),
 * or when the query is a whole number equal to the PID. PIDs match only in full,
 * because a digit or two would otherwise match most of the tree.
 */
export function nodeMatches(node: ProcessNode, query: string, pattern = patternFor(query.trim())): boolean {
  const trimmed = query.trim();
  if (trimmed === '') return false;
  if (/^\d+$/.test(trimmed) && node.pid !== null && node.pid === Number(trimmed)) return true;
  return contains(pattern, node.name) || contains(pattern, node.user) || contains(pattern, node.commandLine);
}

/** Matches of a query in the forest, or null for an empty query (no search). */
export function searchForest(forest: ProcessForest, query: string): SearchResult | null {
  const trimmed = query.trim();
  if (trimmed === '') return null;

  const pattern = patternFor(trimmed);
  const matches = forest.preorder.filter((id) => nodeMatches(forest.byId.get(id)!, trimmed, pattern));
  const visible = new Set<number>(matches);

  // Ancestors: climb until a node already marked, because its ancestors are marked too.
  for (const id of matches) {
    let parent = forest.parentOf.get(id) ?? null;
    while (parent !== null && !visible.has(parent)) {
      visible.add(parent);
      parent = forest.parentOf.get(parent) ?? null;
    }
  }

  // Descendants: pre-order visits a parent before its children, so one pass marks whole subtrees.
  const matchSet = new Set(matches);
  const underMatch = new Set<number>();
  for (const id of forest.preorder) {
    const parent = forest.parentOf.get(id) ?? null;
    if (parent !== null && (matchSet.has(parent) || underMatch.has(parent))) {
      underMatch.add(id);
      visible.add(id);
    }
  }

  return { query: trimmed, matches, visible };
}

/** Splits `text` around every case-insensitive occurrence of `query`, for highlighting. */
export function splitMatches(text: string, query: string): TextSegment[] {
  if (text === '') return [];
  const trimmed = query.trim();
  if (trimmed === '') return [{ text, match: false }];
  const segments: TextSegment[] = [];
  let start = 0;
  for (const found of text.matchAll(patternFor(trimmed))) {
    if (found.index > start) segments.push({ text: text.slice(start, found.index), match: false });
    segments.push({ text: found[0], match: true });
    start = found.index + found[0].length;
  }
  if (start < text.length) segments.push({ text: text.slice(start), match: false });
  return segments;
}

/** Index of the next (step 1) or previous (step -1) match, wrapping around; -1 when there are none. */
export function stepMatchIndex(current: number, count: number, step: 1 | -1): number {
  if (count === 0) return -1;
  if (current < 0 || current >= count) return step === 1 ? 0 : count - 1;
  return (current + step + count) % count;
}
