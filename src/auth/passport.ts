import type express from 'express';
import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { Db } from '../db/client.js';
import { loadActor, type Actor } from '../org/actor.js';
import { burnPasswordCheck, verifyPassword } from './passwords.js';
import { findCredentials, recordSignIn } from './queries.js';

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

/** A passport instance of our own (not the global singleton) so each app built by createApp is independent. */
export function createPassport(db: Db, clock: () => Date) {
  const passport = new Passport();
  passport.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password' }, async (email, password, done) => {
      try {
        const user = await findCredentials(db, normalizeEmail(email));
        const ok = user?.passwordHash
          ? await verifyPassword(password, user.passwordHash)
          : await burnPasswordCheck(password);
        if (!user || !ok) return done(null, false, { message: 'auth.invalid' });
        // Only someone who knows the password learns why the account cannot sign in.
        if (!user.company.active) return done(null, false, { message: 'auth.companySuspended' });
        if (!user.active) return done(null, false, { message: 'auth.deactivated' });
        if (!user.emailVerifiedAt) return done(null, false, { message: 'auth.unverified' });
        await recordSignIn(db, user.id, clock());
        const actor = await loadActor(db, user.id);
        return done(null, actor ?? false);
      } catch (err) {
        return done(err);
      }
    }),
  );
  passport.serializeUser<number>((user, done) => done(null, user.id));
  passport.deserializeUser<number>(
    async (req: express.Request, id: number, done: (err: unknown, user?: Express.User | false) => void) => {
      try {
        // A deactivated person loses their session on the next request. Only pages (GET)
        // draw the navigation, so only they read its counts.
        done(null, (await loadActor(db, id, { waiting: req.method === 'GET' })) ?? false);
      } catch (err) {
        done(err);
      }
    },
  );
  return passport;
}
