import { describe, expect, it } from 'vitest';
import { placeDetail } from './placement.ts';
import { searchForest } from './search.ts';
import { sampleNodes } from './test-helpers.ts';
import { buildForest } from './tree.ts';

const forest = buildForest(sampleNodes());
const cmd = forest.byId.get(12)!;

describe('placeDetail', () => {
  it('shows a node of the tree without a search', () => {
    expect(placeDetail(cmd, 'WKS01', null)).toEqual({ kind: 'shown' });
  });

  it('reports a node of another host', () => {
    expect(placeDetail(cmd, 'SRV01', null)).toEqual({ kind: 'other-host', treeHost: 'SRV01' });
  });

  it('reports another host while no host is chosen', () => {
    expect(placeDetail(cmd, null, null)).toEqual({ kind: 'other-host', treeHost: null });
  });

  it('reports a node the search hides', () => {
    const search = searchForest(forest, 'svchost');
    expect(search).not.toBeNull();
    expect(placeDetail(cmd, 'WKS01', search)).toEqual({ kind: 'hidden-by-search', query: 'svchost' });
  });

  it('shows a node the search keeps', () => {
    // cmd.exe is a descendant of the match powershell.exe, so the search keeps it.
    const search = searchForest(forest, 'powershell');
    expect(search?.visible.has(12)).toBe(true);
    expect(placeDetail(cmd, 'WKS01', search)).toEqual({ kind: 'shown' });
  });

  it('checks the host before the search', () => {
    const search = searchForest(forest, 'svchost');
    expect(placeDetail(cmd, 'SRV01', search)).toEqual({ kind: 'other-host', treeHost: 'SRV01' });
  });
});
