import { Router, type Request, type Response } from 'express';
import { actorOf } from '../auth/index.js';
import { ValidationError } from '../web/errors.js';
import { fieldErrors } from '../web/fields.js';
import { formValues, type FieldErrors } from '../web/forms.js';
import { flash } from '../web/flash.js';
import { PASSWORD_MAX_BYTES, PASSWORD_MIN_LENGTH } from './password-policy.js';
import { confirmPhoneCode, phoneStatus, sendPhoneCode, type PhoneState } from './phone-verification.js';
import type { OwnAccount } from './queries.js';
import { profileSchema } from './schemas.js';
import { changePassword, loadAccountPage, loadOwnAccount, saveProfile, type AccountDeps } from './service.js';

export { phoneField } from './schemas.js';

const PROFILE_FIELDS = ['name', 'phone', 'locale'] as const;
const PASSWORD_FIELDS = ['current', 'password', 'confirm'] as const;

const profileOf = (me: Pick<OwnAccount, 'name' | 'phone' | 'locale' | 'email'>) => ({
  name: me.name,
  phone: me.phone ?? '',
  locale: me.locale ?? '',
  email: me.email,
});
const translated = (req: Request, err: ValidationError) =>
  Object.fromEntries(Object.entries(err.fields).map(([field, key]) => [field, req.t(key, err.params)]));

/** The signed-in person's own account: profile, phone verification and password. */
export function accountRoutes(deps: AccountDeps) {
  const router = Router();

  const render = async (
    req: Request,
    res: Response,
    profile: Record<string, string>,
    errors: { profile?: FieldErrors; password?: FieldErrors; phone?: FieldErrors } = {},
    status = 200,
    phone?: PhoneState,
  ) => {
    const actor = actorOf(req);
    res.status(status).render('accounts/profile', {
      title: req.t('account.title'),
      profile,
      errors: errors.profile ?? {},
      passwordErrors: errors.password ?? {},
      phoneErrors: errors.phone ?? {},
      phoneState: phone ?? (await phoneStatus(deps.db, { companyId: actor.companyId, userId: actor.id })),
      passwordHelp: req.t('password.help', { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_BYTES }),
    });
  };

  router.get('/cuenta', async (req, res) => {
    const page = await loadAccountPage(deps, actorOf(req));
    await render(req, res, profileOf(page.profile), {}, 200, page.phoneState);
  });

  router.post('/cuenta', async (req, res) => {
    const me = await loadOwnAccount(deps, actorOf(req));
    const values = formValues(req.body, PROFILE_FIELDS);
    const parsed = profileSchema(me.company.country).safeParse(values);
    if (!parsed.success)
      return render(req, res, { ...values, email: me.email }, { profile: fieldErrors(parsed.error, req.t) }, 422);
    await saveProfile(deps, actorOf(req), parsed.data);
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
      if (!(err instanceof ValidationError)) throw err;
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
      if (!(err instanceof ValidationError)) throw err;
      return render(req, res, profileOf(await loadOwnAccount(deps, actor)), { phone: translated(req, err) }, 422);
    }
    flash(req, 'success', req.t('phoneVerification.verified'));
    res.redirect(303, '/cuenta#telefono');
  });

  router.post('/cuenta/clave', async (req, res) => {
    const actor = actorOf(req);
    try {
      const ended = await changePassword(deps, actor, formValues(req.body, PASSWORD_FIELDS), req.sessionID);
      flash(req, 'success', req.t('account.passwordChanged', { count: ended }));
      res.redirect('/cuenta');
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return render(req, res, profileOf(await loadOwnAccount(deps, actor)), { password: translated(req, err) }, 422);
    }
  });

  return router;
}
