// Statements of the one-time form keys (raw SQL on the pool: three tiny statements on every post).
import type pg from 'pg';

export interface SubmissionKey {
  companyId: number;
  userId: number;
  key: string;
}

/** Claims the key for this post; false when another post of the same form claimed it first. */
export async function claimKey(pool: pg.Pool, k: SubmissionKey): Promise<boolean> {
  const res = await pool.query(
    `INSERT INTO form_submissions (company_id, user_id, key) VALUES ($1, $2, $3::uuid)
     ON CONFLICT DO NOTHING`,
    [k.companyId, k.userId, k.key],
  );
  return res.rowCount === 1;
}

/** The first post redirected: later posts of the same key are sent where it went. */
export async function recordOutcome(pool: pg.Pool, k: SubmissionKey, location: string): Promise<void> {
  await pool.query(
    `UPDATE form_submissions SET location = $4, done_at = now()
     WHERE company_id = $1 AND user_id = $2 AND key = $3::uuid`,
    [k.companyId, k.userId, k.key, location],
  );
}

/** The first post wrote nothing (a form error, a refusal): the key may be used again. */
export async function releaseKey(pool: pg.Pool, k: SubmissionKey): Promise<void> {
  await pool.query(`DELETE FROM form_submissions WHERE company_id = $1 AND user_id = $2 AND key = $3::uuid`, [
    k.companyId,
    k.userId,
    k.key,
  ]);
}

/** Where the first post of this key went: a location, 'pending' while it works, null when the key is free again. */
export async function outcomeOf(pool: pg.Pool, k: SubmissionKey): Promise<string | 'pending' | null> {
  const res = await pool.query<{ location: string | null }>(
    `SELECT location FROM form_submissions WHERE company_id = $1 AND user_id = $2 AND key = $3::uuid`,
    [k.companyId, k.userId, k.key],
  );
  if (!res.rows.length) return null;
  return res.rows[0]!.location ?? 'pending';
}

/** Keys older than a day are of no use: a form is not resubmitted a day later. */
export async function pruneKeys(pool: pg.Pool): Promise<number> {
  const res = await pool.query(`DELETE FROM form_submissions WHERE created_at < now() - interval '1 day'`);
  return res.rowCount ?? 0;
}
