// Whether the tree beside the details pane shows the pane's process. The pane keeps its
// process while the user picks another host or searches, so it tells when the tree no
// longer shows that process instead of leaving the reader to assume it does.

import type { ProcessNode } from '../../../shared/processes.ts';
import type { SearchResult } from './search.ts';

export type DetailPlacement =
  | { kind: 'shown' }
  /** The tree shows `treeHost`, and the process runs on another host. */
  | { kind: 'other-host'; treeHost: string | null }
  /** The process is in the tree, but the search `query` hides its row. */
  | { kind: 'hidden-by-search'; query: string };

/** Returns whether the tree for `treeHost`, narrowed by `search`, shows the row of `node`. */
export function placeDetail(node: Pick<ProcessNode, 'id' | 'host'>, treeHost: string | null, search: SearchResult | null): DetailPlacement {
  if (node.host !== treeHost) return { kind: 'other-host', treeHost };
  if (search !== null && !search.visible.has(node.id)) return { kind: 'hidden-by-search', query: search.query };
  return { kind: 'shown' };
}
