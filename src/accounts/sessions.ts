import { forgetSessionsOf } from '../auth/index.js';
import type { Db } from '../db/client.js';

/**
 * Ends the sessions of a person (connect-pg-simple rows whose passport user is them),
 * except `keepSid` (the session of the request that asked for it), and forgets them
 * from this process's session cache.
 */
export async function endSessionsOf(db: Pick<Db, '$executeRaw'>, userId: number, keepSid = ''): Promise<number> {
  const ended =
    await db.$executeRaw`DELETE FROM "session" WHERE sess->'passport'->>'user' = ${String(userId)} AND sid <> ${keepSid}`;
  // Callers may still be inside their transaction: a request that reads a row before the
  // commit can cache it again, for at most the cache's few seconds.
  forgetSessionsOf(userId, keepSid);
  return ended;
}
