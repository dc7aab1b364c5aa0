import type express from 'express';
import { Passport } from 'passport';
import type { Db } from '../db/client.js';
import { loadActor, type Actor } from './actor.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends Actor {}
  }
}

/**
 * The signed-in person as kept in the session: `<company id>:<user id>`, so loading them reads their company's shard
 * alone (docs/citus.md). A bare user id (a session of an earlier version) is still understood.
 */
export function sessionUser(who: { companyId: number; id: number }): string {
  return `${who.companyId}:${who.id}`;
}

/** The person of a session's `passport.user` (either form), or null. */
export function parseSessionUser(value: unknown): { companyId?: number; userId: number } | null {
  const m = /^(?:(\d{1,10}):)?(\d{1,10})$/.exec(String(value));
  if (!m) return null;
  return { companyId: m[1] === undefined ? undefined : Number(m[1]), userId: Number(m[2]) };
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * A passport instance of our own (not the global singleton) so each app built by createApp is independent. It
 * keeps the signed-in person in the session (their roles as of `clock`, for substitutes); the password is checked
 * by signInWithPassword (sign-in.ts).
 */
export function createPassport(db: Db, clock: () => Date = () => new Date()) {
  const passport = new Passport();
  passport.serializeUser<string>((user, done) => done(null, sessionUser(user)));
  passport.deserializeUser<string | number>(
    async (req: express.Request, value: string | number, done: (err: unknown, user?: Express.User | false) => void) => {
      try {
        const who = parseSessionUser(value);
        if (!who) return done(null, false);
        // A deactivated person loses their session on the next request. Only pages (GET)
        // draw the navigation, so only they read its counts.
        const opts = { waiting: req.method === 'GET', now: clock(), companyId: who.companyId };
        done(null, (await loadActor(db, who.userId, opts)) ?? false);
      } catch (err) {
        done(err);
      }
    },
  );
  return passport;
}
