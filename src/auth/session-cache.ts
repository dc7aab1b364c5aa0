// Signed-in pages read the session on every request; this keeps recently read sessions in memory for a moment
// so a burst of requests does not wait for a session query each time. Writes and logouts go through to
// PostgreSQL and update this process's cache at once; sessions ended behind the store's back (endSessionsOf) are
// evicted from every cache of this process. Another process notices any ending within TTL_MS at most: that bound
// is what makes a logout, a deactivation or a password change hold everywhere within a second.
import session from 'express-session';
import { LRUCache } from 'lru-cache';
import { parseSessionUser } from './passport.js';

export const SESSION_CACHE_TTL_MS = 1000;

/** The caches of every store of this process (one per app built by createApp; weak, so a dropped app goes). */
const caches = new Set<WeakRef<LRUCache<string, string>>>();

type Callback<T = void> = (err?: unknown, value?: T) => void;

function expired(sess: session.SessionData): boolean {
  const expires = sess.cookie?.expires;
  return expires !== undefined && expires !== null && new Date(expires).getTime() <= Date.now();
}

/** Wraps the PostgreSQL session store with an in-memory cache (sessions kept as JSON, never shared objects). */
export class CachedSessionStore extends session.Store {
  // An entry is of use for TTL_MS only, but an expired one stays until it is read or pushed out: with room for 20 000,
  // visitors of the public pages (a session each, for the form's CSRF token) filled the cache with ~8 MB of dead
  // sessions and the app's later pages paid for it in garbage collection (docs/benchmark.md, thirteenth stop).
  // 2 000 is more sessions than this process serves in a second.
  private readonly recent = new LRUCache<string, string>({ max: 2_000, ttl: SESSION_CACHE_TTL_MS });

  constructor(private readonly inner: session.Store) {
    super();
    caches.add(new WeakRef(this.recent));
  }

  override get(sid: string, callback: Callback<session.SessionData | null>) {
    const hit = this.recent.get(sid);
    if (hit !== undefined) {
      const sess = JSON.parse(hit) as session.SessionData;
      if (!expired(sess)) return callback(null, sess);
      this.recent.delete(sid);
    }
    this.inner.get(sid, (err, sess) => {
      if (!err && sess) this.recent.set(sid, JSON.stringify(sess));
      callback(err, sess ?? null);
    });
  }

  override set(sid: string, sess: session.SessionData, callback?: Callback) {
    this.recent.delete(sid);
    this.inner.set(sid, sess, (err) => {
      if (!err) this.recent.set(sid, JSON.stringify(sess));
      callback?.(err);
    });
  }

  override destroy(sid: string, callback?: Callback) {
    this.recent.delete(sid);
    this.inner.destroy(sid, (err) => {
      this.recent.delete(sid);
      callback?.(err);
    });
  }

  // No `touch`: sessions expire a fixed time after sign-in (rolling: false, the PostgreSQL store's touch disabled).
  // A store with a touch method makes express-session hold back the last byte of every signed-in response until
  // the touch answers — two socket writes and a copy of the page for nothing (about a third of a bare signed-in
  // page's CPU in the benchmark's profile).
}

/** Forgets the cached sessions of a person in this process (their rows were deleted from the table). */
export function forgetSessionsOf(userId: number, keepSid = '') {
  for (const ref of caches) {
    const recent = ref.deref();
    if (!recent) {
      caches.delete(ref);
      continue;
    }
    for (const [sid, json] of recent.entries()) {
      if (sid === keepSid) continue;
      const sess = JSON.parse(json) as { passport?: { user?: unknown } };
      if (parseSessionUser(sess.passport?.user)?.userId === userId) recent.delete(sid);
    }
  }
}
