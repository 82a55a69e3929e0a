// State of the process tree view: the hosts, the chosen host's forest, which nodes are
// expanded, the selected node, the node whose details show, and the search. Kept in a
// store so the view finds it unchanged after a visit to another view.

import { create } from 'zustand';
import type { ProcessHost, ProcessNode } from '../../../shared/processes.ts';
import { api } from '../api/client.ts';
import { describeError } from '../api/errors.ts';
import { type SearchResult, searchForest, stepMatchIndex } from './search.ts';
import { ancestorsOf, buildForest, expandAll, expandAncestors, expandToFlagged, firstMostSevere, type ProcessForest } from './tree.ts';

interface ProcessState {
  hosts: ProcessHost[] | null;
  hostsError: string | null;
  host: string | null;
  forest: ProcessForest | null;
  treeError: string | null;
  loading: boolean;
  expanded: Set<number>;
  selectedId: number | null;
  /**
   * The node whose details the pane shows, set by a click or Enter but not by arrow keys. It
   * stays when another host is chosen, so the pane can keep a process beside another tree,
   * and is cleared when the case's data changes, because ids are only stable within one
   * build of the process table.
   */
  detailId: number | null;
  searchText: string;
  search: SearchResult | null;
  /** Position of the current match in `search.matches`, or -1. */
  matchIndex: number;
  /** Increments when the selected row must be scrolled into view. */
  revealRequest: number;
  /** The case data version the hosts were last loaded for; null before the first successful load. */
  loadedVersion: number | null;
  /** Loads the hosts and the chosen host's tree; `dataVersion` is the case's data version at the call. */
  load(dataVersion: number): Promise<void>;
  chooseHost(host: string): Promise<void>;
  toggle(id: number): void;
  expand(id: number): void;
  collapse(id: number): void;
  expandAll(): void;
  collapseAll(): void;
  expandToFlagged(): void;
  select(id: number, reveal?: boolean): void;
  open(id: number): void;
  /**
   * Selects a node and opens its details: loads its host's tree when another host shows,
   * expands its ancestors and clears a search that hides it.
   */
  reveal(node: Pick<ProcessNode, 'id' | 'host'>): Promise<void>;
  setSearch(text: string): void;
  stepMatch(step: 1 | -1): void;
}

/** Nodes at depth 0 expanded, so a freshly loaded tree shows the roots and their children. */
function initialExpansion(forest: ProcessForest): Set<number> {
  return new Set(forest.roots.filter((id) => forest.children.has(id)));
}

// Responses of an older request are dropped when the user switched hosts meanwhile.
let treeRequest = 0;

