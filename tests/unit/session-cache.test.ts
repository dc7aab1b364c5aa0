// The session cache in front of the PostgreSQL store (src/auth/session-cache.ts): bounded, so the sessions that
// visitors of the public pages leave behind cannot fill the heap.
import session from 'express-session';
import { describe, expect, it } from 'vitest';
import { CachedSessionStore } from '../../src/auth/session-cache.js';

/** express-session's memory store, counting the reads that reach it (the cache's misses). */
class CountingStore extends session.MemoryStore {
  reads = 0;
  override get(sid: string, callback: (err: unknown, sess?: session.SessionData | null) => void) {
    this.reads++;
    super.get(sid, callback);
  }
}

const sess = (n: number) => ({ cookie: { originalMaxAge: 60_000, path: '/' }, n }) as unknown as session.SessionData;
const set = (store: session.Store, sid: string, n: number) =>
  new Promise<void>((resolve, reject) => store.set(sid, sess(n), (err) => (err ? reject(err) : resolve())));
const get = (store: session.Store, sid: string) =>
  new Promise<unknown>((resolve, reject) => store.get(sid, (err, s) => (err ? reject(err) : resolve(s))));

describe('CachedSessionStore', () => {
  it('answers a session it has just written without reading the store', async () => {
    const inner = new CountingStore();
    const store = new CachedSessionStore(inner);
    await set(store, 'a', 1);
    expect(await get(store, 'a')).toMatchObject({ n: 1 });
    expect(inner.reads).toBe(0);
  });

  it('keeps at most 2 000 sessions: older ones are read from the store again', async () => {
    const inner = new CountingStore();
    const store = new CachedSessionStore(inner);
    for (let i = 0; i < 2_500; i++) await set(store, `s${i}`, i);
    expect(await get(store, 's2499')).toMatchObject({ n: 2499 });
    expect(inner.reads).toBe(0);
    expect(await get(store, 's0')).toMatchObject({ n: 0 });
    expect(inner.reads).toBe(1);
  });
});
