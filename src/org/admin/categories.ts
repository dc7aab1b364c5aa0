import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { actorOf } from '../../auth/guards.js';
import { diff, recordAudit } from '../../audit/record.js';
import type { Db } from '../../db/client.js';
import { NotFoundError } from '../../web/errors.js';
import { formValues, type FieldErrors } from '../../web/forms.js';
import { fieldErrors } from '../../web/fields.js';
import { flash } from '../../web/flash.js';
import { auditActor, isUniqueViolation } from './common.js';
import { idParam } from '../../web/fields.js';

const FIELDS = ['name', 'serviceAreaId', 'slaHours', 'description', 'active'] as const;

const categorySchema = z.object({
  name: z.string().trim().min(2, 'forms.nameShort').max(120, 'forms.tooLong'),
  serviceAreaId: z
    .string()
    .regex(/^\d{1,9}$/, 'forms.invalidChoice')
    .transform(Number),
  slaHours: z
    .string()
    .trim()
    .transform((v, ctx) => {
      if (!v) return null;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 8760)
        ctx.addIssue({ code: 'custom', message: 'admin.categories.badSla' });
      return n;
    }),
  description: z
    .string()
    .trim()
    .max(500, 'forms.tooLong')
    .transform((v) => v || null),
  active: z.string().transform((v) => v === 'on'),
});

/** The service catalogue: categories of each service area, with their SLA target. */
export function categoryRoutes(db: Db) {
  const router = Router();

  const areas = (companyId: number) =>
    db.unit.findMany({
      where: { companyId, kind: 'SERVICE_AREA' },
      select: { id: true, name: true },
      orderBy: { name: 'asc' },
      take: 200,
    });

  async function renderForm(
    req: Request,
    res: Response,
    categoryId: number | null,
    values: Record<string, string>,
    errors: FieldErrors,
    status = 200,
  ) {
    const list = await areas(actorOf(req).companyId);
    res.status(status).render('admin/category-form', {
      title: req.t(categoryId ? 'admin.categories.edit' : 'admin.categories.new'),
      categoryId,
      values,
      errors,
      areas: list.map((a) => ({ value: a.id, label: a.name })),
    });
  }

  async function save(req: Request, res: Response, existing: { id: number; [k: string]: unknown } | null) {
    const { companyId } = actorOf(req);
    const values = formValues(req.body, FIELDS);
    const parsed = categorySchema.safeParse(values);
    const id = existing?.id ?? null;
    if (!parsed.success) return renderForm(req, res, id, values, fieldErrors(parsed.error, req.t), 422);
    const data = parsed.data;
    if (
      !(await db.unit.findFirst({
        where: { id: data.serviceAreaId, companyId, kind: 'SERVICE_AREA' },
        select: { id: true },
      }))
    ) {
      return renderForm(req, res, id, values, { serviceAreaId: req.t('forms.invalidChoice') }, 422);
    }
    try {
      await db.$transaction(async (tx) => {
        if (existing) {
          await tx.category.updateMany({ where: { id: existing.id, companyId }, data });
          await recordAudit(tx, companyId, auditActor(req), {
            action: 'category.updated',
            entityType: 'category',
            entityId: existing.id,
            summary: data.name,
            changes: diff(existing, data),
          });
        } else {
          const created = await tx.category.create({ data: { companyId, ...data } });
          await recordAudit(tx, companyId, auditActor(req), {
            action: 'category.created',
            entityType: 'category',
            entityId: created.id,
            summary: data.name,
            changes: diff({}, data),
          });
        }
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      return renderForm(req, res, id, values, { name: req.t('admin.categories.nameTaken') }, 422);
    }
    flash(req, 'success', req.t('admin.categories.saved', { name: data.name }));
    res.redirect('/admin/categorias');
  }

  router.get('/admin/categorias', async (req, res) => {
    const { companyId } = actorOf(req);
    const list = await db.unit.findMany({
      where: { companyId, kind: 'SERVICE_AREA' },
      select: {
        id: true,
        name: true,
        head: { select: { name: true } },
        categories: { orderBy: { name: 'asc' }, take: 500 },
      },
      orderBy: { name: 'asc' },
      take: 200,
    });
    res.render('admin/categories', { title: req.t('admin.categories.title'), areas: list });
  });

  router.get('/admin/categorias/nueva', async (req, res) => {
    const area = typeof req.query.area === 'string' ? req.query.area : '';
    await renderForm(
      req,
      res,
      null,
      { name: '', serviceAreaId: area, slaHours: '', description: '', active: 'on' },
      {},
    );
  });

  router.post('/admin/categorias', (req, res) => save(req, res, null));

  const find = async (req: Request) => {
    const c = await db.category.findFirst({ where: { id: idParam(req.params.id), companyId: actorOf(req).companyId } });
    if (!c) throw new NotFoundError();
    return c;
  };

  router.get('/admin/categorias/:id', async (req, res) => {
    const c = await find(req);
    await renderForm(
      req,
      res,
      c.id,
      {
        name: c.name,
        serviceAreaId: String(c.serviceAreaId),
        slaHours: c.slaHours == null ? '' : String(c.slaHours),
        description: c.description ?? '',
        active: c.active ? 'on' : '',
      },
      {},
    );
  });

  router.post('/admin/categorias/:id', async (req, res) => save(req, res, await find(req)));

  return router;
}
