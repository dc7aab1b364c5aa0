import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/client.js';
import type { TokenPurpose } from '../generated/prisma/client.js';

type Tx = Pick<Db, 'accountToken'>;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** A token is `<company id>_<random>`: its row is found by (company_id, token_hash), one shard on Citus. */
const TOKEN = /^(\d{1,10})_([A-Za-z0-9_-]{20,100})$/;

/**
 * Issues a single-use link token for a person; earlier unused tokens of the same
 * purpose stop working (only the newest link is valid).
 */
export async function issueToken(
  db: Tx,
  data: { companyId: number; userId: number; purpose: TokenPurpose; ttlMs: number; now: Date },
): Promise<string> {
  const token = `${data.companyId}_${randomBytes(32).toString('base64url')}`;
  await db.accountToken.deleteMany({
    where: { companyId: data.companyId, userId: data.userId, purpose: data.purpose, usedAt: null },
  });
  await db.accountToken.create({
    data: {
      companyId: data.companyId,
      userId: data.userId,
      purpose: data.purpose,
      tokenHash: hashToken(token),
      expiresAt: new Date(data.now.getTime() + data.ttlMs),
    },
  });
  return token;
}

export type TokenCheck =
  | { ok: true; tokenId: number; companyId: number; userId: number; purpose: TokenPurpose }
  | { ok: false; reason: 'invalid' | 'expired' | 'used' };

/** Looks a token up without using it (to decide which page to show). */
export async function checkToken(db: Tx, token: string, purposes: TokenPurpose[], now: Date): Promise<TokenCheck> {
  const companyId = Number(TOKEN.exec(token)?.[1]);
  if (!Number.isSafeInteger(companyId) || companyId > 2 ** 31 - 1) return { ok: false, reason: 'invalid' };
  const row = await db.accountToken.findUnique({
    where: { companyId_tokenHash: { companyId, tokenHash: hashToken(token) } },
  });
  if (!row || !purposes.includes(row.purpose)) return { ok: false, reason: 'invalid' };
  if (row.usedAt) return { ok: false, reason: 'used' };
  if (row.expiresAt <= now) return { ok: false, reason: 'expired' };
  return { ok: true, tokenId: row.id, companyId: row.companyId, userId: row.userId, purpose: row.purpose };
}

/**
 * Uses a token: a conditional update, so of two concurrent uses exactly one wins.
 * Call inside the transaction that performs what the token allows.
 */
export async function consumeToken(db: Tx, token: string, purposes: TokenPurpose[], now: Date): Promise<TokenCheck> {
  const check = await checkToken(db, token, purposes, now);
  if (!check.ok) return check;
  const { count } = await db.accountToken.updateMany({
    where: { id: check.tokenId, companyId: check.companyId, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  return count === 1 ? check : { ok: false, reason: 'used' };
}
