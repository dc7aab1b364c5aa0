// Statements of the one-time form keys. Prisma where it reads well, raw SQL where measured faster: raw SQL on the
// pool here, four tiny statements run around every post.
import type pg from 'pg';
import type { FlashMessage } from '../web/flash.js';

export interface SubmissionKey {
  companyId: number;
  userId: number;
  key: string;
}

/** What the first post of a key answered: where it redirected, and the messages it left for that page. */
export interface Outcome {
  location: string;
  messages: FlashMessage[];
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
export async function recordOutcome(pool: pg.Pool, k: SubmissionKey, outcome: Outcome): Promise<void> {
  await pool.query(
    `UPDATE form_submissions SET location = $4, messages = $5::jsonb, done_at = now()
     WHERE company_id = $1 AND user_id = $2 AND key = $3::uuid`,
    [k.companyId, k.userId, k.key, outcome.location, JSON.stringify(outcome.messages)],
  );
}

/** The first post wrote nothing (a form error, a refusal, a failure): the key may be used again. */
export async function releaseKey(pool: pg.Pool, k: SubmissionKey): Promise<void> {
  await pool.query(`DELETE FROM form_submissions WHERE company_id = $1 AND user_id = $2 AND key = $3::uuid`, [
    k.companyId,
    k.userId,
    k.key,
  ]);
}

/** The first post's outcome: 'pending' while it works, null when the key is free (again). */
export async function outcomeOf(pool: pg.Pool, k: SubmissionKey): Promise<Outcome | 'pending' | null> {
  const res = await pool.query<{ location: string | null; messages: FlashMessage[] | null }>(
    `SELECT location, messages FROM form_submissions WHERE company_id = $1 AND user_id = $2 AND key = $3::uuid`,
    [k.companyId, k.userId, k.key],
  );
  const row = res.rows[0];
  if (!row) return null;
  return row.location === null ? 'pending' : { location: row.location, messages: row.messages ?? [] };
}

/** Keys older than a day are of no use: a form is not resubmitted a day later. */
export async function pruneKeys(pool: pg.Pool): Promise<number> {
  const res = await pool.query(`DELETE FROM form_submissions WHERE created_at < now() - interval '1 day'`);
  return res.rowCount ?? 0;
}
