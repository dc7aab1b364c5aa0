import { Router, type Request, type Response } from 'express';
import { actorOf } from '../../auth/index.js';
import type { Db } from '../../db/client.js';
import { ValidationError } from '../../web/errors.js';
import { fieldErrors, idParam, translateFields } from '../../web/fields.js';
import { flash } from '../../web/flash.js';
import { formValues, type FieldErrors } from '../../web/forms.js';
import { createUnit, listUnits, orgChart, unitForm, updateUnit } from './service.js';
import { UNIT_FIELDS, unitSchema } from './schemas.js';

export function unitRoutes(db: Db) {
  const deps = { db };
  const router = Router();

  async function renderForm(
    req: Request,
    res: Response,
    unitId: number | null,
    values: Record<string, string> | null,
    errors: FieldErrors,
    status = 200,
  ) {
    const { unit, parents, heads } = await unitForm(deps, actorOf(req), { unitId });
    const shown = values ?? {
      name: unit?.name ?? '',
      kind: unit?.kind ?? 'REGULAR',
      parentId: String(unit?.parentId ?? ''),
      headId: String(unit?.headId ?? ''),
    };
    res.status(status).render('admin/unit-form', {
      title: req.t(unitId ? 'admin.units.edit' : 'admin.units.new'),
      unitId,
      values: shown,
      errors,
      parents: [
        { value: '', label: req.t('admin.units.noParent') },
        ...parents.map((u) => ({ value: u.id, label: `${'— '.repeat(u.depth)}${u.name}` })),
      ],
      heads: [{ value: '', label: req.t('admin.units.noHead') }, ...heads.map((p) => ({ value: p.id, label: p.name }))],
      kinds: [
        { value: 'REGULAR', label: req.t('admin.units.kinds.REGULAR') },
        { value: 'SERVICE_AREA', label: req.t('admin.units.kinds.SERVICE_AREA') },
      ],
    });
  }

  /** Parses the form, runs the use case, and re-renders the form with 422 on any invalid field. */
  async function save(req: Request, res: Response, unitId: number | null) {
    const values = formValues(req.body, UNIT_FIELDS);
    const parsed = unitSchema.safeParse(values);
    if (!parsed.success) return renderForm(req, res, unitId, values, fieldErrors(parsed.error, req.t), 422);
    try {
      if (unitId) await updateUnit(deps, actorOf(req), { id: unitId, ...parsed.data });
      else await createUnit(deps, actorOf(req), parsed.data);
    } catch (err) {
      if (err instanceof ValidationError)
        return renderForm(req, res, unitId, values, translateFields(err.fields, req.t), 422);
      throw err;
    }
    flash(req, 'success', req.t(unitId ? 'admin.units.saved' : 'admin.units.created', { name: parsed.data.name }));
    res.redirect('/admin/unidades');
  }

  router.get('/admin/unidades', async (req, res) => {
    res.render('admin/units', { title: req.t('admin.units.title'), units: await listUnits(deps, actorOf(req)) });
  });

  router.get('/admin/organigrama', async (req, res) => {
    res.render('admin/org-chart', { title: req.t('admin.chart.title'), rows: await orgChart(deps, actorOf(req)) });
  });

  router.get('/admin/unidades/nueva', (req, res) => renderForm(req, res, null, null, {}));
  router.post('/admin/unidades', (req, res) => save(req, res, null));
  router.get('/admin/unidades/:id', (req, res) => renderForm(req, res, idParam(req.params.id), null, {}));
  router.post('/admin/unidades/:id', (req, res) => save(req, res, idParam(req.params.id)));

  return router;
}
