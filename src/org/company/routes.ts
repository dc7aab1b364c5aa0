import { Router, type Request, type Response } from 'express';
import { actorOf } from '../../auth/index.js';
import type { Db } from '../../db/client.js';
import { fieldErrors } from '../../web/fields.js';
import { flash } from '../../web/flash.js';
import { formValues, type FieldErrors } from '../../web/forms.js';
import { ORDERED_ZONES, SETTINGS_FIELDS, settingsSchema } from './schemas.js';
import { loadCompanySettings, saveCompanySettings } from './service.js';

/** The company's own settings: name, time zone, language. */
export function settingsRoutes(db: Db) {
  const deps = { db };
  const router = Router();
  const render = (req: Request, res: Response, values: Record<string, string>, errors: FieldErrors, status = 200) =>
    res.status(status).render('admin/settings', {
      title: req.t('admin.settings.title'),
      values,
      errors,
      zones: ORDERED_ZONES.map((z) => ({ value: z, label: z.replace(/_/g, ' ') })),
    });

  router.get('/admin/empresa', async (req, res) => {
    const settings = await loadCompanySettings(deps, actorOf(req));
    render(req, res, { ...settings, reopenDays: String(settings.reopenDays) }, {});
  });

  router.post('/admin/empresa', async (req, res) => {
    const values = formValues(req.body, SETTINGS_FIELDS);
    const parsed = settingsSchema.safeParse(values);
    if (!parsed.success) return render(req, res, values, fieldErrors(parsed.error, req.t), 422);
    await saveCompanySettings(deps, actorOf(req), parsed.data);
    flash(req, 'success', req.t('admin.settings.saved'));
    res.redirect('/admin/empresa');
  });
  return router;
}
