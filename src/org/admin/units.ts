import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { actorOf } from '../../auth/guards.js';
import { diff, recordAudit } from '../../audit/record.js';
import type { Db } from '../../db/client.js';
import { NotFoundError } from '../../web/errors.js';
import { formValues, type FieldErrors } from '../../web/forms.js';
import { fieldErrors } from '../../web/fields.js';
import { flash } from '../../web/flash.js';
import { buildTree, flattenTree, subtreeIds } from '../tree.js';
import { auditActor, isUniqueViolation, optionalId } from './common.js';
import { idParam } from '../../web/fields.js';

const FIELDS = ['name', 'kind', 'parentId', 'headId'] as const;
/** Units of one company are few; this bound keeps every query finite. */
const MAX_UNITS = 1000;

const idOrNull = z.string().transform((v, ctx) => {
  const id = optionalId(v);
  if (id === 'invalid') ctx.addIssue({ code: 'custom', message: 'forms.invalidChoice' });
  return id === 'invalid' ? null : id;
});

const unitSchema = z.object({
  name: z.string().trim().min(2, 'forms.nameShort').max(120, 'forms.tooLong'),
  kind: z.enum(['REGULAR', 'SERVICE_AREA'], 'forms.invalidChoice'),
  parentId: idOrNull,
  headId: idOrNull,
});

export async function companyUnits(db: Db, companyId: number) {
  return db.unit.findMany({
    where: { companyId },
    select: {
      id: true,
      name: true,
      kind: true,
      parentId: true,
      headId: true,
      active: true,
      head: { select: { name: true } },
      _count: { select: { members: { where: { active: true } } } },
    },
    orderBy: { name: 'asc' },
    take: MAX_UNITS,
  });
}

