import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { emailSendLimiters } from '../accounts/email-limits.js';
import { recipientSelect, sendAccountLink, toRecipient, type AccountLinkDeps } from '../accounts/links.js';
import { consumeToken } from '../accounts/tokens.js';
import { normalizeEmail } from '../auth/passport.js';
import { formValues, type FieldErrors } from '../web/forms.js';
import { flash } from '../web/flash.js';
import { PASSWORD_MAX_BYTES, PASSWORD_MIN_LENGTH } from '../accounts/password-policy.js';
import { parseSignup, SIGNUP_FIELDS } from './schema.js';
import { createCompany, findSignupConflict } from './service.js';
import { SIGNUP_COUNTRIES, TAX_ID_NAMES } from './tax-id.js';

declare module 'express-session' {
  interface SessionData {
    /** The address a verification link was just sent to (for the "check your email" page). */
    signupEmail?: string;
  }
}

const resendSchema = z.object({ email: z.string().trim().max(254) });

export function signupRoutes(deps: AccountLinkDeps) {
  const { db, config, clock } = deps;
  const router = Router();

  const renderForm = (
    req: Request,
    res: Response,
    values: Record<string, string>,
    errors: FieldErrors,
    status = 200,
  ) => {
    res.status(status).render('signup/form', {
      title: req.t('signup.title'),
      values,
      errors,
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
    if (!parsed.ok)
      return renderForm(
        req,
        res,
        values,
        Object.fromEntries(parsed.issues.reverse().map((i) => [i.field, req.t(i.key)])),
        422,
      );
    const input = parsed.data;
    const conflict = (await findSignupConflict(db, input)) ?? null;
    const result = conflict ? { ok: false as const, conflict } : await createCompany(db, input, req.lang);
    if (!result.ok) {
      const errors: Record<string, string> =
        result.conflict === 'email'
          ? { email: req.t('signup.errors.emailTaken') }
          : { taxId: req.t('signup.errors.taxIdTaken', { taxIdName: TAX_ID_NAMES[input.country] }) };
      return renderForm(req, res, values, errors, 422);
    }
    await sendAccountLink(deps, toRecipient({ ...result.admin, company: result.company }), 'VERIFY_EMAIL');
    req.session.signupEmail = input.email;
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

  const resendRejected = (req: Request, res: Response) =>
    res.status(429).render('signup/check-email', {
      title: req.t('signup.checkEmail.title'),
      email: typeof req.body?.email === 'string' ? req.body.email : '',
      error: req.t('signup.resend.tooMany'),
      showMailbox: false,
    });

  router.post('/registro/reenviar', ...emailSendLimiters(config, resendRejected), async (req, res) => {
    const parsed = resendSchema.safeParse(req.body);
    const email = parsed.success ? normalizeEmail(parsed.data.email) : '';
    if (email) {
      const user = await db.user.findUnique({
        where: { email },
        select: { ...recipientSelect, emailVerifiedAt: true, active: true },
      });
      if (user && !user.emailVerifiedAt && user.active) await sendAccountLink(deps, toRecipient(user), 'VERIFY_EMAIL');
    }
    // The same answer whether the address exists or not.
    req.session.signupEmail = email;
    flash(req, 'info', req.t('signup.resend.done'));
    res.redirect('/registro/verifica');
  });

  router.get('/verificar/:token', async (req, res) => {
    const now = clock();
    const result = await db.$transaction(async (tx) => {
      const check = await consumeToken(tx, req.params.token, ['VERIFY_EMAIL'], now);
      if (check.ok) {
        await tx.user.updateMany({
          where: { id: check.userId, companyId: check.companyId, emailVerifiedAt: null },
          data: { emailVerifiedAt: now },
        });
      }
      return check;
    });
    if (!result.ok) {
      return res
        .status(410)
        .render('accounts/link-error', { title: req.t('links.title'), reason: result.reason, resend: true });
    }
    flash(req, 'success', req.t('signup.verified'));
    res.redirect('/login');
  });

  return router;
}
