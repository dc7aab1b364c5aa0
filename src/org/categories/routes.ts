import { Router, type Request, type Response } from 'express';
import { actorOf } from '../../auth/index.js';
import type { Db } from '../../db/client.js';
import { ValidationError } from '../../web/errors.js';
import { fieldErrors, idParam, translateFields } from '../../web/fields.js';
import { flash } from '../../web/flash.js';
import { formValues, type FieldErrors } from '../../web/forms.js';
import { CATEGORY_FIELDS, categorySchema } from './schemas.js';
import { categoryForm, listCatalogue, saveCategory } from './service.js';

/** The service catalogue: categories of each service area, with their SLA target. */
export function categoryRoutes(db: Db) {
  const deps = { db };
  const router = Router();

  async function renderForm(
    req: Request,
    res: Response,
    categoryId: number | null,
    values: Record<string, string> | null,
    errors: FieldErrors,
    status = 200,
  ) {
    const { category: c, areas } = await categoryForm(deps, actorOf(req), { categoryId });
    const area = typeof req.query.area === 'string' ? req.query.area : '';
    const shown = values ?? {
      name: c?.name ?? '',
      serviceAreaId: c ? String(c.serviceAreaId) : area,
      responseHours: c?.responseHours == null ? '' : String(c.responseHours),
      resolutionHours: c?.resolutionHours == null ? '' : String(c.resolutionHours),
      description: c?.description ?? '',
      active: !c || c.active ? 'on' : '',
      noAuthorization: c && !c.needsAuthorization ? 'on' : '',
    };
    res.status(status).render('admin/category-form', {
      title: req.t(categoryId ? 'admin.categories.edit' : 'admin.categories.new'),
      categoryId,
      values: shown,
      errors,
      areas: areas.map((a) => ({ value: a.id, label: a.name })),
    });
  }

  async function save(req: Request, res: Response, id: number | null) {
    const values = formValues(req.body, CATEGORY_FIELDS);
    const parsed = categorySchema.safeParse(values);
    if (!parsed.success) return renderForm(req, res, id, values, fieldErrors(parsed.error, req.t), 422);
    try {
      await saveCategory(deps, actorOf(req), { id, ...parsed.data });
    } catch (err) {
      if (err instanceof ValidationError)
        return renderForm(req, res, id, values, translateFields(err.fields, req.t), 422);
      throw err;
    }
    flash(req, 'success', req.t('admin.categories.saved', { name: parsed.data.name }));
    res.redirect('/admin/categorias');
  }

  router.get('/admin/categorias', async (req, res) => {
    res.render('admin/categories', {
      title: req.t('admin.categories.title'),
      areas: await listCatalogue(deps, actorOf(req)),
    });
  });
  router.get('/admin/categorias/nueva', (req, res) => renderForm(req, res, null, null, {}));
  router.post('/admin/categorias', (req, res) => save(req, res, null));
  router.get('/admin/categorias/:id', (req, res) => renderForm(req, res, idParam(req.params.id), null, {}));
  router.post('/admin/categorias/:id', (req, res) => save(req, res, idParam(req.params.id)));

  return router;
}
