import { Router, type Request, type Response } from 'express';
import { actorOf } from '../../auth/index.js';
import type { Db } from '../../db/client.js';
import { ValidationError } from '../../web/errors.js';
import { fieldErrors, translateFields } from '../../web/fields.js';
import { flash } from '../../web/flash.js';
import { formValues, type FieldErrors } from '../../web/forms.js';
import { ORDERED_ZONES, PORTAL_FIELDS, portalSettingsSchema, SETTINGS_FIELDS, settingsSchema } from './schemas.js';
import { loadCompanySettings, loadPortalSettings, saveCompanySettings, savePortalSettings } from './service.js';

/** A form of the page with what was typed and its errors (null: as stored). */
interface Shown {
  values: Record<string, string>;
  errors: FieldErrors;
}

/** The company's own settings: name, time zone, language; and its public portal (a fieldset of its own). */
export function settingsRoutes(db: Db) {
  const deps = { db };
  const router = Router();
  const render = async (req: Request, res: Response, general: Shown | null, portal: Shown | null, status = 200) => {
    const actor = actorOf(req);
    const { settings, approvers } = await loadPortalSettings(deps, actor);
    res.status(status).render('admin/settings', {
      title: req.t('admin.settings.title'),
      values: general?.values ?? { ...(await loadCompanySettings(deps, actor)) },
      errors: general?.errors ?? {},
      zones: ORDERED_ZONES.map((z) => ({ value: z, label: z.replace(/_/g, ' ') })),
      portal: portal ?? {
        values: {
          portalEnabled: settings.portalEnabled ? 'on' : '',
          portalSlug: settings.portalSlug ?? '',
          portalIntro: settings.portalIntro ?? '',
          portalIntakeApproverId: settings.portalIntakeApproverId ? String(settings.portalIntakeApproverId) : '',
        },
        errors: {},
      },
      portalLive: settings.portalEnabled && settings.portalSlug ? settings.portalSlug : null,
      approvers: [{ value: '', label: req.t('portal.admin.noApprover') }].concat(
        approvers.map((a) => ({ value: String(a.id), label: a.name })),
      ),
    });
  };

  router.get('/admin/empresa', (req, res) => render(req, res, null, null));

  router.post('/admin/empresa', async (req, res) => {
    const values = formValues(req.body, SETTINGS_FIELDS);
    const parsed = settingsSchema.safeParse(values);
    if (!parsed.success) return render(req, res, { values, errors: fieldErrors(parsed.error, req.t) }, null, 422);
    await saveCompanySettings(deps, actorOf(req), parsed.data);
    flash(req, 'success', req.t('admin.settings.saved'));
    res.redirect('/admin/empresa');
  });

  router.post('/admin/empresa/portal', async (req, res) => {
    const values = formValues(req.body, PORTAL_FIELDS);
    const parsed = portalSettingsSchema.safeParse(values);
    if (!parsed.success) return render(req, res, null, { values, errors: fieldErrors(parsed.error, req.t) }, 422);
    try {
      await savePortalSettings(deps, actorOf(req), parsed.data);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return render(req, res, null, { values, errors: translateFields(err.fields, req.t) }, 422);
    }
    flash(req, 'success', req.t('portal.admin.saved'));
    res.redirect('/admin/empresa#portal');
  });
  return router;
}
