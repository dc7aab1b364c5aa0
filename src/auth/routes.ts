import { Router, type Request } from 'express';
import { z } from 'zod';
import { flash } from '../web/flash.js';
import type { LoginThrottleDeps } from './login-throttle.js';
import { TooManyAttemptsError } from './rate-limit.js';
import { safeNext } from '../web/safe-next.js';
import { signInWithPassword, SignInRefusedError } from './sign-in.js';

declare module 'express-session' {
  interface SessionData {
    /** The address whose unlock link this browser followed (the account's ceiling of failures skips it). */
    loginUnlockedFor?: string;
    /** The address to fill the sign-in form with once: just verified, or whose password was just set. */
    loginEmail?: string;
  }
}

/** The next sign-in form of this browser comes filled with this address. */
export function prefillSignIn(req: Request, email: string) {
  req.session.loginEmail = email;
}

const loginSchema = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(1024),
  next: z.string().optional(),
});

const signIn = (req: Request, user: Express.User) =>
  new Promise<void>((resolve, reject) => req.login(user, (err) => (err ? reject(err) : resolve())));

export function authRoutes(deps: LoginThrottleDeps) {
  const router = Router();

  router.get('/login', (req, res) => {
    if (req.user) return res.redirect('/');
    const email = req.session.loginEmail ?? req.session.loginUnlockedFor ?? '';
    delete req.session.loginEmail;
    res.render('auth/login', {
      title: req.t('auth.title'),
      email,
      next: safeNext(req.query.next),
      error: null,
      notice: req.query.salida ? req.t('auth.loggedOut') : req.query.next ? req.t('auth.signInRequired') : null,
    });
  });

  router.post('/login', async (req, res) => {
    const parsed = loginSchema.safeParse(req.body);
    const email = typeof req.body?.email === 'string' ? req.body.email : '';
    const target = safeNext(req.body?.next);
    const fail = (status: number, error: string) =>
      res.status(status).render('auth/login', { title: req.t('auth.title'), email, next: target, error, notice: null });
    if (!parsed.success) return fail(401, req.t('auth.missing'));
    let user: Express.User;
    try {
      user = await signInWithPassword(deps, {
        ...parsed.data,
        ip: req.ip ?? '',
        unlockedFor: req.session.loginUnlockedFor,
      });
    } catch (err) {
      if (err instanceof TooManyAttemptsError) {
        res.setHeader('Retry-After', String(err.retryAfterSeconds));
        return fail(429, req.t(err.messageKey, err.params));
      }
      if (err instanceof SignInRefusedError) return fail(401, req.t(err.messageKey));
      throw err;
    }
    // req.login regenerates the session id (passport ≥ 0.6), so a planted id is useless.
    await signIn(req, user);
    flash(req, 'success', req.t('auth.welcome', { name: user.name }));
    res.redirect(target);
  });

  router.post('/logout', (req, res, next) => {
    req.logout((err) => {
      if (err) return next(err);
      req.session.destroy(() => {
        res.clearCookie('sid');
        res.redirect('/login?salida=1');
      });
    });
  });

  return router;
}
