import { Router, type Request, type Response } from 'express';
import type { TFunction } from 'i18next';
import { formValues, formList, type FieldErrors } from '../../web/forms.js';
import type { AccountLinkDeps } from '../../accounts/index.js';
import { actorOf } from '../../auth/index.js';
import { ForbiddenError, ValidationError } from '../../web/errors.js';
import { fieldErrors, idParam, translateFields } from '../../web/fields.js';
import { flash } from '../../web/flash.js';
import { linkTo, requestedPage } from '../../web/pagination.js';
import { importPeople, MAX_IMPORT_ROWS, previewImport, type ImportCheck, type ImportProblem } from './import.js';
import { invitePersonSchema, PERSON_FIELDS, peopleFilterSchema, updatePersonSchema } from './schemas.js';
import {
  deactivatePerson,
  invitePerson,
  listPeople,
  personForm,
  reactivatePerson,
  sendPersonLink,
  updatePerson,
} from './service.js';

const LIST = '/admin/personas';

/** The problems of an import check in the person's language. */
function translateCheck(check: ImportCheck, t: TFunction) {
  const say = (p: ImportProblem) =>
    p.column ? `${t(`admin.import.col.${p.column}`)}: ${t(p.key, p.params)}` : t(p.key, p.params);
  return {
    valid: check.valid,
    fileErrors: check.fileErrors.map(say),
    rows: check.rows.map((r) => ({ ...r, errors: r.errors.map(say) })),
  };
}

