// Inbox search: Spanish full-text search, accent-insensitive, over a request's
// title and description, its answers to the category's fields, the comments the viewer may
// read, its ticket's instructions and resolution notes and its category's name. The expressions
// match the GIN indexes of the conversation, portal and search_tickets_categories migrations
// (search_document(...), leading with company_id). Internal notes only match for the staff who
// may read them (internalNoteAreas, the same rule as canSeeInternalNotes).
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

/** A search returns at most this many requests (the most recent matches). */
export const SEARCH_LIMIT = 1000;

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
 * from the lexemes PostgreSQL finds in the folded text (prefixQuerySql), never parsed from this text.
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
 * The folded words as a prefix tsquery ("fuga agu" → 'fug':* & 'agu':*): the lexemes of to_tsvector, each quoted
 * (backslashes and quotes escaped) and cast, so no text can form a tsquery operator. NULL (matches nothing) when
 * every word is a stop word.
 */
function prefixQuerySql(words: string): Prisma.Sql {
  return Prisma.sql`(
    SELECT string_agg('''' || replace(replace(l, '\\', '\\\\'), '''', '''''') || ''':*', ' & ')::tsquery
      FROM unnest(tsvector_to_array(to_tsvector('pg_catalog.spanish', search_unaccent(${words})))) AS l)`;
}

/** The search as SQL (also run by scripts/explain-inboxes.ts to show its plan). */
export function searchSql(
  companyId: number,
  noteAreas: number[] | 'all',
  scope: RequestScope,
  words: string,
): Prisma.Sql {
  const allNotes = noteAreas === 'all';
  const areas = noteAreas === 'all' ? [] : noteAreas;
  return Prisma.sql`
    WITH q AS (SELECT ${prefixQuerySql(words)} AS q),
    hits AS (
      SELECT r.id FROM requests r, q
       WHERE r.company_id = ${companyId} AND search_document(r.title || ' ' || r.description) @@ q.q
      UNION
      SELECT r.id FROM requests r, q
       WHERE r.company_id = ${companyId} AND r.fields_text IS NOT NULL AND search_document(r.fields_text) @@ q.q
      UNION
      SELECT c.request_id FROM q, request_comments c
        JOIN requests r ON r.company_id = ${companyId}::int AND r.id = c.request_id
       WHERE c.company_id = ${companyId} AND search_document(c.body) @@ q.q
         AND (NOT c.internal OR ${allNotes}::boolean OR r.service_area_id = ANY(${areas}::int[]))
      UNION
      SELECT t.request_id FROM q, tickets t
       WHERE t.company_id = ${companyId} AND search_document(t.instructions || ' ' || coalesce(t.resolution, '')) @@ q.q
    ),
    -- A category's name matches all its requests: read through the scope's own index, newest first, not as hits.
    categories AS (
      SELECT c.id FROM q, categories c WHERE c.company_id = ${companyId} AND search_document(c.name) @@ q.q
    )
    SELECT id FROM (
      SELECT r.id, r.created_at FROM requests r JOIN hits h ON h.id = r.id -- r is named the company by the scope
       WHERE ${scopeSql(companyId, scope)}
      UNION
      (SELECT r.id, r.created_at FROM requests r
        WHERE ${scopeSql(companyId, scope)} AND r.category_id IN (SELECT id FROM categories)
        ORDER BY r.created_at DESC, r.id DESC
        LIMIT ${SEARCH_LIMIT})
    ) found
     ORDER BY created_at DESC, id DESC
     LIMIT ${SEARCH_LIMIT}`;
}

/** Ids of the requests in `scope` matching `text`, most recent first, at most SEARCH_LIMIT. */
export async function searchRequestIds(db: Db, actor: Actor, scope: RequestScope, text: string): Promise<number[]> {
  const words = searchWords(text);
  if (!words) return [];
  const found = await rows<{ id: number }>(db, searchSql(actor.companyId, internalNoteAreas(actor), scope, words));
  return found.map((r) => r.id);
}
