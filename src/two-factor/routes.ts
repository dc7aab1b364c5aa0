import { Router, type Request, type Response } from 'express';
import {
  actorOf,
  establishSession,
  isCompanyAdmin,
  pendingSignIn,
  requireRole,
  TooManyAttemptsError,
  type PendingSignIn,
} from '../auth/index.js';
import { ValidationError } from '../web/errors.js';
import { fieldErrors } from '../web/fields.js';
import { flash } from '../web/flash.js';
import { formValues } from '../web/forms.js';
import { TWO_FACTOR_RULES } from './policy.js';
import { codeSchema, ruleSchema } from './schemas.js';
import {
  confirmEnrolment,
  disableTwoFactor,
  enrolAtSignIn,
  loadTwoFactorRule,
  enrolmentOf,
  regenerateRecoveryCodes,
  saveTwoFactorRule,
  twoFactorStatus,
  verifySecondStep,
  type TwoFactorDeps,
} from './service.js';

declare module 'express-session' {
  interface SessionData {
    /** The secret being enrolled (until its first code is confirmed). */
    totpEnrolment?: string;
  }
}

const ACCOUNT = '/cuenta/dos-pasos';
const ADMIN = '/admin/dos-pasos';

const codeOf = (req: Request) => {
  const parsed = codeSchema.safeParse(formValues(req.body, ['code'] as const));
  return parsed.success ? parsed.data.code : '';
};
const messageOf = (req: Request, err: ValidationError) => req.t(Object.values(err.fields)[0] ?? err.messageKey);

/** The second step of a sign-in (before anyone is signed in): a code, or enrolling when the company requires it. */
export function twoFactorSignInRoutes(deps: TwoFactorDeps) {
  const router = Router();

  const render = async (req: Request, res: Response, pending: PendingSignIn, error: string | null, status = 200) => {
    let enrolment = null;
    if (pending.step === 'enrol') {
      enrolment = await enrolmentOf(req.session.totpEnrolment, pending);
      req.session.totpEnrolment = enrolment.secret;
    }
    res.status(status).render('two-factor/challenge', { title: req.t('twoFactor.title'), pending, enrolment, error });
  };

  const guard = (step: 'verify' | 'enrol') => (req: Request, res: Response) => {
    const pending = pendingSignIn(req, deps.clock());
    if (!pending || pending.step !== step) {
      delete req.session.pendingSignIn;
      res.redirect('/login');
      return null;
    }
    return pending;
  };

  const attempt = (step: 'verify' | 'enrol') => async (req: Request, res: Response) => {
    const pending = guard(step)(req, res);
    if (!pending) return;
    const input = { code: codeOf(req), ip: req.ip ?? '', userAgent: req.get('user-agent') ?? '' };
    try {
      if (step === 'verify') {
        const actor = await verifySecondStep(deps, pending, input);
        delete req.session.pendingSignIn;
        await establishSession(req, actor);
        flash(req, 'success', req.t('auth.welcome', { name: actor.name }));
        return res.redirect(pending.next);
      }
      const { actor, codes } = await enrolAtSignIn(deps, pending, {
        ...input,
        secret: req.session.totpEnrolment ?? '',
      });
      delete req.session.pendingSignIn;
      delete req.session.totpEnrolment;
      await establishSession(req, actor);
      res.render('two-factor/codes', { title: req.t('twoFactor.codesTitle'), codes, next: pending.next });
    } catch (err) {
      if (err instanceof TooManyAttemptsError) {
        res.setHeader('Retry-After', String(err.retryAfterSeconds));
        return render(req, res, pending, req.t(err.messageKey, err.params), 429);
      }
      if (err instanceof ValidationError) return render(req, res, pending, messageOf(req, err), 401);
      throw err;
    }
  };

  for (const [step, path] of [
    ['verify', '/login/codigo'],
    ['enrol', '/login/alta'],
  ] as const) {
    router.get(path, async (req, res) => {
      const pending = guard(step)(req, res);
      if (pending) await render(req, res, pending, null);
    });
    router.post(path, attempt(step));
  }
  return router;
}

/** "Mi cuenta › Verificación en dos pasos", and the company's rule for admins. */
export function twoFactorRoutes(deps: TwoFactorDeps) {
  const router = Router();

  const render = async (req: Request, res: Response, error: string | null = null, status = 200) => {
    const actor = actorOf(req);
    const status_ = await twoFactorStatus(deps, actor);
    let enrolment = null;
    if (!status_.enabled) {
      enrolment = await enrolmentOf(req.session.totpEnrolment, actor);
      req.session.totpEnrolment = enrolment.secret;
    }
    res.status(status).render('two-factor/account', {
      title: req.t('twoFactor.title'),
      state: status_,
      enrolment,
      error,
    });
  };
  const showCodes = (req: Request, res: Response, codes: string[]) =>
    res.render('two-factor/codes', { title: req.t('twoFactor.codesTitle'), codes, next: ACCOUNT });

  router.get(ACCOUNT, (req, res) => render(req, res));

  router.post(`${ACCOUNT}/activar`, async (req, res) => {
    try {
      const codes = await confirmEnrolment(deps, actorOf(req), {
        secret: req.session.totpEnrolment ?? '',
        code: codeOf(req),
      });
      delete req.session.totpEnrolment;
      showCodes(req, res, codes);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await render(req, res, messageOf(req, err), 422);
    }
  });

  router.post(`${ACCOUNT}/codigos`, async (req, res) => {
    try {
      showCodes(req, res, await regenerateRecoveryCodes(deps, actorOf(req), { code: codeOf(req) }));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await render(req, res, messageOf(req, err), 422);
    }
  });

  router.post(`${ACCOUNT}/desactivar`, async (req, res) => {
    try {
      await disableTwoFactor(deps, actorOf(req), { code: codeOf(req) });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return render(req, res, messageOf(req, err), 422);
    }
    flash(req, 'success', req.t('twoFactor.disabled'));
    res.redirect(ACCOUNT);
  });

  router.use(ADMIN, requireRole(isCompanyAdmin));
  const renderRule = (req: Request, res: Response, rule: string, errors = {}, status = 200) =>
    res.status(status).render('two-factor/admin', {
      title: req.t('twoFactor.adminTitle'),
      rule,
      rules: TWO_FACTOR_RULES,
      errors,
    });
  router.get(ADMIN, async (req, res) => renderRule(req, res, await loadTwoFactorRule(deps, actorOf(req))));
  router.post(ADMIN, async (req, res) => {
    const values = formValues(req.body, ['rule'] as const);
    const parsed = ruleSchema.safeParse(values);
    if (!parsed.success) return renderRule(req, res, values.rule, fieldErrors(parsed.error, req.t), 422);
    await saveTwoFactorRule(deps, actorOf(req), parsed.data);
    flash(req, 'success', req.t('twoFactor.ruleSaved'));
    res.redirect(ADMIN);
  });
  return router;
}
