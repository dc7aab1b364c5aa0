import { z } from 'zod';

export const PAGE_SIZE = 20;

export const pageSchema = z.coerce.number().int().min(1).max(10_000).catch(1);

export interface Page {
  page: number;
  pages: number;
  total: number;
  skip: number;
  take: number;
}

export function paginate(total: number, requested: number, size = PAGE_SIZE): Page {
  const pages = Math.max(1, Math.ceil(total / size));
  const page = Math.min(Math.max(1, requested), pages);
  return { page, pages, total, skip: (page - 1) * size, take: size };
}

/** The current URL with some query parameters replaced (for tab and page links). */
export function withQuery(
  path: string,
  query: Record<string, unknown>,
  changes: Record<string, string | number | null>,
): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (typeof v === 'string' && v !== '') params.set(k, v);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === '') params.delete(k);
    else params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** ?page=N of a query string (1-based); anything else is page 1. */
export function requestedPage(query: unknown): number {
  const raw = (query as { page?: unknown } | undefined)?.page;
  return pageSchema.parse(typeof raw === 'string' ? raw : 1);
}

export interface Paginated<T> {
  items: T[];
  page: Page;
}

/**
 * A list whose statement reads its total with a page: the requested page in one round trip; a page past the end (the
 * list has shrunk since the link was made) is read again, the last one. `read` is the feature's own statement.
 */
export async function paginatedWithTotal<T>(
  requested: number,
  read: (window: { skip: number; take: number }) => Promise<{ total: number; items: T[] }>,
  size = PAGE_SIZE,
): Promise<Paginated<T>> {
  const asked = Math.max(1, requested);
  const first = await read({ skip: (asked - 1) * size, take: size });
  const page = paginate(first.total, asked, size);
  if (page.page === asked) return { items: first.items, page };
  return { items: (await read({ skip: page.skip, take: page.take })).items, page };
}

/**
 * The one paginated query of every list: counts, clamps the requested page to the last one, then reads that page.
 * `count` and `read` are the feature's own queries (both scoped by company).
 */
export async function paginated<T>(
  requested: number,
  count: () => Promise<number>,
  read: (window: { skip: number; take: number }) => Promise<T[]>,
  size = PAGE_SIZE,
): Promise<Paginated<T>> {
  const page = paginate(await count(), requested, size);
  const items = page.total === 0 ? [] : await read({ skip: page.skip, take: page.take });
  return { items, page };
}

/** The `link({ page })` a list view gives the pager partial: `path` with the current query and the changes. */
export function linkTo(path: string, query: unknown) {
  return (changes: Record<string, string | number | null>) =>
    withQuery(path, (query ?? {}) as Record<string, unknown>, changes);
}
