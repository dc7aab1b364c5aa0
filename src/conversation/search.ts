// Inbox search: Spanish full-text search, accent-insensitive, over a request's
// title and description, its answers to the category's fields, the comments the viewer may
// read, its ticket's instructions and resolution notes and its category's name. The expressions
// match the GIN indexes of the conversation, portal and search_tickets_categories migrations
// (search_document(...), leading with company_id). Internal notes only match for the staff who
// may read them (internalNoteAreas, the same rule as canSeeInternalNotes). A search returns its newest
// SEARCH_LIMIT matches and whether there are more; in a company of millions of requests, words most documents hold
// ("prueba") are left to a check of the candidates the other words find, or to a read of the newest requests.
import type { Db } from '../db/client.js';
import { rows } from '../db/sql.js';
import { Prisma } from '../generated/prisma/client.js';
import type { Actor } from '../auth/index.js';
import { internalNoteAreas } from './policy.js';

/** Which requests an inbox holds; every inbox is one of these within the actor's company. */
export interface RequestScope {
  requesterId?: number;
  requesterUnitIds?: number[];
  serviceAreaIds?: number[];
  /** Requests these units' heads authorize, and (`awaitingAdmins`) those the administrators authorize. */
  authorizerUnitIds?: number[];
  awaitingAdmins?: boolean;
  /** Requests whose ticket is assigned to this worker. */
  workerId?: number;
}

/** A search returns at most this many requests (the most recent matches); beyond it the page says there are more. */
export const SEARCH_LIMIT = 200;

function scopeSql(companyId: number, s: RequestScope): Prisma.Sql {
  const conds = [Prisma.sql`r.company_id = ${companyId}::int`];
  if (s.requesterId !== undefined) conds.push(Prisma.sql`r.requester_id = ${s.requesterId}`);
  if (s.requesterUnitIds) conds.push(Prisma.sql`r.requester_unit_id = ANY(${s.requesterUnitIds}::int[])`);
  if (s.serviceAreaIds) conds.push(Prisma.sql`r.service_area_id = ANY(${s.serviceAreaIds}::int[])`);
  if (s.authorizerUnitIds) {
    const admins = s.awaitingAdmins ? Prisma.sql` OR r.awaiting_admins` : Prisma.empty;
    conds.push(Prisma.sql`(r.authorizer_unit_id = ANY(${s.authorizerUnitIds}::int[])${admins})`);
  }
  if (s.workerId !== undefined) {
    conds.push(
      Prisma.sql`EXISTS (SELECT 1 FROM tickets t
        WHERE t.company_id = ${companyId}::int AND t.request_id = r.id AND t.worker_id = ${s.workerId}::int)`,
    );
  }
  return Prisma.join(conds, ' AND ');
}

/** At most this many words of a search are matched, each cut to WORD_MAX characters. */
const MAX_WORDS = 8;
const WORD_MAX = 60;

/**
 * The words of a search, separated by spaces ("Fuga  de agua!" → "fuga de agua"), or null when none is left. Only a
 * first cut: folding in PostgreSQL may still turn a letter into punctuation (ʼ → '), so the tsquery itself is built
 * from the lexemes PostgreSQL finds in the folded text (searchQueries), never parsed from this text.
 */
export function searchWords(text: string): string | null {
  const words = text
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, MAX_WORDS)
    .map((w) => w.slice(0, WORD_MAX));
  return words.length ? words.join(' ') : null;
}

/**
 * A word whose lexemes start at least this share of the requests' documents (pg_stats of requests_search_idx) is
 * common: its GIN entry lists most of a large company's requests, and intersecting with it cost more than the rest
 * of the search (2 000 000 requests: 195 ms for "prueba 123" against 9 ms without "prueba"). A one-letter word is
 * common too: as a prefix it matches a large share of any text.
 */
const COMMON_SHARE = 0.01;

/** The search as two tsqueries (text): of every word, and of only the uncommon ones (null when all are common). */
export interface SearchQueries {
  all: string;
  selective: string | null;
}

