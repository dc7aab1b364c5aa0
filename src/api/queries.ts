// Statements of the API's Idempotency-Key store. Prisma where it reads well, raw SQL where measured faster: raw SQL
// on the pool, like the one-time form keys (src/submissions), a few tiny statements around every keyed write.
import type pg from 'pg';

export interface IdempotencyKey {
  companyId: number;
  tokenId: number;
  key: string;
}

export interface StoredAnswer {
  requestHash: string;
  /** Null while the first call is being processed. */
  status: number | null;
  body: unknown;
  location: string | null;
}

/** Claims the key for this call; false when a call with the same key claimed it first. */
export async function claimIdempotencyKey(pool: pg.Pool, k: IdempotencyKey, requestHash: string): Promise<boolean> {
  const res = await pool.query(
    `INSERT INTO api_idempotency_keys (company_id, token_id, key, request_hash) VALUES ($1, $2, $3, $4)
     ON CONFLICT DO NOTHING`,
    [k.companyId, k.tokenId, k.key, requestHash],
  );
  return res.rowCount === 1;
}

export async function storedAnswer(pool: pg.Pool, k: IdempotencyKey): Promise<StoredAnswer | null> {
  const res = await pool.query<{ request_hash: string; status: number | null; body: unknown; location: string | null }>(
    `SELECT request_hash, status, body, location FROM api_idempotency_keys
      WHERE company_id = $1 AND token_id = $2 AND key = $3`,
    [k.companyId, k.tokenId, k.key],
  );
  const row = res.rows[0];
  return row ? { requestHash: row.request_hash, status: row.status, body: row.body, location: row.location } : null;
}

export async function recordAnswer(
  pool: pg.Pool,
  k: IdempotencyKey,
  answer: { status: number; body: unknown; location: string | null },
): Promise<void> {
  await pool.query(
    `UPDATE api_idempotency_keys SET status = $4, body = $5::jsonb, location = $6
      WHERE company_id = $1 AND token_id = $2 AND key = $3`,
    [k.companyId, k.tokenId, k.key, answer.status, JSON.stringify(answer.body ?? null), answer.location],
  );
}

/** The first call failed on the server's side (a 5xx): the key may be used again. */
export async function releaseIdempotencyKey(pool: pg.Pool, k: IdempotencyKey): Promise<void> {
  await pool.query(`DELETE FROM api_idempotency_keys WHERE company_id = $1 AND token_id = $2 AND key = $3`, [
    k.companyId,
    k.tokenId,
    k.key,
  ]);
}

/** Keys are kept a day. */
export async function pruneIdempotencyKeys(pool: pg.Pool): Promise<number> {
  const res = await pool.query(`DELETE FROM api_idempotency_keys WHERE created_at < now() - interval '1 day'`);
  return res.rowCount ?? 0;
}
