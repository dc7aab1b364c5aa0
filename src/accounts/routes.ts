import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { actorOf } from '../auth/guards.js';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { nameField } from '../web/fields.js';
import { formValues, type FieldErrors } from '../web/forms.js';
import { fieldErrors } from '../web/fields.js';
import { flash } from '../web/flash.js';
import { PASSWORD_MAX_BYTES, PASSWORD_MIN_LENGTH } from './password-policy.js';
import { toE164 } from './phone.js';
import { confirmPhoneCode, phoneStatus, PhoneVerificationError, sendPhoneCode } from './phone-verification.js';
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

/** The signed-in person's own account: profile, phone verification and password. */
export function accountRoutes(deps: { db: Db; config: Config; clock: () => Date }) {
  const { db } = deps;
  const router = Router();

  const load = async (req: Request) => {
    const actor = actorOf(req);
    return db.user.findFirstOrThrow({
      where: { id: actor.id, companyId: actor.companyId },
      select: {
        id: true,
        name: true,
        email: true,
        phone: true,
        locale: true,
        passwordHash: true,
        company: { select: { country: true, name: true } },
      },
    });
  };

  const render = async (
    req: Request,
    res: Response,
    profile: Record<string, string>,
    errors: FieldErrors,
    passwordErrors: FieldErrors,
    status = 200,
    phoneErrors: FieldErrors = {},
  ) => {
    const actor = actorOf(req);
    res.status(status).render('accounts/profile', {
      title: req.t('account.title'),
      profile,
      errors,
      passwordErrors,
      phoneErrors,
      phoneState: await phoneStatus(db, { companyId: actor.companyId, userId: actor.id }),
      passwordHelp: req.t('password.help', { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_BYTES }),
    });
  };

  router.get('/cuenta', async (req, res) => {
    const me = await load(req);
    await render(req, res, { name: me.name, phone: me.phone ?? '', locale: me.locale ?? '', email: me.email }, {}, {});
  });

  router.post('/cuenta', async (req, res) => {
    const me = await load(req);
    const values = formValues(req.body, PROFILE_FIELDS);
    const schema = z.object({
      name: nameField,
      phone: phoneField(me.company.country),
      locale: z.enum(['', 'es', 'en'], 'forms.invalidChoice'),
    });
    const parsed = schema.safeParse(values);
    if (!parsed.success)
      return render(req, res, { ...values, email: me.email }, fieldErrors(parsed.error, req.t), {}, 422);
    const { name, phone, locale } = parsed.data;
    const companyId = actorOf(req).companyId;
    if (phone === me.phone) {
      await db.user.updateMany({ where: { id: me.id, companyId }, data: { name, locale: locale || null } });
    } else {
      // A new number is unproven: SMS and WhatsApp stop until it is verified again.
      await db.$transaction([
        db.user.updateMany({
          where: { id: me.id, companyId },
          data: { name, phone, locale: locale || null, phoneVerifiedAt: null },
        }),
        db.phoneVerification.deleteMany({ where: { companyId, userId: me.id } }),
      ]);
    }
    // The language just chosen wins over one picked earlier in this session.
    delete req.session.lang;
    flash(req, 'success', req.t('account.saved'));
    res.redirect('/cuenta');
  });

  router.post('/cuenta/telefono/codigo', async (req, res) => {
    const actor = actorOf(req);
    try {
      await sendPhoneCode(deps, { companyId: actor.companyId, userId: actor.id }, String(res.locals.lang ?? 'es'));
      flash(req, 'success', req.t('phoneVerification.sent'));
    } catch (err) {
      if (!(err instanceof PhoneVerificationError)) throw err;
      flash(req, 'danger', req.t(err.messageKey, err.params));
    }
    res.redirect(303, '/cuenta#telefono');
  });

  router.post('/cuenta/telefono/verificar', async (req, res) => {
    const actor = actorOf(req);
    const { code } = formValues(req.body, ['code'] as const);
    try {
      await confirmPhoneCode(deps, { companyId: actor.companyId, userId: actor.id }, code);
    } catch (err) {
      if (!(err instanceof PhoneVerificationError)) throw err;
      const me = await load(req);
      const profile = { name: me.name, phone: me.phone ?? '', locale: me.locale ?? '', email: me.email };
      return render(req, res, profile, {}, {}, 422, { code: req.t(err.messageKey, err.params) });
    }
    flash(req, 'success', req.t('phoneVerification.verified'));
    res.redirect(303, '/cuenta#telefono');
  });

  router.post('/cuenta/clave', async (req, res) => {
    const me = await load(req);
    const values = formValues(req.body, PASSWORD_FIELDS);
    const profile = { name: me.name, phone: me.phone ?? '', locale: me.locale ?? '', email: me.email };
    if (!me.passwordHash || !(await verifyPassword(values.current, me.passwordHash))) {
      return render(req, res, profile, {}, { current: req.t('account.wrongCurrent') }, 422);
    }
    const parsed = newPasswordSchema([me.name, me.email, me.company.name]).safeParse(values);
    if (!parsed.success) return render(req, res, profile, {}, fieldErrors(parsed.error, req.t), 422);
    await db.user.updateMany({
      where: { id: me.id, companyId: actorOf(req).companyId },
      data: { passwordHash: await hashPassword(parsed.data.password) },
    });
    const ended = await endSessionsOf(db, me.id, req.sessionID);
    flash(req, 'success', req.t('account.passwordChanged', { count: ended }));
    res.redirect('/cuenta');
  });

  return router;
}
