import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { hashPassword } from '../auth/passwords.js';
import { normalizeEmail } from '../auth/passport.js';
import { formValues } from '../web/forms.js';
import { fieldErrors } from '../web/fields.js';
import { flash } from '../web/flash.js';
import { emailSendLimiters } from './email-limits.js';
import { recipientSelect, sendAccountLink, toRecipient, type AccountLinkDeps } from './links.js';
import { PASSWORD_MAX_BYTES, PASSWORD_MIN_LENGTH } from './password-policy.js';
import { newPasswordSchema } from './schemas.js';
import { endSessionsOf } from './sessions.js';
import { checkToken, consumeToken } from './tokens.js';

const forgotSchema = z.object({ email: z.string().trim().max(254) });
const PASSWORD_LINKS = ['INVITATION', 'PASSWORD_RESET'] as const;

/** Pages reached without signing in: forgotten password, and the set-password link (invitation or reset). */
export function accountPublicRoutes(deps: AccountLinkDeps) {
  const { db, config, clock } = deps;
  const router = Router();

  const renderForgot = (req: Request, res: Response, status = 200, error: string | null = null) =>
    res.status(status).render('accounts/forgot', {
      title: req.t('forgot.title'),
      email: typeof req.body?.email === 'string' ? req.body.email : '',
      error,
    });

  router.get('/clave/olvido', (req, res) => renderForgot(req, res));

  router.post(
    '/clave/olvido',
    ...emailSendLimiters(config, (req, res) => renderForgot(req, res, 429, req.t('forgot.tooMany'))),
    async (req, res) => {
      const parsed = forgotSchema.safeParse(req.body);
      const email = parsed.success ? normalizeEmail(parsed.data.email) : '';
      if (email) {
        const user = await db.user.findUnique({
          where: { email },
          select: { ...recipientSelect, active: true, company: { select: { name: true, locale: true, active: true } } },
        });
        if (user?.active && user.company.active) await sendAccountLink(deps, toRecipient(user), 'PASSWORD_RESET');
      }
      // Same answer whether the address exists or not.
      flash(req, 'info', req.t('forgot.sent'));
      res.redirect('/login');
    },
  );

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

  async function tokenOwner(req: Request, res: Response) {
    const check = await checkToken(db, String(req.params.token), [...PASSWORD_LINKS], clock());
    if (!check.ok) {
      res
        .status(410)
        .render('accounts/link-error', { title: req.t('links.title'), reason: check.reason, resend: false });
      return null;
    }
    const user = await db.user.findFirst({
      where: { id: check.userId, companyId: check.companyId },
      select: { id: true, name: true, email: true, active: true, company: { select: { name: true, active: true } } },
    });
    if (!user?.active || !user.company.active) {
      res.status(410).render('accounts/link-error', { title: req.t('links.title'), reason: 'invalid', resend: false });
      return null;
    }
    return { check, user };
  }

  router.get('/clave/:token', async (req, res) => {
    const owner = await tokenOwner(req, res);
    if (owner) renderSet(req, res, owner.check.ok ? owner.check.purpose : '', owner.user.name, {});
  });

  router.post('/clave/:token', async (req, res) => {
    const owner = await tokenOwner(req, res);
    if (!owner || !owner.check.ok) return;
    const values = formValues(req.body, ['password', 'confirm'] as const);
    const parsed = newPasswordSchema([owner.user.name, owner.user.email, owner.user.company.name]).safeParse(values);
    if (!parsed.success)
      return renderSet(req, res, owner.check.purpose, owner.user.name, fieldErrors(parsed.error, req.t), 422);
    const passwordHash = await hashPassword(parsed.data.password);
    const now = clock();
    const done = await db.$transaction(async (tx) => {
      const used = await consumeToken(tx, String(req.params.token), [...PASSWORD_LINKS], now);
      if (!used.ok) return false;
      const user = await tx.user.findFirstOrThrow({
        where: { id: used.userId, companyId: used.companyId },
        select: { emailVerifiedAt: true },
      });
      // Following an emailed link proves the address.
      await tx.user.updateMany({
        where: { id: used.userId, companyId: used.companyId },
        data: { passwordHash, emailVerifiedAt: user.emailVerifiedAt ?? now },
      });
      await endSessionsOf(tx, used.userId);
      return true;
    });
    if (!done)
      return res
        .status(410)
        .render('accounts/link-error', { title: req.t('links.title'), reason: 'used', resend: false });
    flash(req, 'success', req.t('setPassword.done'));
    res.redirect('/login');
  });

  return router;
}
