import { Router, type Request, type Response } from 'express';
import { InvalidLinkError, PASSWORD_MAX_BYTES, PASSWORD_MIN_LENGTH, type AccountLinkDeps } from '../accounts/index.js';
import { prefillSignIn, TooManyAttemptsError } from '../auth/index.js';
import { ValidationError } from '../web/errors.js';
import { formValues, type FieldErrors } from '../web/forms.js';
import { flash } from '../web/flash.js';
import { parseSignup, resendSchema, SIGNUP_FIELDS } from './schemas.js';
import { resendVerification, signUp, verifyEmail } from './service.js';
import { SIGNUP_COUNTRIES, TAX_ID_NAMES } from './tax-id.js';

declare module 'express-session' {
  interface SessionData {
    /** The address a verification link was just sent to (for the "check your email" page). */
    signupEmail?: string;
  }
}

export function signupRoutes(deps: AccountLinkDeps) {
  const { config } = deps;
  const router = Router();

  const renderForm = (
    req: Request,
    res: Response,
    values: Record<string, string>,
    errors: FieldErrors,
    status = 200,
    error: string | null = null,
  ) => {
    res.status(status).render('signup/form', {
      title: req.t('signup.title'),
      values,
      errors,
      error,
      countries: SIGNUP_COUNTRIES.map((c) => ({ value: c, label: req.t(`signup.countries.${c}`) })),
      taxIdNames: TAX_ID_NAMES,
      passwordHelp: req.t('password.help', { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_BYTES }),
    });
  };

  router.get('/registro', (req, res) => {
    if (req.user) return res.redirect('/');
    renderForm(req, res, { ...formValues({}, SIGNUP_FIELDS), country: 'CO' }, {});
  });

  router.post('/registro', async (req, res) => {
    const values = formValues(req.body, SIGNUP_FIELDS);
    const parsed = parseSignup(values);
    if (!parsed.ok) {
      const errors = Object.fromEntries(parsed.issues.reverse().map((i) => [i.field, req.t(i.key)]));
      return renderForm(req, res, values, errors, 422);
    }
    try {
      await signUp(deps, parsed.data, { ip: req.ip ?? '', locale: req.lang });
    } catch (err) {
      if (err instanceof TooManyAttemptsError) {
        res.setHeader('Retry-After', String(err.retryAfterSeconds));
        return renderForm(req, res, values, {}, 429, req.t(err.messageKey, err.params));
      }
      if (!(err instanceof ValidationError)) throw err;
      const errors = Object.fromEntries(Object.entries(err.fields).map(([f, key]) => [f, req.t(key, err.params)]));
      return renderForm(req, res, values, errors, 422);
    }
    req.session.signupEmail = parsed.data.email;
    res.redirect('/registro/verifica');
  });

  router.get('/registro/verifica', (req, res) => {
    res.render('signup/check-email', {
      title: req.t('signup.checkEmail.title'),
      email: req.session.signupEmail ?? '',
      error: null,
      showMailbox: deps.mailer.kind === 'file' && !config.isProduction,
    });
  });

  router.post('/registro/reenviar', async (req, res) => {
    const parsed = resendSchema.safeParse(req.body);
    try {
      // The same answer whether the address exists or not.
      req.session.signupEmail = await resendVerification(deps, parsed.success ? parsed.data.email : '', req.ip ?? '');
    } catch (err) {
      if (!(err instanceof TooManyAttemptsError)) throw err;
      res.setHeader('Retry-After', String(err.retryAfterSeconds));
      return res.status(429).render('signup/check-email', {
        title: req.t('signup.checkEmail.title'),
        email: typeof req.body?.email === 'string' ? req.body.email : '',
        error: req.t(err.messageKey, err.params),
        showMailbox: false,
      });
    }
    flash(req, 'info', req.t('signup.resend.done'));
    res.redirect('/registro/verifica');
  });

  router.get('/verificar/:token', async (req, res) => {
    try {
      prefillSignIn(req, await verifyEmail(deps, String(req.params.token)));
    } catch (err) {
      if (!(err instanceof InvalidLinkError)) throw err;
      return res
        .status(410)
        .render('accounts/link-error', { title: req.t('links.title'), reason: err.reason, resend: true });
    }
    flash(req, 'success', req.t('signup.verified'));
    res.redirect('/login');
  });

  return router;
}
