import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { actorOf } from '../auth/guards.js';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import type { Db } from '../db/client.js';
import { nameField } from '../signup/schema.js';
import { fieldErrors, formValues, type FieldErrors } from '../web/forms.js';
import { flash } from '../web/request-context.js';
import { PASSWORD_MAX_BYTES, PASSWORD_MIN_LENGTH } from './password-policy.js';
import { toE164 } from './phone.js';
import { newPasswordSchema } from './schemas.js';
import { endSessionsOf } from './sessions.js';

const PROFILE_FIELDS = ['name', 'phone', 'locale'] as const;
const PASSWORD_FIELDS = ['current', 'password', 'confirm'] as const;

/** Optional phone: '' → null; otherwise must be a valid number (stored in E.164). */
export function phoneField(country: string) {
  return z
    .string()
    .trim()
    .max(40, 'forms.tooLong')
    .transform((v, ctx) => {
      if (!v) return null;
      const e164 = toE164(v, country);
      if (!e164) ctx.addIssue({ code: 'custom', message: 'forms.phone' });
      return e164;
    });
}

/** The signed-in person's own account: profile and password. */
export function accountRoutes(db: Db) {
  const router = Router();

  const load = async (req: Request) => {
    const actor = actorOf(req);
    return db.user.findFirstOrThrow({ where: { id: actor.id, companyId: actor.companyId }, select: { id: true, name: true, email: true, phone: true, locale: true, passwordHash: true, company: { select: { country: true, name: true } } } });
  };

  const render = (req: Request, res: Response, profile: Record<string, string>, errors: FieldErrors, passwordErrors: FieldErrors, status = 200) =>
    res.status(status).render('accounts/profile', {
      title: req.t('account.title'),
      profile,
      errors,
      passwordErrors,
      passwordHelp: req.t('password.help', { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_BYTES }),
    });

  router.get('/cuenta', async (req, res) => {
    const me = await load(req);
    render(req, res, { name: me.name, phone: me.phone ?? '', locale: me.locale ?? '', email: me.email }, {}, {});
  });

  router.post('/cuenta', async (req, res) => {
    const me = await load(req);
    const values = formValues(req.body, PROFILE_FIELDS);
    const schema = z.object({ name: nameField, phone: phoneField(me.company.country), locale: z.enum(['', 'es', 'en'], 'forms.invalidChoice') });
    const parsed = schema.safeParse(values);
    if (!parsed.success) return render(req, res, { ...values, email: me.email }, fieldErrors(req, parsed.error), {}, 422);
    const { name, phone, locale } = parsed.data;
    await db.user.updateMany({ where: { id: me.id, companyId: actorOf(req).companyId }, data: { name, phone, locale: locale || null } });
    // The language just chosen wins over one picked earlier in this session.
    delete req.session.lang;
    flash(req, 'success', req.t('account.saved'));
    res.redirect('/cuenta');
  });

  router.post('/cuenta/clave', async (req, res) => {
    const me = await load(req);
    const values = formValues(req.body, PASSWORD_FIELDS);
    const profile = { name: me.name, phone: me.phone ?? '', locale: me.locale ?? '', email: me.email };
    if (!me.passwordHash || !(await verifyPassword(values.current, me.passwordHash))) {
      return render(req, res, profile, {}, { current: req.t('account.wrongCurrent') }, 422);
    }
    const parsed = newPasswordSchema([me.name, me.email, me.company.name]).safeParse(values);
    if (!parsed.success) return render(req, res, profile, {}, fieldErrors(req, parsed.error), 422);
    await db.user.updateMany({ where: { id: me.id, companyId: actorOf(req).companyId }, data: { passwordHash: await hashPassword(parsed.data.password) } });
    const ended = await endSessionsOf(db, me.id, req.sessionID);
    flash(req, 'success', req.t('account.passwordChanged', { count: ended }));
    res.redirect('/cuenta');
  });

  return router;
}
