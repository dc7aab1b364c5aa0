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
 * from the lexemes PostgreSQL finds in the folded text (queriesSql), never parsed from this text.
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

/**
 * The common lexemes are read from pg_stats at most once per this many ms per database. They only choose how a
 * search runs, never what it finds (every word is checked on every match), and change only when the table is
 * analyzed; reading them cost 2 ms of PostgreSQL per search (pg_stats unnests 1 000 lexemes to keep a handful).
 */
const COMMON_TTL_MS = 10 * 60_000;
const commonCache = new WeakMap<object, { until: number; lexemes: Promise<string[]> }>();

async function readCommonLexemes(db: Db): Promise<string[]> {
  const [row] = await rows<{ lexemes: string[] | null }>(
    db,
    Prisma.sql`
    SELECT array_agg(e.lexeme) AS lexemes FROM pg_stats s,
           unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS e(lexeme, share)
     WHERE s.schemaname = 'public' AND s.tablename = 'requests_search_idx' AND e.share >= ${COMMON_SHARE}`,
  );
  return row?.lexemes ?? [];
}

/** The lexemes most requests' documents hold (see COMMON_SHARE), as of the table's last analysis. */
export function commonLexemes(db: Db, now = Date.now()): Promise<string[]> {
  const cached = commonCache.get(db);
  if (cached && cached.until > now) return cached.lexemes;
  const lexemes = readCommonLexemes(db);
  commonCache.set(db, { until: now + COMMON_TTL_MS, lexemes });
  // A failed read is not kept: the next search reads again.
  lexemes.catch(() => commonCache.delete(db));
  return lexemes;
}

/**
 * The folded words as tsqueries ("fuga agu 12" → 'fug':* & 'agu':* & '12'), the statement's first CTE: `all_q` of
 * every word, `selective_q` of the uncommon ones only (null when all are common; both null when every word is a stop
 * word, and nothing matches). The lexemes of to_tsvector, each quoted (backslashes and quotes escaped) and cast, so no
 * text can form a tsquery operator. A word with a letter is a prefix (a word still being typed, or another form of
 * it); a number is matched whole: "12" is not the start of "1234", and as a prefix it would list every number
 * starting with it (111 111 documents in a company of 2 000 000 requests).
 */
function queriesSql(words: string, common: string[]): Prisma.Sql {
  const quoted = Prisma.sql`'''' || replace(replace(l, '\\', '\\\\'), '''', '''''') || ''''
                            || CASE WHEN prefix THEN ':*' ELSE '' END`;
  // A common lexeme makes a prefix common when it starts with it, a number only when it is that number.
  const isCommon = Prisma.sql`CASE WHEN prefix THEN starts_with(c, l) ELSE c = l END`;
  return Prisma.sql`
    SELECT string_agg(${quoted}, ' & ')::tsquery AS all_q,
           string_agg(${quoted}, ' & ') FILTER (
             WHERE (length(l) > 1 OR NOT prefix)
               AND NOT EXISTS (SELECT 1 FROM unnest(${common}::text[]) c WHERE ${isCommon})
           )::tsquery AS selective_q
      FROM unnest(tsvector_to_array(to_tsvector('pg_catalog.spanish', search_unaccent(${words})))) AS l,
           LATERAL (SELECT l ~ '[[:alpha:]]' AS prefix) AS word`;
}

/** Requests read newest first, when every word is common, for the newest matches before the index is used. */
const WALK_ROWS = 1000;

const TITLE_DOCUMENT = Prisma.sql`search_document(r.title || ' ' || r.description)`;
const ALL_Q = Prisma.sql`(SELECT all_q FROM q)`;

/**
 * The title and description matches, newest first. When every word is common (no selective query), the newest
 * WALK_ROWS requests of the scope are read first (`walk`): a common word matches most requests, so the limit is
 * usually reached there, and those are the newest matches. Otherwise — or when the walk found fewer — the uncommon
 * words (every word, when all are common) find the candidates through the GIN index and every word is then checked,
 * newest first, only until the limit is reached (ts_match_vq is @@ as a function, which no index takes). Each branch
 * is gated by a one-time filter, so the other reads nothing.
 */
