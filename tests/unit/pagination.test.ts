// The pager's arithmetic and the list that reads its total with its page (src/web/pagination.ts).
import { describe, expect, it } from 'vitest';
import { paginate, paginatedWithTotal } from '../../src/web/pagination.js';

/** A list of `total` numbered rows read as a statement would: the window's rows and the total, and each read kept. */
function listOf(total: number) {
  const reads: { skip: number; take: number }[] = [];
  const read = async (window: { skip: number; take: number }) => {
    reads.push(window);
    const items = Array.from(
      { length: Math.max(0, Math.min(window.take, total - window.skip)) },
      (_, i) => window.skip + i,
    );
    return { total, items };
  };
  return { reads, read };
}

describe('pagination', () => {
  it('clamps the page asked for to the first and the last', () => {
    expect(paginate(0, 1)).toMatchObject({ page: 1, pages: 1, skip: 0 });
    expect(paginate(45, 3)).toMatchObject({ page: 3, pages: 3, skip: 40, take: 20 });
    expect(paginate(45, 9)).toMatchObject({ page: 3, skip: 40 });
    expect(paginate(45, 0)).toMatchObject({ page: 1, skip: 0 });
  });

  it('reads a page and its total once; a page past the end is read again, the last one', async () => {
    const within = listOf(45);
    const second = await paginatedWithTotal(2, within.read);
    expect(second.page).toMatchObject({ page: 2, pages: 3, total: 45 });
    expect(second.items).toEqual(Array.from({ length: 20 }, (_, i) => 20 + i));
    expect(within.reads).toEqual([{ skip: 20, take: 20 }]);

    const past = listOf(45);
    const last = await paginatedWithTotal(7, past.read);
    expect(last.page).toMatchObject({ page: 3, pages: 3 });
    expect(last.items).toEqual([40, 41, 42, 43, 44]);
    expect(past.reads).toEqual([
      { skip: 120, take: 20 },
      { skip: 40, take: 20 },
    ]);

    const empty = listOf(0);
    expect(await paginatedWithTotal(1, empty.read)).toMatchObject({ items: [], page: { page: 1, total: 0 } });
    expect(empty.reads).toHaveLength(1);
  });
});