export function unitRoutes(db: Db) {
  const router = Router();

  const people = (companyId: number) =>
    db.user.findMany({
      where: { companyId, active: true },
      select: { id: true, name: true },
      orderBy: { name: 'asc' },
      take: 2000,
    });

  async function renderForm(
    req: Request,
    res: Response,
    unitId: number | null,
    values: Record<string, string>,
    errors: FieldErrors,
    status = 200,
  ) {
    const { companyId } = actorOf(req);
    const [units, heads] = await Promise.all([companyUnits(db, companyId), people(companyId)]);
    const excluded = unitId ? subtreeIds(units, unitId) : new Set<number>();
    const tree = flattenTree(buildTree(units));
    res.status(status).render('admin/unit-form', {
      title: req.t(unitId ? 'admin.units.edit' : 'admin.units.new'),
      unitId,
      values,
      errors,
      parents: [
        { value: '', label: req.t('admin.units.noParent') },
        ...tree
          .filter((u) => !excluded.has(u.id))
          .map((u) => ({ value: u.id, label: `${'— '.repeat(u.depth)}${u.name}` })),
      ],
      heads: [{ value: '', label: req.t('admin.units.noHead') }, ...heads.map((p) => ({ value: p.id, label: p.name }))],
      kinds: [
        { value: 'REGULAR', label: req.t('admin.units.kinds.REGULAR') },
        { value: 'SERVICE_AREA', label: req.t('admin.units.kinds.SERVICE_AREA') },
      ],
    });
  }

  /** Checks the references of the form against this company's rows; returns field errors. */
  async function checkRefs(
    req: Request,
    unitId: number | null,
    data: z.output<typeof unitSchema>,
  ): Promise<FieldErrors> {
    const { companyId } = actorOf(req);
    const errors: FieldErrors = {};
    if (data.parentId != null) {
      const units = await db.unit.findMany({
        where: { companyId },
        select: { id: true, parentId: true, name: true },
        take: MAX_UNITS,
      });
      const exists = units.some((u) => u.id === data.parentId);
      if (!exists || (unitId && subtreeIds(units, unitId).has(data.parentId)))
        errors.parentId = req.t('admin.units.badParent');
    }
    if (
      data.headId != null &&
      !(await db.user.findFirst({ where: { id: data.headId, companyId, active: true }, select: { id: true } }))
    ) {
      errors.headId = req.t('forms.invalidChoice');
    }
    if (
      unitId &&
      data.kind === 'REGULAR' &&
      (await db.category.count({ where: { companyId, serviceAreaId: unitId } })) > 0
    ) {
      errors.kind = req.t('admin.units.hasCategories');
    }
    return errors;
  }

  router.get('/admin/unidades', async (req, res) => {
    const units = await companyUnits(db, actorOf(req).companyId);
    res.render('admin/units', { title: req.t('admin.units.title'), units: flattenTree(buildTree(units)) });
  });

  router.get('/admin/organigrama', async (req, res) => {
    const units = await companyUnits(db, actorOf(req).companyId);
    res.render('admin/org-chart', {
      title: req.t('admin.chart.title'),
      roots: buildTree(units.filter((u) => u.active)),
    });
  });

  router.get('/admin/unidades/nueva', (req, res) =>
    renderForm(req, res, null, { name: '', kind: 'REGULAR', parentId: '', headId: '' }, {}),
  );

  router.post('/admin/unidades', async (req, res) => {
    const values = formValues(req.body, FIELDS);
    const parsed = unitSchema.safeParse(values);
    if (!parsed.success) return renderForm(req, res, null, values, fieldErrors(parsed.error, req.t), 422);
    const errors = await checkRefs(req, null, parsed.data);
    if (Object.keys(errors).length) return renderForm(req, res, null, values, errors, 422);
    const { companyId } = actorOf(req);
    try {
      const unit = await db.$transaction(async (tx) => {
        const created = await tx.unit.create({ data: { companyId, ...parsed.data } });
        await recordAudit(tx, companyId, auditActor(req), {
          action: 'unit.created',
          entityType: 'unit',
          entityId: created.id,
          summary: created.name,
          changes: diff({}, parsed.data),
        });
        return created;
      });
      flash(req, 'success', req.t('admin.units.created', { name: unit.name }));
      res.redirect('/admin/unidades');
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      renderForm(req, res, null, values, { name: req.t('admin.units.nameTaken') }, 422);
    }
  });

  router.get('/admin/unidades/:id', async (req, res) => {
    const unit = await db.unit.findFirst({ where: { id: idParam(req.params.id), companyId: actorOf(req).companyId } });
    if (!unit) throw new NotFoundError();
    await renderForm(
      req,
      res,
      unit.id,
      { name: unit.name, kind: unit.kind, parentId: String(unit.parentId ?? ''), headId: String(unit.headId ?? '') },
      {},
    );
  });

  router.post('/admin/unidades/:id', async (req, res) => {
    const { companyId } = actorOf(req);
    const unit = await db.unit.findFirst({ where: { id: idParam(req.params.id), companyId } });
    if (!unit) throw new NotFoundError();
    const values = formValues(req.body, FIELDS);
    const parsed = unitSchema.safeParse(values);
    if (!parsed.success) return renderForm(req, res, unit.id, values, fieldErrors(parsed.error, req.t), 422);
    const errors = await checkRefs(req, unit.id, parsed.data);
    if (Object.keys(errors).length) return renderForm(req, res, unit.id, values, errors, 422);
    try {
      await db.$transaction(async (tx) => {
        await tx.unit.updateMany({ where: { id: unit.id, companyId }, data: parsed.data });
        await recordAudit(tx, companyId, auditActor(req), {
          action: 'unit.updated',
          entityType: 'unit',
          entityId: unit.id,
          summary: parsed.data.name,
          changes: diff(unit, parsed.data),
        });
      });
      flash(req, 'success', req.t('admin.units.saved', { name: parsed.data.name }));
      res.redirect('/admin/unidades');
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      renderForm(req, res, unit.id, values, { name: req.t('admin.units.nameTaken') }, 422);
    }
  });

  return router;
}