function titleCtes(companyId: number, scope: RequestScope): Prisma.Sql {
  const limit = SEARCH_LIMIT + 1;
  return Prisma.sql`
    walk AS MATERIALIZED (
      SELECT w.id, w.created_at FROM (
        SELECT r.id, r.created_at, r.title, r.description FROM requests r
         WHERE (SELECT selective_q IS NULL AND all_q IS NOT NULL FROM q) AND ${scopeSql(companyId, scope)}
         ORDER BY r.created_at DESC, r.id DESC
         LIMIT ${WALK_ROWS}) w
       WHERE search_document(w.title || ' ' || w.description) @@ ${ALL_Q}
       ORDER BY w.created_at DESC, w.id DESC
       LIMIT ${limit}),
    walked AS (SELECT count(*) = ${limit}::int AS enough FROM walk),
    title_candidates AS MATERIALIZED (
      SELECT r.id, r.created_at FROM requests r
       WHERE NOT (SELECT enough FROM walked) AND ${scopeSql(companyId, scope)}
         AND ${TITLE_DOCUMENT} @@ (SELECT coalesce(selective_q, all_q) FROM q)),
    titles AS (
      SELECT id, created_at FROM walk WHERE (SELECT enough FROM walked)
      UNION ALL
      (SELECT c.id, c.created_at FROM (
         SELECT id, created_at FROM title_candidates ORDER BY created_at DESC, id DESC OFFSET 0) c
        WHERE (SELECT selective_q IS NULL OR selective_q = all_q FROM q)
           OR EXISTS (SELECT 1 FROM requests r WHERE r.company_id = ${companyId}::int AND r.id = c.id
                        AND ts_match_vq(${TITLE_DOCUMENT}, ${ALL_Q}))
        LIMIT ${limit})),`;
}

/**
 * The search as one statement — its tsqueries, its title matches and the other matches — newest first, at most
 * SEARCH_LIMIT + 1 (also run by scripts/explain-inboxes.ts to show its plan). `common`: commonLexemes.
 */
export function searchSql(
  companyId: number,
  noteAreas: number[] | 'all',
  scope: RequestScope,
  words: string,
  common: string[],
): Prisma.Sql {
  const allNotes = noteAreas === 'all';
  const areas = noteAreas === 'all' ? [] : noteAreas;
  return Prisma.sql`
    WITH q AS MATERIALIZED (${queriesSql(words, common)}),
    ${titleCtes(companyId, scope)}
    hits AS (
      SELECT r.id FROM requests r
       WHERE r.company_id = ${companyId} AND r.fields_text IS NOT NULL AND search_document(r.fields_text) @@ ${ALL_Q}
      UNION
      SELECT c.request_id FROM request_comments c
        JOIN requests r ON r.company_id = ${companyId}::int AND r.id = c.request_id
       WHERE c.company_id = ${companyId} AND search_document(c.body) @@ ${ALL_Q}
         AND (NOT c.internal OR ${allNotes}::boolean OR r.service_area_id = ANY(${areas}::int[]))
      UNION
      SELECT t.request_id FROM tickets t
       WHERE t.company_id = ${companyId}
         AND search_document(t.instructions || ' ' || coalesce(t.resolution, '')) @@ ${ALL_Q}
    ),
    -- A category's name matches all its requests: read through the scope's own index, newest first, not as hits,
    -- and not at all when no category matches (a filter of the whole plan, not of every request).
    categories AS (
      SELECT array_agg(c.id) AS ids FROM categories c
       WHERE c.company_id = ${companyId} AND search_document(c.name) @@ ${ALL_Q}
    )
    SELECT id FROM (
      SELECT id, created_at FROM titles
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

/** The requests in `scope` matching `text`: ids most recent first (at most SEARCH_LIMIT), and whether more matched. */
export async function searchRequests(
  db: Db,
  actor: Actor,
  scope: RequestScope,
  text: string,
): Promise<{ ids: number[]; more: boolean }> {
  const words = searchWords(text);
  if (!words) return { ids: [], more: false };
  const common = await commonLexemes(db);
  const sql = searchSql(actor.companyId, internalNoteAreas(actor), scope, words, common);
  const found = await rows<{ id: number }>(db, sql);
  return { ids: found.slice(0, SEARCH_LIMIT).map((r) => r.id), more: found.length > SEARCH_LIMIT };
}