export function peopleRoutes(deps: AccountLinkDeps) {
  const router = Router();

  async function renderForm(
    req: Request,
    res: Response,
    personId: number | null,
    posted: { values: Record<string, string>; headOf: string[] } | null,
    errors: FieldErrors,
    status = 200,
  ) {
    const { person: p, units } = await personForm(deps, actorOf(req), { personId });
    const values = posted
      ? { ...posted.values, ...(p ? { email: p.email } : {}) }
      : {
          name: p?.name ?? '',
          email: p?.email ?? '',
          unitId: String(p?.unitId ?? ''),
          phone: p?.phone ?? '',
          isCompanyAdmin: p?.isCompanyAdmin ? 'on' : '',
          isWorker: p?.isWorker ? 'on' : '',
        };
    const area = ` (${req.t('admin.units.kinds.SERVICE_AREA')})`;
    res.status(status).render('admin/person-form', {
      title: req.t(personId ? 'admin.people.edit' : 'admin.people.invite'),
      personId,
      values,
      headOf: posted ? posted.headOf : (p?.headedUnits.map((u) => String(u.id)) ?? []),
      errors,
      units: units.map((u) => ({
        value: u.id,
        label: `${'— '.repeat(u.depth)}${u.name}${u.kind === 'SERVICE_AREA' ? area : ''}`,
      })),
      person: p,
    });
  }

  const posted = (req: Request) => ({
    values: formValues(req.body, PERSON_FIELDS),
    headOf: formList(req.body, 'headOf'),
  });

  router.get(LIST, async (req, res) => {
    const filter = peopleFilterSchema.parse({ q: req.query.q, status: req.query.estado });
    const { items, page } = await listPeople(deps, actorOf(req), { ...filter, page: requestedPage(req.query) });
    res.render('admin/people', {
      title: req.t('admin.people.title'),
      people: items,
      q: filter.q,
      status: filter.status,
      page,
      link: linkTo(LIST, req.query),
    });
  });

  router.get('/admin/personas/invitar', (req, res) => renderForm(req, res, null, null, {}));

  router.post('/admin/personas/invitar', async (req, res) => {
    const form = posted(req);
    const parsed = invitePersonSchema.safeParse({ ...form.values, headOf: form.headOf });
    if (!parsed.success) return renderForm(req, res, null, form, fieldErrors(parsed.error, req.t), 422);
    try {
      const { name, email, sent } = await invitePerson(deps, actorOf(req), parsed.data);
      flash(
        req,
        sent ? 'success' : 'warning',
        req.t(sent ? 'admin.people.invited' : 'admin.people.mailFailed', { name, email }),
      );
    } catch (err) {
      if (err instanceof ValidationError)
        return renderForm(req, res, null, form, translateFields(err.fields, req.t), 422);
      throw err;
    }
    res.redirect(LIST);
  });

  router.get('/admin/personas/importar', (req, res) =>
    res.render('admin/import', { title: req.t('admin.import.title'), csv: '', check: null, max: MAX_IMPORT_ROWS }),
  );

  router.post('/admin/personas/importar', async (req, res) => {
    const csv = typeof req.body?.csv === 'string' ? req.body.csv : '';
    const render = (check: ImportCheck, status: number) =>
      res.status(status).render('admin/import', {
        title: req.t('admin.import.title'),
        csv,
        check: translateCheck(check, req.t),
        max: MAX_IMPORT_ROWS,
      });
    if (req.body?.action !== 'import') {
      const check = await previewImport(deps, actorOf(req), { csv });
      return render(check, check.valid ? 200 : 422);
    }
    try {
      const { count, failed } = await importPeople(deps, actorOf(req), { csv });
      flash(
        req,
        failed ? 'warning' : 'success',
        req.t(failed ? 'admin.import.doneWithFailures' : 'admin.import.done', { count, failed }),
      );
    } catch (err) {
      if (err instanceof ValidationError && err.params.check) return render(err.params.check as ImportCheck, 422);
      throw err;
    }
    res.redirect(LIST);
  });

  router.get('/admin/personas/:id', (req, res) => renderForm(req, res, idParam(req.params.id), null, {}));

  router.post('/admin/personas/:id', async (req, res) => {
    const id = idParam(req.params.id);
    const form = posted(req);
    const parsed = updatePersonSchema.safeParse({ ...form.values, headOf: form.headOf });
    if (!parsed.success) return renderForm(req, res, id, form, fieldErrors(parsed.error, req.t), 422);
    try {
      const { name } = await updatePerson(deps, actorOf(req), { id, ...parsed.data });
      flash(req, 'success', req.t('admin.people.saved', { name }));
    } catch (err) {
      if (err instanceof ValidationError)
        return renderForm(req, res, id, form, translateFields(err.fields, req.t), 422);
      throw err;
    }
    res.redirect(`${LIST}/${id}`);
  });

  router.post('/admin/personas/:id/desactivar', async (req, res) => {
    const id = idParam(req.params.id);
    try {
      const { name, flaggedTickets } = await deactivatePerson(deps, actorOf(req), { id });
      flash(req, 'success', req.t('admin.people.deactivated', { name, count: flaggedTickets }));
    } catch (err) {
      // Deactivating oneself is refused on the person's page, not as an error page.
      if (!(err instanceof ForbiddenError)) throw err;
      flash(req, 'danger', req.t(err.messageKey, err.params));
    }
    res.redirect(`${LIST}/${id}`);
  });

  router.post('/admin/personas/:id/reactivar', async (req, res) => {
    const id = idParam(req.params.id);
    const { name } = await reactivatePerson(deps, actorOf(req), { id });
    flash(req, 'success', req.t('admin.people.reactivated', { name }));
    res.redirect(`${LIST}/${id}`);
  });

  /** Emails a link to set a password: a reset link, or the invitation again if they never set one. */
  router.post('/admin/personas/:id/enlace', async (req, res) => {
    const id = idParam(req.params.id);
    const { name, email, sent } = await sendPersonLink(deps, actorOf(req), { id });
    flash(
      req,
      sent ? 'success' : 'warning',
      req.t(sent ? 'admin.people.linkSent' : 'admin.people.mailFailed', { name, email }),
    );
    res.redirect(`${LIST}/${id}`);
  });

  return router;
}
