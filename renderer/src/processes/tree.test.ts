import { describe, expect, it } from 'vitest';
import { sampleNodes } from './test-helpers.ts';
import { ancestorsOf, buildForest, expandAll, expandToFlagged, firstMostSevere, flaggedIds, flattenTree } from './tree.ts';

const ids = (rows: { id: number }[]) => rows.map((row) => row.id);

describe('buildForest', () => {
  it('treats a node with a missing parent as a root', () => {
    const forest = buildForest(sampleNodes());
    expect(forest.roots).toEqual([1, 10]);
    expect(forest.parentOf.get(10)).toBeNull();
    expect(forest.depth.get(12)).toBe(2);
  });

  it('lists every node in pre-order', () => {
    expect(buildForest(sampleNodes()).preorder).toEqual([1, 2, 3, 4, 5, 6, 10, 11, 12, 13]);
  });

  it('cuts a parent cycle instead of looping', () => {
    const nodes = sampleNodes();
    // 20 and 21 name each other as parent; 22 hangs below 21.
    nodes.push({ ...nodes[1]!, id: 20, parentId: 21 }, { ...nodes[1]!, id: 21, parentId: 20 }, { ...nodes[1]!, id: 22, parentId: 21 });
    const forest = buildForest(nodes);
    expect(forest.roots).toEqual([1, 10, 20]);
    expect(forest.preorder).toHaveLength(nodes.length);
    expect(ancestorsOf(forest, 22)).toEqual([21, 20]);
  });

  it('ignores a node that names itself as parent', () => {
    const nodes = sampleNodes();
    nodes.push({ ...nodes[0]!, id: 30, parentId: 30 });
    expect(buildForest(nodes).roots).toEqual([1, 10, 30]);
  });
});

describe('flattenTree', () => {
  const forest = buildForest(sampleNodes());

  it('shows only roots when nothing is expanded', () => {
    const rows = flattenTree(forest, new Set());
    expect(ids(rows)).toEqual([1, 10]);
    expect(rows.map((row) => [row.hasChildren, row.expanded])).toEqual([
      [true, false],
      [true, false],
    ]);
  });

  it('shows children of expanded nodes only', () => {
    // 5 is expanded but hidden under collapsed 4, so 6 stays hidden.
    const rows = flattenTree(forest, new Set([1, 5, 10]));
    expect(ids(rows)).toEqual([1, 2, 4, 10, 11, 13]);
    expect(rows.map((row) => row.depth)).toEqual([0, 1, 1, 0, 1, 1]);
    expect(rows.find((row) => row.id === 4)).toMatchObject({ parentId: 1, hasChildren: true, expanded: false });
  });

  it('gives sibling positions for aria-posinset', () => {
    const rows = flattenTree(forest, new Set([1, 10]));
    expect(rows.map((row) => [row.id, row.position, row.siblings])).toEqual([
      [1, 1, 2],
      [2, 1, 2],
      [4, 2, 2],
      [10, 2, 2],
      [11, 1, 2],
      [13, 2, 2],
    ]);
  });

  it('shows everything after expand all', () => {
    const rows = flattenTree(forest, expandAll(forest));
    expect(ids(rows)).toEqual(forest.preorder);
    expect(rows.filter((row) => !row.hasChildren).every((row) => !row.expanded)).toBe(true);
  });

  it('leaves out nodes outside the visible set with their subtrees', () => {
    const rows = flattenTree(forest, expandAll(forest), new Set([1, 4, 5, 6, 12]));
    expect(ids(rows)).toEqual([1, 4, 5, 6]);
    // 2 is not visible, so 1 has one shown child.
    expect(rows[1]).toMatchObject({ id: 4, position: 1, siblings: 1 });
    expect(rows[3]).toMatchObject({ id: 6, hasChildren: false });
  });

  it('flattens a chain of 50,000 processes', () => {
    const root = sampleNodes()[0]!;
    const chain = Array.from({ length: 50_000 }, (_, index) => ({ ...root, id: index + 1, parentId: index === 0 ? null : index }));
    const deep = buildForest(chain);
    const rows = flattenTree(deep, expandAll(deep));
    expect(rows).toHaveLength(50_000);
    expect(rows.at(-1)!.depth).toBe(49_999);
  });
});

describe('expandToFlagged', () => {
  const forest = buildForest(sampleNodes());

  it('expands the ancestors of every flagged node', () => {
    const expanded = expandToFlagged(forest, new Set());
    expect([...expanded].sort((a, b) => a - b)).toEqual([1, 4, 5, 10, 11]);
    const rows = flattenTree(forest, expanded);
    expect(ids(rows)).toContain(6);
    expect(ids(rows)).toContain(12);
    // Collapsed siblings stay collapsed.
    expect(ids(rows)).not.toContain(3);
  });

  it('keeps nodes that were already expanded', () => {
    expect(expandToFlagged(forest, new Set([2])).has(2)).toBe(true);
  });

  it('lists flagged nodes in tree order', () => {
    expect(flaggedIds(forest)).toEqual([6, 12]);
  });
});

describe('firstMostSevere', () => {
  const lowFlag = { code: 'malfind', severity: 'low', explanation: 'an executable region of zeros' } as const;

  it('picks the first node of the highest severity', () => {
    // 6 is high and 12 medium; a low flag on 3, earlier in tree order, does not win.
    const nodes = sampleNodes().map((node) => (node.id === 3 ? { ...node, flags: [lowFlag] } : node));
    expect(firstMostSevere(buildForest(nodes))).toBe(6);
  });

  it('takes a medium node over an earlier low one', () => {
    const nodes = sampleNodes().map((node) => {
      if (node.id === 6) return { ...node, flags: [lowFlag] };
      return node;
    });
    expect(firstMostSevere(buildForest(nodes))).toBe(12);
  });

  it('uses the highest flag of a node with several', () => {
    const nodes = sampleNodes().map((node) =>
      node.id === 2 ? { ...node, flags: [lowFlag, { ...lowFlag, code: 'x', severity: 'high' as const }] } : node,
    );
    expect(firstMostSevere(buildForest(nodes))).toBe(2);
  });

  it('returns undefined without flags', () => {
    const nodes = sampleNodes().map((node) => ({ ...node, flags: [] }));
    expect(firstMostSevere(buildForest(nodes))).toBeUndefined();
  });
});
