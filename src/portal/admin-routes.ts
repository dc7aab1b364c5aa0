// The administrator's side of the portal: QR posters per location (the portal's settings are in the company's
// settings page, src/org/company).
import { Router } from 'express';
import { actorOf, isCompanyAdmin, requireRole } from '../auth/index.js';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { fieldErrors } from '../web/fields.js';
import { formValues } from '../web/forms.js';
import { posterForm, posterFor } from './posters.js';
import { posterSchema } from './schemas.js';

export function portalAdminRoutes(deps: { db: Db; config: Config }) {
  const router = Router();
  router.use('/admin/portal', requireRole(isCompanyAdmin));

  router.get('/admin/portal/cartel', async (req, res) => {
    const portal = await posterForm(deps, actorOf(req));
    res.render('portal/poster-form', {
      title: req.t('portal.poster.title'),
      portal,
      values: { location: '', instructions: '' },
      errors: {},
    });
  });

  // A GET form: the poster is a page to print, it changes nothing.
  router.get('/admin/portal/cartel/imprimir', async (req, res) => {
    const values = formValues(req.query, ['location', 'instructions'] as const);
    const parsed = posterSchema.safeParse(values);
    if (!parsed.success) {
      return res.status(422).render('portal/poster-form', {
        title: req.t('portal.poster.title'),
        portal: await posterForm(deps, actorOf(req)),
        values,
        errors: fieldErrors(parsed.error, req.t),
      });
    }
    res.render('portal/poster', {
      title: parsed.data.location,
      poster: await posterFor(deps, actorOf(req), parsed.data),
    });
  });
  return router;
}
