import { describe, expect, it } from 'vitest';
import { buildTree, chartRows, flattenTree, type TreeNode, type TreeUnit } from '../../src/org/tree.js';

/** The chart's lists written the nested way: each unit an item, its children a list inside it. */
function nested(list: TreeNode<TreeUnit>[]): string {
  return list.map((n) => `<li>${n.name}${n.children.length ? `<ul>${nested(n.children)}</ul>` : ''}</li>`).join('');
}

/** The same lists written from chartRows, as views/admin/org-chart.ejs writes them. */
function flat(roots: TreeNode<TreeUnit>[]): string {
  return chartRows(roots)
    .map(({ node, closes }) => {
      const after = node.children.length ? '<ul>' : `</li>${'</ul></li>'.repeat(closes)}`;
      return `<li>${node.name}${after}`;
    })
    .join('');
}

/** A forest of n units with parents drawn from a seeded sequence (each parent before its child, some roots). */
function forest(n: number, seed: number): TreeUnit[] {
  let x = seed;
  const next = () => (x = (x * 1103515245 + 12345) % 2147483648);
  return Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    name: `U${String(i + 1).padStart(3, '0')}`,
    parentId: i === 0 || next() % 5 === 0 ? null : (next() % i) + 1,
  }));
}

describe('the organization chart written flat', () => {
  it('gives the same nested lists as one include per unit, for any shape', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const roots = buildTree(forest(1 + ((seed * 7) % 60), seed));
      expect(flat(roots)).toBe(nested(roots));
    }
  });

  it('closes a deep chain at its last unit and lists every unit once, in display order', () => {
    const chain = buildTree([
      { id: 1, name: 'A', parentId: null },
      { id: 2, name: 'B', parentId: 1 },
      { id: 3, name: 'C', parentId: 2 },
      { id: 4, name: 'D', parentId: null },
    ]);
    const rows = chartRows(chain);
    expect(rows.map((r) => [r.node.name, r.closes])).toEqual([
      ['A', 0],
      ['B', 0],
      ['C', 2],
      ['D', 0],
    ]);
    expect(rows.map((r) => r.node.id)).toEqual(flattenTree(chain).map((u) => u.id));
  });

  it('has no rows for a company without units', () => {
    expect(chartRows(buildTree([]))).toEqual([]);
  });
});
