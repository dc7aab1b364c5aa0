import type { Db } from '../db/client.js';

/**
 * Ends the sessions of a person (connect-pg-simple rows whose passport user is them),
 * except `keepSid` (the session of the request that asked for it).
 */
export async function endSessionsOf(db: Pick<Db, '$executeRaw'>, userId: number, keepSid = ''): Promise<number> {
  return db.$executeRaw`DELETE FROM "session" WHERE sess->'passport'->>'user' = ${String(userId)} AND sid <> ${keepSid}`;
}