/**
 * The folded words as tsqueries ("fuga agu 12" → 'fug':* & 'agu':* & '12'): the lexemes of to_tsvector, each quoted
 * (backslashes and quotes escaped) and cast, so no text can form a tsquery operator. A word with a letter is a prefix
 * (a word still being typed, or another form of it); a number is matched whole: "12" is not the start of "1234", and
 * as a prefix it would list every number starting with it (111 111 documents in a company of 2 000 000 requests).
 * Null when every word is a stop word (nothing matches).
 */
export async function searchQueries(db: Db, words: string): Promise<SearchQueries | null> {
  const quoted = Prisma.sql`'''' || replace(replace(l, '\\', '\\\\'), '''', '''''') || ''''
                            || CASE WHEN prefix THEN ':*' ELSE '' END`;
  // A common lexeme makes a prefix common when it starts with it, a number only when it is that number.
  const isCommon = Prisma.sql`CASE WHEN prefix THEN starts_with(lexeme, l) ELSE lexeme = l END`;
  const [row] = await rows<{ all: string | null; selective: string | null }>(
    db,
    Prisma.sql`
    WITH common AS (
      SELECT e.lexeme FROM pg_stats s,
             unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS e(lexeme, share)
       WHERE s.schemaname = 'public' AND s.tablename = 'requests_search_idx' AND e.share >= ${COMMON_SHARE})
    SELECT string_agg(${quoted}, ' & ')::tsquery::text AS all,
           string_agg(${quoted}, ' & ') FILTER (
             WHERE (length(l) > 1 OR NOT prefix) AND NOT EXISTS (SELECT 1 FROM common WHERE ${isCommon})
           )::tsquery::text AS selective
      FROM unnest(tsvector_to_array(to_tsvector('pg_catalog.spanish', search_unaccent(${words})))) AS l,
           LATERAL (SELECT l ~ '[[:alpha:]]' AS prefix) AS word`,
  );
  return row?.all ? { all: row.all, selective: row.selective } : null;
}

/** Requests read newest first, when every word is common, for the newest matches before the index is used. */
const WALK_ROWS = 1000;

/** The title and description matches: ids already found by the walk, or found through the index by `query`. */
type TitleHits = { ids: number[] } | { query: string };

const TITLE_DOCUMENT = Prisma.sql`search_document(r.title || ' ' || r.description)`;

function titleHitsSql(companyId: number, scope: RequestScope, all: string, hits: TitleHits): Prisma.Sql {
  if ('ids' in hits) {
    return Prisma.sql`SELECT r.id, r.created_at FROM requests r
                       WHERE r.company_id = ${companyId}::int AND r.id = ANY(${hits.ids}::int[])`;
  }
  // The uncommon words find the candidates through the GIN index; every word is then checked newest first, only
  // until the limit is reached (ts_match_vq is @@ as a function, which no index takes).
  const checked =
    hits.query === all
      ? Prisma.empty
      : Prisma.sql`WHERE EXISTS (SELECT 1 FROM requests r WHERE r.company_id = ${companyId}::int AND r.id = c.id
                                   AND ts_match_vq(${TITLE_DOCUMENT}, ${all}::tsquery))`;
  return Prisma.sql`SELECT c.id, c.created_at FROM (
                      SELECT id, created_at FROM title_candidates ORDER BY created_at DESC, id DESC OFFSET 0) c
                    ${checked}
                    LIMIT ${SEARCH_LIMIT + 1}`;
}

