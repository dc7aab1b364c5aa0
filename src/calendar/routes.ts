// "Calendario laboral" (Administración): working days and hours, the holidays of a year, and the country's public
// holidays proposed from `date-holidays`. Mounted under the admin router, which lets only company admins in.
import { Router, type Request, type Response } from 'express';
import { actorOf } from '../auth/index.js';
import type { Db } from '../db/client.js';
import { ValidationError } from '../web/errors.js';
import { fieldErrors, idParam, translateFields } from '../web/fields.js';
import { flash } from '../web/flash.js';
import { formList, formValues, type FieldErrors } from '../web/forms.js';
import {
  HOLIDAY_FIELDS,
  HOURS_FIELDS,
  REMINDER_FIELDS,
  formatTime,
  holidaySchema,
  reminderHoursSchema,
  workingHoursSchema,
  yearFilter,
} from './schemas.js';
import {
  addHoliday,
  currentYear,
  deleteHoliday,
  loadCalendarPage,
  proposeHolidays,
  saveReminderHours,
  saveWorkingHours,
} from './service.js';

const PATH = '/admin/calendario';
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];

interface Form {
  hours?: { values: Record<string, string | string[]>; errors: FieldErrors };
  holiday?: { values: Record<string, string>; errors: FieldErrors };
  reminders?: { values: Record<string, string>; errors: FieldErrors };
}

export function calendarRoutes(deps: { db: Db; clock: () => Date }) {
  const router = Router();
  const yearOf = (req: Request, from: unknown) => yearFilter.parse(from) ?? currentYear(actorOf(req), deps.clock());
  const back = (year: number) => `${PATH}?anio=${year}`;

  async function render(req: Request, res: Response, year: number, form: Form = {}, status = 200) {
    const page = await loadCalendarPage(deps, actorOf(req), { year });
    // Not `settings`: Express passes its own settings (the view options) under that name.
    const s = page.calendar;
    res.status(status).render('admin/calendar', {
      title: req.t('calendar.title'),
      ...page,
      weekdays: WEEKDAYS,
      hours: form.hours ?? {
        values: {
          workingDays: s.workingDays.map(String),
          workdayStart: formatTime(s.workdayStart),
          workdayEnd: formatTime(s.workdayEnd),
        },
        errors: {},
      },
      holiday: form.holiday ?? { values: { day: '', name: '' }, errors: {} },
      reminders: form.reminders ?? {
        values: Object.fromEntries(REMINDER_FIELDS.map((f) => [f, String(s[f])])),
        errors: {},
      },
    });
  }

  router.get(PATH, (req, res) => render(req, res, yearOf(req, req.query.anio)));

  router.post(PATH, async (req, res) => {
    const year = yearOf(req, req.body?.anio);
    const values = { ...formValues(req.body, HOURS_FIELDS), workingDays: formList(req.body, 'workingDays') };
    const parsed = workingHoursSchema.safeParse(values);
    if (!parsed.success)
      return render(req, res, year, { hours: { values, errors: fieldErrors(parsed.error, req.t) } }, 422);
    await saveWorkingHours(deps, actorOf(req), parsed.data);
    flash(req, 'success', req.t('calendar.saved'));
    res.redirect(back(year));
  });

  router.post(`${PATH}/recordatorios`, async (req, res) => {
    const year = yearOf(req, req.body?.anio);
    const values = formValues(req.body, REMINDER_FIELDS);
    const parsed = reminderHoursSchema.safeParse(values);
    if (!parsed.success)
      return render(req, res, year, { reminders: { values, errors: fieldErrors(parsed.error, req.t) } }, 422);
    await saveReminderHours(deps, actorOf(req), parsed.data);
    flash(req, 'success', req.t('calendar.remindersSaved'));
    res.redirect(back(year));
  });

  router.post(`${PATH}/festivos`, async (req, res) => {
    const values = formValues(req.body, HOLIDAY_FIELDS);
    const year = yearOf(req, req.body?.anio);
    const parsed = holidaySchema.safeParse(values);
    if (!parsed.success)
      return render(req, res, year, { holiday: { values, errors: fieldErrors(parsed.error, req.t) } }, 422);
    try {
      await addHoliday(deps, actorOf(req), parsed.data);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return render(req, res, year, { holiday: { values, errors: translateFields(err.fields, req.t) } }, 422);
    }
    flash(req, 'success', req.t('calendar.holidayAdded', { day: parsed.data.day }));
    res.redirect(back(Number(parsed.data.day.slice(0, 4))));
  });

  router.post(`${PATH}/festivos/:id/eliminar`, async (req, res) => {
    await deleteHoliday(deps, actorOf(req), { id: idParam(req.params.id) });
    flash(req, 'success', req.t('calendar.holidayDeleted'));
    res.redirect(back(yearOf(req, req.body?.anio)));
  });

  router.post(`${PATH}/proponer`, async (req, res) => {
    const year = yearOf(req, req.body?.anio);
    const added = await proposeHolidays(deps, actorOf(req), { year });
    flash(req, 'success', req.t('calendar.proposedAdded', { count: added }));
    res.redirect(back(year));
  });

  return router;
}
