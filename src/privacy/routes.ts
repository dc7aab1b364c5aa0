import { Router, type Request, type Response } from 'express';
import { actorOf, requireRole } from '../auth/index.js';
import { isPlatformOperator } from '../platform/index.js';
import { ConflictError, NotFoundError, ValidationError } from '../web/errors.js';
import { idParam } from '../web/fields.js';
import { flash } from '../web/flash.js';
import { formValues } from '../web/forms.js';
import { linkTo, requestedPage } from '../web/pagination.js';
import { anonymizePerson } from './anonymize.js';
import {
  companyDeletion,
  DELETION_GRACE_DAYS,
  requestCompanyDeletion,
  restoreAsOperator,
  restoreCompany,
  scheduleDeletionAsOperator,
} from './deletion.js';
import {
  exportStatus,
  listCompanyExports,
  openExportDownload,
  requestCompanyExport,
  type ExportDeps,
} from './export.js';
import { ownData } from './personal-data.js';
import { managesCompanyData } from './policy.js';
import { deletionSchema, downloadTokenSchema } from './schemas.js';

const PAGE = '/admin/privacidad';

/** A person's own data, and (company admins) the export, anonymizing and deletion; the operator's deletion. */
export function privacyRoutes(deps: ExportDeps) {
  const router = Router();

  router.get('/cuenta/mis-datos', async (req, res) => {
    const data = await ownData(deps, actorOf(req));
    res.setHeader('Content-Disposition', 'attachment; filename="mis-datos.json"');
    res.type('application/json').send(JSON.stringify(data, null, 2));
  });

  router.use(PAGE, requireRole(managesCompanyData));
  router.use('/admin/personas/:id/anonimizar', requireRole(managesCompanyData));

  const render = async (req: Request, res: Response, errors: Record<string, string> = {}, status = 200) => {
    const actor = actorOf(req);
    const [{ items, page }, deletion] = await Promise.all([
      listCompanyExports(deps, actor, { page: requestedPage(req.query) }),
      companyDeletion(deps, actor),
    ]);
    res.status(status).render('privacy/admin', {
      title: req.t('privacy.title'),
      exports: items,
      page,
      link: linkTo(PAGE, req.query),
      deletion,
      graceDays: DELETION_GRACE_DAYS,
      errors,
      running: items.some((e) => e.status === 'QUEUED' || e.status === 'RUNNING'),
    });
  };

  router.get(PAGE, (req, res) => render(req, res));

  router.post(`${PAGE}/exportar`, async (req, res) => {
    await requestCompanyExport(deps, actorOf(req));
    flash(req, 'success', req.t('privacy.exportQueued'));
    res.redirect(PAGE);
  });

  router.get(`${PAGE}/exportaciones/:id`, async (req, res) => {
    const e = await exportStatus(deps, actorOf(req), { id: idParam(req.params.id) });
    res.json({ id: e.id, status: e.status, progress: e.progress });
  });

  router.get(`${PAGE}/descarga/:token`, async (req, res) => {
    const token = downloadTokenSchema.safeParse(req.params.token);
    if (!token.success) throw new NotFoundError();
    const file = await openExportDownload(deps, actorOf(req), { token: token.data });
    res.download(file.path, file.fileName);
  });

  router.post(`${PAGE}/eliminar`, async (req, res) => {
    // A name longer than any company's (the schema's bound) is a mismatch like any other, not a failure.
    const parsed = deletionSchema.safeParse(formValues(req.body, ['confirmName'] as const));
    if (!parsed.success) return render(req, res, { confirmName: req.t('privacy.confirmMismatch') }, 422);
    try {
      await requestCompanyDeletion(deps, actorOf(req), parsed.data);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return render(req, res, { confirmName: req.t(err.fields.confirmName ?? err.messageKey) }, 422);
    }
    flash(req, 'warning', req.t('privacy.deletionScheduled', { days: DELETION_GRACE_DAYS }));
    res.redirect(PAGE);
  });

  router.post(`${PAGE}/restaurar`, async (req, res) => {
    await restoreCompany(deps, actorOf(req));
    flash(req, 'success', req.t('privacy.restored'));
    res.redirect(PAGE);
  });

  router.post('/admin/personas/:id/anonimizar', async (req, res) => {
    const { name } = await anonymizePerson(deps, actorOf(req), { userId: idParam(req.params.id) });
    flash(req, 'success', req.t('privacy.anonymizedDone', { name }));
    res.redirect('/admin/personas');
  });

  // The platform operator schedules or cancels the deletion of any company.
  router.use('/plataforma/empresas', requireRole(isPlatformOperator(deps.config)));
  const operator = (schedule: boolean) => async (req: Request, res: Response) => {
    const input = { companyId: idParam(req.params.id) };
    try {
      const name = schedule
        ? await scheduleDeletionAsOperator(deps, actorOf(req), input)
        : await restoreAsOperator(deps, actorOf(req), input);
      flash(req, 'success', req.t(schedule ? 'privacy.operatorScheduled' : 'privacy.operatorRestored', { name }));
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      flash(req, 'danger', req.t(err.messageKey));
    }
    res.redirect('/plataforma');
  };
  router.post('/plataforma/empresas/:id/eliminar', operator(true));
  router.post('/plataforma/empresas/:id/restaurar', operator(false));
  return router;
}
