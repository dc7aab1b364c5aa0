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
  passport.serializeUser<number>((user, done) => done(null, user.id));
  passport.deserializeUser<number>(
    async (req: express.Request, id: number, done: (err: unknown, user?: Express.User | false) => void) => {
      try {
        // A deactivated person loses their session on the next request. Only pages (GET)
        // draw the navigation, so only they read its counts.
        done(null, (await loadActor(db, id, { waiting: req.method === 'GET', now: clock() })) ?? false);
      } catch (err) {
        done(err);
      }
    },
  );
  return passport;
}
