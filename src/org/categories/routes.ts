import { Router, type Request, type Response } from 'express';
import { actorOf } from '../../auth/index.js';
import type { Db } from '../../db/client.js';
import { ValidationError } from '../../web/errors.js';
import { fieldErrors, idParam, translateFields } from '../../web/fields.js';
import { flash } from '../../web/flash.js';
import { formValues, type FieldErrors } from '../../web/forms.js';
import { CATEGORY_FIELDS, categorySchema } from './schemas.js';
import { categoryForm, listCatalogue, saveCategory } from './service.js';
import { FIELD_DEFINITION_FIELDS, FIELD_TYPES, fieldDefinitionSchema } from './fields.js';
import { listCategoryFields, removeCategoryField, saveCategoryField } from './field-service.js';

/** The form of one field definition being edited (fieldId null: the new one) with its input and errors. */
interface FieldForm {
  fieldId: number | null;
  values: Record<string, string>;
  errors: FieldErrors;
}

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
    fieldForm: FieldForm | null = null,
  ) {
    const { category: c, areas } = await categoryForm(deps, actorOf(req), { categoryId });
    const fields = categoryId ? await listCategoryFields(deps, actorOf(req), { categoryId }) : [];
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
      fields,
      fieldTypes: FIELD_TYPES.map((v) => ({ value: v, label: req.t(`fields.types.${v}`) })),
      fieldForm,
    });
  }

  async function saveField(req: Request, res: Response, categoryId: number, fieldId: number | null) {
    const values = formValues(req.body, FIELD_DEFINITION_FIELDS);
    const parsed = fieldDefinitionSchema.safeParse(values);
    if (!parsed.success)
      return renderForm(req, res, categoryId, null, {}, 422, {
        fieldId,
        values,
        errors: fieldErrors(parsed.error, req.t),
      });
    await saveCategoryField(deps, actorOf(req), { ...parsed.data, categoryId, fieldId });
    flash(req, 'success', req.t('fields.saved', { label: parsed.data.label }));
    res.redirect(`/admin/categorias/${categoryId}#campos`);
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
  router.post('/admin/categorias/:id/campos', (req, res) => saveField(req, res, idParam(req.params.id), null));
  router.post('/admin/categorias/:id/campos/:fieldId', (req, res) =>
    saveField(req, res, idParam(req.params.id), idParam(req.params.fieldId)),
  );
  router.post('/admin/categorias/:id/campos/:fieldId/quitar', async (req, res) => {
    const categoryId = idParam(req.params.id);
    await removeCategoryField(deps, actorOf(req), { categoryId, fieldId: idParam(req.params.fieldId) });
    flash(req, 'success', req.t('fields.removed'));
    res.redirect(`/admin/categorias/${categoryId}#campos`);
  });

  return router;
}
