import { forgetSessionsOf } from '../auth/index.js';
import type { Db } from '../db/client.js';
import { deleteSessionsOf } from './queries.js';

/**
 * Ends the sessions of a person (connect-pg-simple rows whose passport user is them), except `keepSid` (the
 * session of the request that asked for it), and forgets them from this process's session caches; other
 * processes drop them within a second (auth/session-cache.ts).
 */
export async function endSessionsOf(db: Pick<Db, '$executeRaw'>, userId: number, keepSid = ''): Promise<number> {
  const ended = await deleteSessionsOf(db, userId, keepSid);
  // Callers may still be inside their transaction: a request that reads a row before the
  // commit can cache it again, for at most the cache's second.
  forgetSessionsOf(userId, keepSid);
  return ended;
}