/** The search as SQL (also run by scripts/explain-inboxes.ts to show its plan). */
export function searchSql(
  companyId: number,
  noteAreas: number[] | 'all',
  scope: RequestScope,
  all: string,
  hits: TitleHits = { query: all },
): Prisma.Sql {
  const allNotes = noteAreas === 'all';
  const areas = noteAreas === 'all' ? [] : noteAreas;
  const q = Prisma.sql`${all}::tsquery`;
  const candidates =
    'query' in hits
      ? Prisma.sql`title_candidates AS MATERIALIZED (
          SELECT r.id, r.created_at FROM requests r
           WHERE ${scopeSql(companyId, scope)} AND ${TITLE_DOCUMENT} @@ ${hits.query}::tsquery),`
      : Prisma.empty;
  return Prisma.sql`
    WITH ${candidates}
    hits AS (
      SELECT r.id FROM requests r
       WHERE r.company_id = ${companyId} AND r.fields_text IS NOT NULL AND search_document(r.fields_text) @@ ${q}
      UNION
      SELECT c.request_id FROM request_comments c
        JOIN requests r ON r.company_id = ${companyId}::int AND r.id = c.request_id
       WHERE c.company_id = ${companyId} AND search_document(c.body) @@ ${q}
         AND (NOT c.internal OR ${allNotes}::boolean OR r.service_area_id = ANY(${areas}::int[]))
      UNION
      SELECT t.request_id FROM tickets t
       WHERE t.company_id = ${companyId}
         AND search_document(t.instructions || ' ' || coalesce(t.resolution, '')) @@ ${q}
    ),
    -- A category's name matches all its requests: read through the scope's own index, newest first, not as hits,
    -- and not at all when no category matches (a filter of the whole plan, not of every request).
    categories AS (
      SELECT array_agg(c.id) AS ids FROM categories c
       WHERE c.company_id = ${companyId} AND search_document(c.name) @@ ${q}
    )
    SELECT id FROM (
      (${titleHitsSql(companyId, scope, all, hits)})
      UNION
      SELECT r.id, r.created_at FROM requests r JOIN hits h ON h.id = r.id -- r is named the company by the scope
       WHERE ${scopeSql(companyId, scope)}
      UNION
      (SELECT r.id, r.created_at FROM requests r
        WHERE (SELECT ids FROM categories) IS NOT NULL AND ${scopeSql(companyId, scope)}
          AND r.category_id = ANY((SELECT ids FROM categories)::int[])
        ORDER BY r.created_at DESC, r.id DESC
        LIMIT ${SEARCH_LIMIT + 1})
    ) found
     ORDER BY created_at DESC, id DESC
     LIMIT ${SEARCH_LIMIT + 1}`;
}

/**
 * When every word is common, the newest WALK_ROWS requests of the scope are read first: their matches are the
 * newest ones if the limit is reached there (a common word matches most requests); otherwise null.
 */
async function newestTitleMatches(db: Db, companyId: number, scope: RequestScope, all: string) {
  const found = await rows<{ id: number }>(
    db,
    Prisma.sql`
    SELECT w.id FROM (SELECT r.id, r.created_at, r.title, r.description FROM requests r
                       WHERE ${scopeSql(companyId, scope)}
                       ORDER BY r.created_at DESC, r.id DESC
                       LIMIT ${WALK_ROWS}) w
     WHERE search_document(w.title || ' ' || w.description) @@ ${all}::tsquery
     ORDER BY w.created_at DESC, w.id DESC
     LIMIT ${SEARCH_LIMIT + 1}`,
  );
  return found.length > SEARCH_LIMIT ? found.map((r) => r.id) : null;
}

/** The requests in `scope` matching `text`: ids most recent first (at most SEARCH_LIMIT), and whether more matched. */
export async function searchRequests(
  db: Db,
  actor: Actor,
  scope: RequestScope,
  text: string,
): Promise<{ ids: number[]; more: boolean }> {
  const words = searchWords(text);
  const queries = words ? await searchQueries(db, words) : null;
  if (!queries) return { ids: [], more: false };
  const { all, selective } = queries;
  const walked = selective ? null : await newestTitleMatches(db, actor.companyId, scope, all);
  const hits: TitleHits = walked ? { ids: walked } : { query: selective ?? all };
  const found = await rows<{ id: number }>(db, searchSql(actor.companyId, internalNoteAreas(actor), scope, all, hits));
  return { ids: found.slice(0, SEARCH_LIMIT).map((r) => r.id), more: found.length > SEARCH_LIMIT };
}
