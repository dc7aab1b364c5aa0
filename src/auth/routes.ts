import { Router } from 'express';
import type { createPassport } from './passport.js';
import { z } from 'zod';
import type { Config } from '../config.js';
import { flash } from '../web/flash.js';
import { loginLimiters } from './login-limits.js';

const loginSchema = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(1024),
  next: z.string().optional(),
});

/** Only same-site paths are followed after sign-in (no open redirect). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : '/';
}

export function authRoutes(config: Config, passport: ReturnType<typeof createPassport>) {
  const router = Router();

  router.get('/login', (req, res) => {
    if (req.user) return res.redirect('/');
    res.render('auth/login', {
      title: req.t('auth.title'),
      email: '',
      next: safeNext(req.query.next),
      error: null,
      notice: req.query.salida ? req.t('auth.loggedOut') : req.query.next ? req.t('auth.signInRequired') : null,
    });
  });

  router.post('/login', ...loginLimiters(config), (req, res, next) => {
    const parsed = loginSchema.safeParse(req.body);
    const email = typeof req.body?.email === 'string' ? req.body.email : '';
    const target = safeNext(req.body?.next);
    const fail = (key: string) =>
      res
        .status(401)
        .render('auth/login', { title: req.t('auth.title'), email, next: target, error: req.t(key), notice: null });
    if (!parsed.success) return fail('auth.missing');
    passport.authenticate('local', (err: unknown, user: Express.User | false, info?: { message?: string }) => {
      if (err) return next(err);
      if (!user) return fail(info?.message ?? 'auth.invalid');
      // req.login regenerates the session id (passport ≥ 0.6), so a planted id is useless.
      req.login(user, (loginErr) => {
        if (loginErr) return next(loginErr);
        flash(req, 'success', req.t('auth.welcome', { name: user.name }));
        res.redirect(target);
      });
    })(req, res, next);
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
