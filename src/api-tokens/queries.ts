// Statements of the API tokens. Prisma where it reads well, raw SQL where measured faster: the call's own check is one
// raw UPDATE (it finds the live token, counts the call in its rate-limit window and records the use).
import type { Db } from '../db/client.js';
import { rows } from '../db/sql.js';
import { Prisma } from '../generated/prisma/client.js';

type Tx = Prisma.TransactionClient;

export interface TokenRow {
  id: number;
  name: string;
  hint: string;
  scopes: string[];
  rateLimit: number;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
  user: { id: number; name: string } | null;
  createdBy: { name: string };
}

const LIST_SELECT = {
  id: true,
  name: true,
  hint: true,
  scopes: true,
  rateLimit: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
  createdAt: true,
  user: { select: { id: true, name: true } },
  createdBy: { select: { name: true } },
} as const;

export function countTokens(db: Db, companyId: number): Promise<number> {
  return db.apiToken.count({ where: { companyId } });
}

export function tokensPage(db: Db, companyId: number, window: { skip: number; take: number }): Promise<TokenRow[]> {
  return db.apiToken.findMany({
    where: { companyId },
    orderBy: [{ revokedAt: { sort: 'desc', nulls: 'first' } }, { createdAt: 'desc' }, { id: 'desc' }],
    select: LIST_SELECT,
    ...window,
  });
}

export interface NewToken {
  companyId: number;
  name: string;
  tokenHash: string;
  hint: string;
  userId: number | null;
  scopes: string[];
  rateLimit: number;
  expiresAt: Date | null;
  createdById: number;
}

export function insertToken(tx: Tx, data: NewToken): Promise<{ id: number }> {
  return tx.apiToken.create({ data, select: { id: true } });
}

/** Revokes a live token of the company; null when there is none (missing, another company's, already revoked). */
export async function revokeTokenRow(tx: Tx, companyId: number, id: number, now: Date) {
  const res = await tx.apiToken.updateManyAndReturn({
    where: { companyId, id, revokedAt: null },
    data: { revokedAt: now },
    select: { id: true, name: true },
  });
  return res[0] ?? null;
}

/** An active person of the company (a token's principal). */
export async function isActivePerson(db: Db, companyId: number, id: number): Promise<boolean> {
  return (await db.user.count({ where: { companyId, id, active: true } })) === 1;
}

export function activePeople(db: Db, companyId: number): Promise<{ id: number; name: string }[]> {
  return db.user.findMany({
    where: { companyId, active: true },
    orderBy: { name: 'asc' },
    select: { id: true, name: true },
    take: 1000,
  });
}

export interface LiveToken {
  id: number;
  companyId: number;
  userId: number | null;
  createdById: number;
  scopes: string[];
  rateLimit: number;
  /** Calls counted in the current window, this one included. */
  used: number;
}

/**
 * The live token with this hash (not revoked, not expired), its call counted in the window starting at `window`
 * and its use recorded; null when there is none. One statement on the token's key (company, hash): one shard on
 * Citus. A token of an earlier version names no company: its hash alone is looked up (every shard on Citus).
 */
export async function useToken(
  db: Db,
  companyId: number | null,
  tokenHash: string,
  now: Date,
  window: Date,
): Promise<LiveToken | null> {
  const [row] = await rows<LiveToken>(
    db,
    Prisma.sql`
    UPDATE api_tokens t
       SET window_count = CASE WHEN t.window_start = ${window}::timestamptz THEN t.window_count + 1 ELSE 1 END,
           window_start = ${window}::timestamptz, last_used_at = ${now}::timestamptz
     WHERE ${companyId === null ? Prisma.empty : Prisma.sql`t.company_id = ${companyId}::int AND`}
           t.token_hash = ${tokenHash} AND t.revoked_at IS NULL
       AND (t.expires_at IS NULL OR t.expires_at > ${now}::timestamptz)
     RETURNING t.id, t.company_id AS "companyId", t.user_id AS "userId", t.created_by_id AS "createdById",
               t.scopes, t.rate_limit AS "rateLimit", t.window_count AS used`,
  );
  return row ?? null;
}
