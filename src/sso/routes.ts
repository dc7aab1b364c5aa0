import { Router, type Request, type Response } from 'express';
import { actorOf, establishSession, isCompanyAdmin, requireRole, SignInRefusedError } from '../auth/index.js';
import { ValidationError } from '../web/errors.js';
import { fieldErrors, idParam } from '../web/fields.js';
import { flash } from '../web/flash.js';
import { formValues, type FieldErrors } from '../web/forms.js';
import { safeNext } from '../web/safe-next.js';
import { emailStepSchema, SSO_FIELDS, ssoSettingsSchema } from './schemas.js';
import {
  finishSsoSignIn,
  loadSsoSettings,
  removeSsoSettings,
  saveBreakGlass,
  saveSsoSettings,
  ssoForEmail,
  startSsoSignIn,
  type SsoDeps,
  type SsoPending,
} from './service.js';

declare module 'express-session' {
  interface SessionData {
    /** The state, nonce and PKCE verifier of a sign-in gone to the company's provider. */
    ssoPending?: SsoPending;
  }
}

const ADMIN = '/admin/sso';

/** The sign-in page's email step and the round trip to the company's provider (before anyone is signed in). */
export function ssoSignInRoutes(deps: SsoDeps) {
  const router = Router();
  const loginPage = (
    req: Request,
    res: Response,
    o: {
      email: string;
      next: string;
      error?: string | null;
      notice?: string | null;
      sso?: { provider: string } | null;
    },
    status = 200,
  ) =>
    res.status(status).render('auth/login', {
      title: req.t('auth.title'),
      error: null,
      notice: null,
      sso: null,
      ...o,
    });

  // "Continuar": the address decides whether the company's provider is offered.
  router.post('/login/correo', async (req, res) => {
    const parsed = emailStepSchema.safeParse(req.body);
    const email = typeof req.body?.email === 'string' ? req.body.email : '';
    const next = safeNext(req.body?.next);
    if (!parsed.success) return loginPage(req, res, { email, next, error: req.t('sso.emailFirst') }, 422);
    const sso = await ssoForEmail(deps, parsed.data.email);
    if (!sso) return loginPage(req, res, { email, next, notice: req.t('sso.usePassword') });
    loginPage(req, res, {
      email,
      next,
      sso: { provider: sso.providerName },
      notice: sso.required ? req.t('sso.required', { provider: sso.providerName }) : null,
    });
  });

  router.post('/login/sso', async (req, res) => {
    const parsed = emailStepSchema.safeParse(req.body);
    const email = typeof req.body?.email === 'string' ? req.body.email : '';
    const next = safeNext(req.body?.next);
    try {
      if (!parsed.success) throw new SignInRefusedError('sso.noProvider');
      const { url, pending } = await startSsoSignIn(deps, { email: parsed.data.email, next });
      req.session.ssoPending = pending;
      res.redirect(303, url);
    } catch (err) {
      if (!(err instanceof SignInRefusedError)) throw err;
      loginPage(req, res, { email, next, error: req.t(err.messageKey) }, 401);
    }
  });

  router.get('/login/sso/callback', async (req, res) => {
    const pending = req.session.ssoPending;
    delete req.session.ssoPending;
    const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '';
    try {
      const actor = await finishSsoSignIn(deps, pending, {
        query,
        ip: req.ip ?? '',
        userAgent: req.get('user-agent') ?? '',
      });
      await establishSession(req, actor);
      flash(req, 'success', req.t('auth.welcome', { name: actor.name }));
      res.redirect(pending?.next ?? '/');
    } catch (err) {
      if (!(err instanceof SignInRefusedError)) throw err;
      loginPage(req, res, { email: '', next: '/', error: req.t(err.messageKey) }, 401);
    }
  });
  return router;
}

/** The company's provider settings and its break-glass administrators (company admins only). */
export function ssoAdminRoutes(deps: SsoDeps) {
  const router = Router();
  router.use(ADMIN, requireRole(isCompanyAdmin));

  const render = async (req: Request, res: Response, values?: Record<string, string>, errors: FieldErrors = {}) => {
    const loaded = await loadSsoSettings(deps, actorOf(req));
    res.status(Object.keys(errors).length ? 422 : 200).render('sso/admin', {
      title: req.t('sso.adminTitle'),
      ...loaded,
      values: values ?? loaded.values,
      errors,
      callbackUrl: `${deps.config.appUrl}/login/sso/callback`,
    });
  };

  router.get(ADMIN, (req, res) => render(req, res));

  router.post(ADMIN, async (req, res) => {
    const values = formValues(req.body, SSO_FIELDS);
    const parsed = ssoSettingsSchema.safeParse(values);
    if (!parsed.success) return render(req, res, { ...values, clientSecret: '' }, fieldErrors(parsed.error, req.t));
    try {
      await saveSsoSettings(deps, actorOf(req), parsed.data);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const errors = Object.fromEntries(Object.entries(err.fields).map(([f, k]) => [f, req.t(k, err.params)]));
      return render(req, res, { ...values, clientSecret: '' }, errors);
    }
    flash(req, 'success', req.t('sso.saved'));
    res.redirect(ADMIN);
  });

  router.post(`${ADMIN}/quitar`, async (req, res) => {
    await removeSsoSettings(deps, actorOf(req));
    flash(req, 'success', req.t('sso.removed'));
    res.redirect(ADMIN);
  });

  router.post(`${ADMIN}/emergencia/:id`, async (req, res) => {
    await saveBreakGlass(deps, actorOf(req), { userId: idParam(req.params.id), on: req.body?.on === '1' });
    flash(req, 'success', req.t('sso.breakGlassSaved'));
    res.redirect(`${ADMIN}#emergencia`);
  });
  return router;
}
