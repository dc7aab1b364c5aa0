// "Notificaciones" for company admins (every delivery, retry of failed ones, the company's
// channels and provider credentials) and "Mis notificaciones" for everyone (preferences).
import { Router, type Request, type Response } from 'express';
import { actorOf, requireRole } from '../auth/index.js';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { isCompanyAdmin } from '../auth/index.js';
import { ValidationError } from '../web/errors.js';
import { fieldErrors, translateFields } from '../web/fields.js';
import { flash } from '../web/flash.js';
import type { FieldErrors } from '../web/forms.js';
import { linkTo, requestedPage } from '../web/pagination.js';
import {
  channelFormValues,
  channelsSchema,
  notificationId,
  preferenceChoices,
  STATUSES,
  statusFilter,
  type PreferenceChoice,
} from './admin-schemas.js';
import { channelSettingsForm, listNotifications, retryNotification, saveChannelSettings } from './admin-service.js';
import { preferencesForm, savePreferences } from './preferences-service.js';

const LOG = '/admin/notificaciones';
const CHANNELS_PAGE = '/admin/notificaciones/canales';
const PREFERENCES = '/cuenta/notificaciones';

export function notificationAdminRoutes(db: Db, config: Config) {
  const deps = { db, config };
  const router = Router();
  router.use(LOG, requireRole(isCompanyAdmin));

  router.get(LOG, async (req, res) => {
    const status = statusFilter.parse(req.query.estado);
    const { items, page } = await listNotifications(deps, actorOf(req), { status, page: requestedPage(req.query) });
    res.render('notifications/admin', {
      title: req.t('notifications.admin.title'),
      rows: items,
      status: status ?? '',
      statuses: STATUSES,
      page,
      link: linkTo(LOG, req.query),
    });
  });

  router.post('/admin/notificaciones/:id/reintentar', async (req, res) => {
    const retried = await retryNotification(deps, actorOf(req), { id: notificationId(req.params.id) });
    flash(
      req,
      retried ? 'success' : 'warning',
      req.t(retried ? 'notifications.admin.retried' : 'notifications.admin.notFailed'),
    );
    res.redirect(303, LOG);
  });

  /** The channel form; secrets typed in are never shown back. */
  const renderChannels = async (
    req: Request,
    res: Response,
    posted: Record<string, string | boolean> | null,
    errors: FieldErrors,
    status = 200,
  ) => {
    const { values, ...form } = await channelSettingsForm(deps, actorOf(req));
    res.status(status).render('notifications/channels', {
      title: req.t('notifications.channelsAdmin.title'),
      values: posted ? { ...posted, twilioAuthToken: '', metaAccessToken: '' } : values,
      errors,
      ...form,
    });
  };

  router.get(CHANNELS_PAGE, (req, res) => renderChannels(req, res, null, {}));

  router.post(CHANNELS_PAGE, async (req, res) => {
    const values = channelFormValues(req.body);
    const parsed = channelsSchema.safeParse(values);
    if (!parsed.success) return renderChannels(req, res, values, fieldErrors(parsed.error, req.t), 422);
    try {
      await saveChannelSettings(deps, actorOf(req), parsed.data);
    } catch (err) {
      if (err instanceof ValidationError)
        return renderChannels(req, res, values, translateFields(err.fields, req.t), 422);
      throw err;
    }
    flash(req, 'success', req.t('notifications.channelsAdmin.saved'));
    res.redirect(303, CHANNELS_PAGE);
  });
  return router;
}

/** "Mis notificaciones": which kinds of event reach the person over which channels. */
export function notificationPreferenceRoutes(db: Db) {
  const deps = { db };
  const router = Router();

  /** The grid of kinds × channels: the saved choices, or the ones just refused (422). */
  const render = async (req: Request, res: Response, chosen: PreferenceChoice[] | undefined, error: string | null) => {
    const form = await preferencesForm(deps, actorOf(req), { chosen });
    res.status(error ? 422 : 200).render('notifications/preferences', {
      title: req.t('notifications.preferences.title'),
      ...form,
      error,
    });
  };

  router.get(PREFERENCES, (req, res) => render(req, res, undefined, null));

  router.post(PREFERENCES, async (req, res) => {
    const choices = preferenceChoices(req.body);
    try {
      await savePreferences(deps, actorOf(req), { choices });
    } catch (err) {
      if (err instanceof ValidationError) return render(req, res, choices, req.t(err.fields._form ?? err.messageKey));
      throw err;
    }
    flash(req, 'success', req.t('notifications.preferences.saved'));
    res.redirect(303, PREFERENCES);
  });
  return router;
}
