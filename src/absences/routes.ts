// Absence pages: "Ausencias" of a head (/ausencias) and the administrators' page for every head (/admin/ausencias).
import { Router, type Request, type Response } from 'express';
import { actorOf, isCompanyAdmin, requireRole } from '../auth/index.js';
import { ValidationError } from '../web/errors.js';
import { fieldErrors, idParam, translateFields } from '../web/fields.js';
import { flash } from '../web/flash.js';
import { formValues } from '../web/forms.js';
import type { NavSection } from '../web/navigation.js';
import { hasOwnAbsences } from './policy.js';
import { ABSENCE_FIELDS, absenceSchema, adminAbsenceSchema } from './schemas.js';
import { absencesPage, deleteAbsence, recordAbsence, type Deps } from './service.js';

export const absencesNavSection = (): NavSection => ({
  visible: hasOwnAbsences,
  item: () => ({ href: '/ausencias', labelKey: 'absences.nav', icon: 'calendar-x' }),
});

const PAGES = [
  { path: '/ausencias', all: false, guard: requireRole(hasOwnAbsences) },
  { path: '/admin/ausencias', all: true, guard: requireRole(isCompanyAdmin) },
];

export function absenceRoutes(deps: Deps) {
  const router = Router();
  for (const { path, all, guard } of PAGES) {
    const render = async (req: Request, res: Response, values: Record<string, string>, errors = {}, status = 200) => {
      res.status(status).render('absences/index', {
        title: req.t(all ? 'absences.adminTitle' : 'absences.title'),
        path,
        all,
        values,
        errors,
        ...(await absencesPage(deps, actorOf(req), { all })),
      });
    };
    router.get(path, guard, (req, res) => render(req, res, {}));

    router.post(path, guard, async (req, res) => {
      const actor = actorOf(req);
      const values = formValues(req.body, ABSENCE_FIELDS);
      const parsed = (all ? adminAbsenceSchema : absenceSchema).safeParse(values);
      if (!parsed.success) return render(req, res, values, fieldErrors(parsed.error, req.t), 422);
      try {
        await recordAbsence(deps, actor, { userId: actor.id, ...parsed.data });
      } catch (err) {
        if (err instanceof ValidationError) return render(req, res, values, translateFields(err.fields, req.t), 422);
        throw err;
      }
      flash(req, 'success', req.t('absences.saved'));
      res.redirect(path);
    });

    router.post(`${path}/:id/eliminar`, guard, async (req, res) => {
      await deleteAbsence(deps, actorOf(req), { id: idParam(req.params.id) });
      flash(req, 'success', req.t('absences.deleted'));
      res.redirect(path);
    });
  }
  return router;
}
