import { Router, type Request } from 'express';
import { z } from 'zod';
import { flash } from '../web/flash.js';
import { TooManyAttemptsError } from './rate-limit.js';
import { safeNext } from '../web/safe-next.js';
import { establishSession } from './session-login.js';
import { signInWithPassword, SignInRefusedError, type SignInDeps } from './sign-in.js';

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

/** Where the second step of a sign-in is asked (src/two-factor). */
export const SECOND_STEP_PATHS = { verify: '/login/codigo', enrol: '/login/alta' } as const;

export function authRoutes(deps: SignInDeps) {
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
      sso: null,
      notice: req.query.salida ? req.t('auth.loggedOut') : req.query.next ? req.t('auth.signInRequired') : null,
    });
  });

  router.post('/login', async (req: Request, res) => {
    const parsed = loginSchema.safeParse(req.body);
    const email = typeof req.body?.email === 'string' ? req.body.email : '';
    const target = safeNext(req.body?.next);
    const fail = (status: number, error: string, sso: { provider: string } | null = null) =>
      res
        .status(status)
        .render('auth/login', { title: req.t('auth.title'), email, next: target, error, notice: null, sso });
    if (!parsed.success) return fail(401, req.t('auth.missing'));
    let signedIn: Awaited<ReturnType<typeof signInWithPassword>>;
    try {
      signedIn = await signInWithPassword(deps, {
        ...parsed.data,
        ip: req.ip ?? '',
        userAgent: req.get('user-agent') ?? '',
        unlockedFor: req.session.loginUnlockedFor,
      });
    } catch (err) {
      if (err instanceof TooManyAttemptsError) {
        res.setHeader('Retry-After', String(err.retryAfterSeconds));
        return fail(429, req.t(err.messageKey, err.params));
      }
      if (err instanceof SignInRefusedError) {
        const provider = err.params.provider;
        return fail(401, req.t(err.messageKey, err.params), typeof provider === 'string' ? { provider } : null);
      }
      throw err;
    }
    const { actor, secondStep } = signedIn;
    if (secondStep) {
      // Nothing is signed in until the second step is done.
      req.session.pendingSignIn = {
        userId: actor.id,
        companyId: actor.companyId,
        email: actor.email,
        step: secondStep,
        next: target,
        since: deps.clock().getTime(),
      };
      return res.redirect(SECOND_STEP_PATHS[secondStep]);
    }
    await establishSession(req, actor);
    flash(req, 'success', req.t('auth.welcome', { name: actor.name }));
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