export const useProcessStore = create<ProcessState>()((set, get) => {
  /** Loads the tree of `host`. With `keepDetail`, the details pane keeps its process, which may run on another host. */
  const loadTree = async (host: string, keepDetail: boolean) => {
    const request = ++treeRequest;
    set({
      host,
      forest: null,
      treeError: null,
      loading: true,
      selectedId: null,
      ...(keepDetail ? {} : { detailId: null }),
      search: null,
      matchIndex: -1,
    });
    try {
      const forest = buildForest(await api.processTree(host));
      if (request !== treeRequest) return;
      const search = searchForest(forest, get().searchText);
      const expanded = search ? expandAncestors(forest, initialExpansion(forest), search.matches) : initialExpansion(forest);
      set({ forest, expanded, search, matchIndex: -1, loading: false });
    } catch (error) {
      if (request === treeRequest) set({ treeError: describeError(error), loading: false });
    }
  };

  /** Moves the selection to the match at `index` and shows it. */
  const goToMatch = (index: number) => {
    const { forest, search, expanded } = get();
    if (!forest || !search || index < 0) {
      set({ matchIndex: -1 });
      return;
    }
    const id = search.matches[index]!;
    set((state) => ({
      matchIndex: index,
      expanded: expandAncestors(forest, expanded, [id]),
      selectedId: id,
      revealRequest: state.revealRequest + 1,
    }));
  };

  return {
    hosts: null,
    hostsError: null,
    host: null,
    forest: null,
    treeError: null,
    loading: false,
    expanded: new Set(),
    selectedId: null,
    detailId: null,
    searchText: '',
    search: null,
    matchIndex: -1,
    revealRequest: 0,
    loadedVersion: null,

    load: async (dataVersion) => {
      set({ hostsError: null, loading: true });
      let hosts: ProcessHost[];
      try {
        hosts = await api.processHosts();
      } catch (error) {
        set({ hosts: null, hostsError: describeError(error), loading: false });
        return;
      }
      const current = get().host;
      const host = current !== null && hosts.some((entry) => entry.host === current) ? current : (hosts[0]?.host ?? null);
      set({ hosts, loadedVersion: dataVersion });
      if (host === null) {
        treeRequest += 1;
        set({ host: null, forest: null, treeError: null, loading: false });
        return;
      }
      await loadTree(host, false);
    },

    chooseHost: (host) => loadTree(host, true),

    toggle: (id) => {
      const { expanded } = get();
      if (expanded.has(id)) get().collapse(id);
      else get().expand(id);
    },

    expand: (id) => {
      const next = new Set(get().expanded);
      next.add(id);
      set({ expanded: next });
    },

    collapse: (id) => {
      const { forest, expanded, selectedId } = get();
      const next = new Set(expanded);
      next.delete(id);
      // A selection inside the collapsed subtree moves up to the collapsed node.
      const selectionHidden = forest !== null && selectedId !== null && ancestorsOf(forest, selectedId).includes(id);
      set({ expanded: next, ...(selectionHidden ? { selectedId: id } : {}) });
    },

    expandAll: () => {
      const { forest } = get();
      if (forest) set({ expanded: expandAll(forest) });
    },

    collapseAll: () => {
      const { forest, selectedId } = get();
      if (!forest) return;
      const root = selectedId === null ? null : (ancestorsOf(forest, selectedId).at(-1) ?? selectedId);
      set((state) => ({ expanded: new Set(), selectedId: root, revealRequest: state.revealRequest + 1 }));
    },

    expandToFlagged: () => {
      const { forest, expanded } = get();
      if (!forest) return;
      const first = firstMostSevere(forest);
      set((state) => ({
        expanded: expandToFlagged(forest, expanded),
        ...(first === undefined ? {} : { selectedId: first, revealRequest: state.revealRequest + 1 }),
      }));
    },

    select: (id, reveal = false) => set((state) => ({ selectedId: id, revealRequest: state.revealRequest + (reveal ? 1 : 0) })),

    open: (id) => set({ selectedId: id, detailId: id }),

    reveal: async ({ id, host }) => {
      if (get().host !== host) {
        await loadTree(host, true);
        // Another host chosen while the tree loaded wins over this reveal.
        if (get().host !== host) return;
      }
      const { forest, expanded, search } = get();
      if (!forest?.byId.has(id)) return;
      const hiddenBySearch = search !== null && !search.visible.has(id);
      set((state) => ({
        ...(hiddenBySearch ? { searchText: '', search: null, matchIndex: -1 } : {}),
        expanded: expandAncestors(forest, expanded, [id]),
        selectedId: id,
        detailId: id,
        revealRequest: state.revealRequest + 1,
      }));
    },

    setSearch: (text) => {
      const { forest, expanded } = get();
      const search = forest ? searchForest(forest, text) : null;
      set({ searchText: text, search, matchIndex: -1 });
      if (forest && search && search.matches.length > 0) {
        set({ expanded: expandAncestors(forest, expanded, search.matches) });
        goToMatch(0);
      }
    },

    stepMatch: (step) => {
      const { search, matchIndex } = get();
      if (!search) return;
      goToMatch(stepMatchIndex(matchIndex, search.matches.length, step));
    },
  };
});
