import { describe, expect, it } from 'vitest';
import { nodeMatches, searchForest, splitMatches, stepMatchIndex } from './search.ts';
import { processNode, sampleNodes } from './test-helpers.ts';
import { buildForest, expandAll, flattenTree } from './tree.ts';

const forest = buildForest(sampleNodes());
const sorted = (ids: Iterable<number>) => [...ids].sort((a, b) => a - b);

describe('nodeMatches', () => {
  const node = processNode(7, null, 'PowerShell.exe', { pid: 4242, user: 'CORP\\alice', commandLine: 'powershell -enc SQBFAFgA' });

  it('finds text in name, user and command line ignoring case', () => {
    expect(nodeMatches(node, 'powershell.EXE')).toBe(true);
    expect(nodeMatches(node, 'alice')).toBe(true);
    expect(nodeMatches(node, '-ENC sqb')).toBe(true);
    expect(nodeMatches(node, 'cmd.exe')).toBe(false);
  });

  it('matches a PID only in full', () => {
    expect(nodeMatches(node, '4242')).toBe(true);
    expect(nodeMatches(node, '424')).toBe(false);
    expect(nodeMatches(node, ' 4242 ')).toBe(true);
  });

  it('treats regular expression characters literally', () => {
    expect(nodeMatches(node, 'corp\\alice')).toBe(true);
    expect(nodeMatches(node, '.*')).toBe(false);
    expect(nodeMatches(processNode(8, null, 'a(1).exe'), '(1)')).toBe(true);
  });

  it('matches nothing for blank text', () => {
    expect(nodeMatches(node, '   ')).toBe(false);
  });
});

describe('searchForest', () => {
  it('returns null without a query', () => {
    expect(searchForest(forest, '  ')).toBeNull();
  });

  it('lists matches in tree order', () => {
    expect(searchForest(forest, '.exe')!.matches).toEqual([2, 3, 4, 5, 6, 10, 11, 12, 13]);
    expect(searchForest(forest, 'corp\\')!.matches).toEqual([10, 11]);
  });

  it('keeps ancestors and descendants of matches visible', () => {
    const result = searchForest(forest, 'svchost')!;
    expect(result.matches).toEqual([5]);
    // Path 1 > 4 > 5, the match's child 6, and nothing from other branches.
    expect(sorted(result.visible)).toEqual([1, 4, 5, 6]);
  });

  it('shows the path to a match through a missing parent', () => {
    const result = searchForest(forest, String(12 * 100))!;
    expect(result.matches).toEqual([12]);
    expect(sorted(result.visible)).toEqual([10, 11, 12]);
    expect(flattenTree(forest, expandAll(forest), result.visible).map((row) => row.id)).toEqual([10, 11, 12]);
  });

  it('finds no match without hiding the query', () => {
    const result = searchForest(forest, 'mimikatz')!;
    expect(result.query).toBe('mimikatz');
    expect(result.matches).toEqual([]);
    expect(result.visible.size).toBe(0);
  });
});

describe('splitMatches', () => {
  it('marks every occurrence ignoring case', () => {
    expect(splitMatches('cmd.exe /c CMD', 'cmd')).toEqual([
      { text: 'cmd', match: true },
      { text: '.exe /c ', match: false },
      { text: 'CMD', match: true },
    ]);
  });

  it('returns the whole text without a query', () => {
    expect(splitMatches('cmd.exe', '')).toEqual([{ text: 'cmd.exe', match: false }]);
    expect(splitMatches('', 'cmd')).toEqual([]);
  });
});

describe('stepMatchIndex', () => {
  it('wraps around both ways', () => {
    expect(stepMatchIndex(2, 3, 1)).toBe(0);
    expect(stepMatchIndex(0, 3, -1)).toBe(2);
    expect(stepMatchIndex(1, 3, 1)).toBe(2);
  });

  it('starts at either end without a current match', () => {
    expect(stepMatchIndex(-1, 3, 1)).toBe(0);
    expect(stepMatchIndex(-1, 3, -1)).toBe(2);
    expect(stepMatchIndex(-1, 0, 1)).toBe(-1);
  });
});
