import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { actorOf } from '../../auth/guards.js';
import { diff, recordAudit } from '../../audit/record.js';
import type { Db } from '../../db/client.js';
import { formValues, type FieldErrors } from '../../web/forms.js';
import { fieldErrors } from '../../web/fields.js';
import { flash } from '../../web/flash.js';
import { auditActor } from './common.js';

const TIME_ZONES = Intl.supportedValuesOf('timeZone');
/** Latin-American zones first (the product's users), then the rest. */
const ORDERED_ZONES = [
  ...TIME_ZONES.filter((z) => z.startsWith('America/')),
  'UTC',
  ...TIME_ZONES.filter((z) => !z.startsWith('America/') && z !== 'UTC'),
];

const settingsSchema = z.object({
  name: z.string().trim().min(2, 'forms.nameShort').max(160, 'forms.tooLong'),
  timezone: z.string().refine((v) => ORDERED_ZONES.includes(v), 'forms.invalidChoice'),
  locale: z.enum(['es', 'en'], 'forms.invalidChoice'),
});

export function settingsRoutes(db: Db) {
  const router = Router();
  const render = (req: Request, res: Response, values: Record<string, string>, errors: FieldErrors, status = 200) =>
    res.status(status).render('admin/settings', {
      title: req.t('admin.settings.title'),
      values,
      errors,
      zones: ORDERED_ZONES.map((z) => ({ value: z, label: z.replace(/_/g, ' ') })),
    });

  router.get('/admin/empresa', async (req, res) => {
    const c = await db.company.findUniqueOrThrow({ where: { id: actorOf(req).companyId } });
    render(req, res, { name: c.name, timezone: c.timezone, locale: c.locale }, {});
  });

  router.post('/admin/empresa', async (req, res) => {
    const { companyId } = actorOf(req);
    const values = formValues(req.body, ['name', 'timezone', 'locale'] as const);
    const parsed = settingsSchema.safeParse(values);
    if (!parsed.success) return render(req, res, values, fieldErrors(parsed.error, req.t), 422);
    await db.$transaction(async (tx) => {
      const before = await tx.company.findUniqueOrThrow({ where: { id: companyId } });
      await tx.company.update({ where: { id: companyId }, data: parsed.data });
      await recordAudit(tx, companyId, auditActor(req), {
        action: 'company.updated',
        entityType: 'company',
        entityId: companyId,
        summary: parsed.data.name,
        changes: diff(before, parsed.data),
      });
    });
    flash(req, 'success', req.t('admin.settings.saved'));
    res.redirect('/admin/empresa');
  });
  return router;
}
