// The process tree view: a host picker, the tree of that host's processes with search
// and expansion controls, and the details of the opened process.

import { useEffect, useMemo } from 'react';
import { formatCount } from '../format/numbers.ts';
import { useCaseStore } from '../state/caseInfo.ts';
import { ProcessDetails } from './ProcessDetails.tsx';
import { ProcessTree } from './ProcessTree.tsx';
import { useProcessStore } from './store.ts';
import { flaggedIds } from './tree.ts';

/** `1 process`, `2 processes`: both nouns used here take -es. */
function plural(count: number, word: 'process' | 'match'): string {
  return `${formatCount(count)} ${count === 1 ? word : `${word}es`}`;
}

function HostPicker() {
  const hosts = useProcessStore((state) => state.hosts);
  const host = useProcessStore((state) => state.host);
  const chooseHost = useProcessStore((state) => state.chooseHost);
  return (
    <label className="field">
      <span>Host</span>
      <select
        data-testid="process-host"
        value={host ?? ''}
        disabled={!hosts || hosts.length === 0}
        onChange={(event) => void chooseHost(event.target.value)}
      >
        {hosts?.map((entry) => (
          <option key={entry.host} value={entry.host}>
            {`${entry.host}: ${plural(entry.processes, 'process')}, ${formatCount(entry.flagged)} flagged`}
          </option>
        ))}
      </select>
    </label>
  );
}

function SearchControls() {
  const text = useProcessStore((state) => state.searchText);
  const search = useProcessStore((state) => state.search);
  const matchIndex = useProcessStore((state) => state.matchIndex);
  const setSearch = useProcessStore((state) => state.setSearch);
  const stepMatch = useProcessStore((state) => state.stepMatch);
  const count = search?.matches.length ?? 0;
  return (
    <>
      <label className="field">
        <span>Search</span>
        <input
          type="search"
          data-testid="process-search"
          placeholder="name, PID, user or command line"
          title="Enter: next match, Shift+Enter: previous match, Escape: clear"
          value={text}
          onChange={(event) => setSearch(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              stepMatch(event.shiftKey ? -1 : 1);
            } else if (event.key === 'Escape') {
              setSearch('');
            }
          }}
        />
      </label>
      {search && (
        <>
          <output className="match-count" data-testid="process-match-count" aria-live="polite">
            {count === 0 ? 'no matches' : `${matchIndex < 0 ? '–' : formatCount(matchIndex + 1)} of ${plural(count, 'match')}`}
          </output>
          <button
            type="button"
            data-testid="process-match-previous"
            aria-label="Previous match"
            disabled={count === 0}
            onClick={() => stepMatch(-1)}
          >
            ↑
          </button>
          <button
            type="button"
            data-testid="process-match-next"
            aria-label="Next match"
            disabled={count === 0}
            onClick={() => stepMatch(1)}
          >
            ↓
          </button>
        </>
      )}
    </>
  );
}

function TreeControls() {
  const forest = useProcessStore((state) => state.forest);
  const flagged = useMemo(() => (forest ? flaggedIds(forest).length : 0), [forest]);
  const { expandAll, collapseAll, expandToFlagged } = useProcessStore.getState();
  return (
    <>
      <button type="button" data-testid="process-expand-all" disabled={!forest} onClick={expandAll}>
        Expand all
      </button>
      <button type="button" data-testid="process-collapse-all" disabled={!forest} onClick={collapseAll}>
        Collapse all
      </button>
      <button
        type="button"
        data-testid="process-expand-flagged"
        disabled={flagged === 0}
        title="Expand the ancestors of every flagged process and select the first one of the highest severity"
        onClick={expandToFlagged}
      >
        Expand to flagged ({formatCount(flagged)})
      </button>
      {forest && (
        <span className="counts" data-testid="process-counts">
          {plural(forest.nodes.length, 'process')}, {formatCount(flagged)} flagged
        </span>
      )}
    </>
  );
}

function TreePane() {
  const forest = useProcessStore((state) => state.forest);
  const host = useProcessStore((state) => state.host);
  const hosts = useProcessStore((state) => state.hosts);
  const hostsError = useProcessStore((state) => state.hostsError);
  const treeError = useProcessStore((state) => state.treeError);
  const loading = useProcessStore((state) => state.loading);
  const dataVersion = useCaseStore((state) => state.dataVersion);

  if (hostsError !== null) {
    return (
      <div className="process-message" role="alert" data-testid="process-error">
        <p className="error">Could not list the hosts with processes: {hostsError}</p>
        <button type="button" onClick={() => void useProcessStore.getState().load(dataVersion)}>
          Retry
        </button>
      </div>
    );
  }
  if (treeError !== null && host !== null) {
    return (
      <div className="process-message" role="alert" data-testid="process-error">
        <p className="error">
          Could not load the process tree of {host}: {treeError}
        </p>
        <button type="button" onClick={() => void useProcessStore.getState().chooseHost(host)}>
          Retry
        </button>
      </div>
    );
  }
  if (forest && host !== null) return <ProcessTree forest={forest} host={host} />;
  if (loading) return <p className="process-message secondary">Loading processes…</p>;
  if (hosts?.length === 0) {
    return (
      <p className="process-message secondary" data-testid="process-empty">
        No processes in this case: import Sysmon or Security event logs, or Volatility pslist, psscan or pstree output.
      </p>
    );
  }
  return null;
}

export function ProcessesView() {
  const dataVersion = useCaseStore((state) => state.dataVersion);
  const loadedVersion = useProcessStore((state) => state.loadedVersion);

  // Loads on the first visit and again after an import changed the case.
  useEffect(() => {
    if (loadedVersion !== dataVersion) void useProcessStore.getState().load(dataVersion);
  }, [dataVersion, loadedVersion]);

  return (
    <section className="processes" aria-label="Process tree">
      <div className="toolbar">
        <HostPicker />
        <SearchControls />
        <TreeControls />
      </div>
      <div className="process-body">
        <div className="process-tree-pane">
          <TreePane />
        </div>
        <ProcessDetails />
      </div>
    </section>
  );
}
