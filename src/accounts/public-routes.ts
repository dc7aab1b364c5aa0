import { Router, type Request, type Response } from 'express';
import { prefillSignIn, TooManyAttemptsError } from '../auth/index.js';
import { ValidationError } from '../web/errors.js';
import { formValues } from '../web/forms.js';
import { flash } from '../web/flash.js';
import type { AccountLinkDeps } from './links.js';
import { PASSWORD_MAX_BYTES, PASSWORD_MIN_LENGTH } from './password-policy.js';
import {
  InvalidLinkError,
  passwordLinkOwner,
  requestPasswordReset,
  setPasswordWithLink,
  unlockWithLink,
} from './recovery.js';
import { typedEmailSchema } from './schemas.js';

/** Pages reached without signing in: forgotten password, the set-password link, the unlock link. */
export function accountPublicRoutes(deps: AccountLinkDeps) {
  const router = Router();

  const renderForgot = (req: Request, res: Response, status = 200, error: string | null = null) =>
    res.status(status).render('accounts/forgot', {
      title: req.t('forgot.title'),
      email: typeof req.body?.email === 'string' ? req.body.email : '',
      error,
    });

  const linkError = (req: Request, res: Response, err: unknown) => {
    if (!(err instanceof InvalidLinkError)) throw err;
    res.status(410).render('accounts/link-error', { title: req.t('links.title'), reason: err.reason, resend: false });
  };

  router.get('/clave/olvido', (req, res) => renderForgot(req, res));

  router.post('/clave/olvido', async (req, res) => {
    const parsed = typedEmailSchema.safeParse(req.body);
    try {
      await requestPasswordReset(deps, parsed.success ? parsed.data.email : '', req.ip ?? '');
    } catch (err) {
      if (!(err instanceof TooManyAttemptsError)) throw err;
      res.setHeader('Retry-After', String(err.retryAfterSeconds));
      return renderForgot(req, res, 429, req.t(err.messageKey, err.params));
    }
    // Same answer whether the address exists or not.
    flash(req, 'info', req.t('forgot.sent'));
    res.redirect('/login');
  });

  const renderSet = (
    req: Request,
    res: Response,
    purpose: string,
    name: string,
    errors: Record<string, string>,
    status = 200,
  ) =>
    res.status(status).render('accounts/set-password', {
      title: req.t(purpose === 'INVITATION' ? 'setPassword.inviteTitle' : 'setPassword.resetTitle'),
      purpose,
      name,
      token: req.params.token,
      errors,
      passwordHelp: req.t('password.help', { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_BYTES }),
    });

  router.get('/clave/:token', async (req, res) => {
    try {
      const { purpose, user } = await passwordLinkOwner(deps, String(req.params.token));
      renderSet(req, res, purpose, user.name, {});
    } catch (err) {
      linkError(req, res, err);
    }
  });

  router.post('/clave/:token', async (req, res) => {
    const token = String(req.params.token);
    try {
      prefillSignIn(
        req,
        await setPasswordWithLink(deps, token, formValues(req.body, ['password', 'confirm'] as const)),
      );
    } catch (err) {
      if (!(err instanceof ValidationError)) return linkError(req, res, err);
      const { purpose, user } = await passwordLinkOwner(deps, token);
      const errors = Object.fromEntries(Object.entries(err.fields).map(([f, key]) => [f, req.t(key)]));
      return renderSet(req, res, purpose, user.name, errors, 422);
    }
    flash(req, 'success', req.t('setPassword.done'));
    res.redirect('/login');
  });

  router.get('/desbloquear/:token', async (req, res) => {
    try {
      // This browser may sign in to the account even while someone elsewhere keeps failing against it.
      req.session.loginUnlockedFor = await unlockWithLink(deps, String(req.params.token));
    } catch (err) {
      return linkError(req, res, err);
    }
    flash(req, 'success', req.t('auth.unlocked'));
    res.redirect('/login');
  });

  return router;
}
