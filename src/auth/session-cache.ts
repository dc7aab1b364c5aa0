// Signed-in pages read the session on every request; this keeps recently read sessions
// in memory for a few seconds so a page does not wait for a session query each time.
// Writes and logouts go through to PostgreSQL and update the cache at once; sessions
// ended behind the store's back (endSessionsOf) are evicted by their owner. Another
// process of the app notices such an ending within TTL_MS at most.
import session from 'express-session';
import { LRUCache } from 'lru-cache';

const TTL_MS = 10_000;

/** Sessions of this process kept as JSON (so a request never shares a mutable object). */
const recent = new LRUCache<string, string>({ max: 20_000, ttl: TTL_MS });

type Callback<T = void> = (err?: unknown, value?: T) => void;

function expired(sess: session.SessionData): boolean {
  const expires = sess.cookie?.expires;
  return expires !== undefined && expires !== null && new Date(expires).getTime() <= Date.now();
}

/** Wraps the PostgreSQL session store with the in-memory cache. */
export class CachedSessionStore extends session.Store {
  constructor(private readonly inner: session.Store) {
    super();
  }

  override get(sid: string, callback: Callback<session.SessionData | null>) {
    const hit = recent.get(sid);
    if (hit !== undefined) {
      const sess = JSON.parse(hit) as session.SessionData;
      if (!expired(sess)) return callback(null, sess);
      recent.delete(sid);
    }
    this.inner.get(sid, (err, sess) => {
      if (!err && sess) recent.set(sid, JSON.stringify(sess));
      callback(err, sess ?? null);
    });
  }

  override set(sid: string, sess: session.SessionData, callback?: Callback) {
    recent.delete(sid);
    this.inner.set(sid, sess, (err) => {
      if (!err) recent.set(sid, JSON.stringify(sess));
      callback?.(err);
    });
  }

  override destroy(sid: string, callback?: Callback) {
    recent.delete(sid);
    this.inner.destroy(sid, (err) => {
      recent.delete(sid);
      callback?.(err);
    });
  }

  override touch(sid: string, sess: session.SessionData, callback?: Callback) {
    if (this.inner.touch) this.inner.touch(sid, sess, callback ?? (() => {}));
    else callback?.();
  }
}

/** Forgets the cached sessions of a person (their rows were deleted from the table). */
export function forgetSessionsOf(userId: number, keepSid = '') {
  for (const [sid, json] of recent.entries()) {
    if (sid === keepSid) continue;
    const sess = JSON.parse(json) as { passport?: { user?: unknown } };
    if (String(sess.passport?.user) === String(userId)) recent.delete(sid);
  }
}
