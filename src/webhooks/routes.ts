// "Webhooks" in Administración: the endpoints, a new one (its secret shown once), rotating a secret, the log of an
// endpoint's messages and sending one again.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { actorOf, isCompanyAdmin, requireRole } from '../auth/index.js';
import { NotFoundError, ValidationError } from '../web/errors.js';
import { fieldErrors, idParam, translateFields } from '../web/fields.js';
import { flash } from '../web/flash.js';
import { formList, formValues } from '../web/forms.js';
import { linkTo, requestedPage } from '../web/pagination.js';
import { endpointSchema, EVENT_TYPES } from './schemas.js';
import {
  createEndpoint,
  deleteEndpoint,
  enableEndpoint,
  endpointLog,
  listEndpoints,
  resendDelivery,
  rotateSecret,
  type WebhookAdminDeps,
} from './service.js';

const PAGE = '/admin/webhooks';
const deliveryId = (v: unknown) => {
  const parsed = z
    .string()
    .regex(/^\d{1,18}$/)
    .safeParse(v);
  if (!parsed.success) throw new NotFoundError();
  return BigInt(parsed.data);
};

export function webhookRoutes(deps: WebhookAdminDeps) {
  const router = Router();
  router.use(PAGE, requireRole(isCompanyAdmin));

  const render = async (
    req: Request,
    res: Response,
    form: { values?: Record<string, unknown>; errors?: Record<string, string>; secret?: string } = {},
  ) => {
    res.render('webhooks/index', {
      title: req.t('webhooks.title'),
      endpoints: await listEndpoints(deps, actorOf(req)),
      eventTypes: EVENT_TYPES,
      values: form.values ?? { events: [...EVENT_TYPES] },
      errors: form.errors ?? {},
      secret: form.secret ?? null,
    });
  };

  router.get(PAGE, (req, res) => render(req, res));

  router.post(PAGE, async (req, res) => {
    const values = { ...formValues(req.body, ['url', 'description'] as const), events: formList(req.body, 'events') };
    const parsed = endpointSchema.safeParse(values);
    if (!parsed.success) {
      res.status(422);
      return render(req, res, { values, errors: fieldErrors(parsed.error, req.t) });
    }
    try {
      const { secret } = await createEndpoint(deps, actorOf(req), parsed.data);
      res.status(201);
      return render(req, res, { secret });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      res.status(422);
      return render(req, res, { values, errors: translateFields(err.fields, req.t) });
    }
  });

  router.post(`${PAGE}/:id/secreto`, async (req, res) => {
    const { secret } = await rotateSecret(deps, actorOf(req), { id: idParam(req.params.id) });
    return render(req, res, { secret });
  });

  router.post(`${PAGE}/:id/eliminar`, async (req, res) => {
    await deleteEndpoint(deps, actorOf(req), { id: idParam(req.params.id) });
    flash(req, 'success', req.t('webhooks.deleted'));
    res.redirect(303, PAGE);
  });

  router.post(`${PAGE}/:id/activar`, async (req, res) => {
    await enableEndpoint(deps, actorOf(req), { id: idParam(req.params.id) });
    flash(req, 'success', req.t('webhooks.enabled'));
    res.redirect(303, PAGE);
  });

  router.get(`${PAGE}/:id`, async (req, res) => {
    const id = idParam(req.params.id);
    const { endpoint, items, page } = await endpointLog(deps, actorOf(req), { id, page: requestedPage(req.query) });
    res.render('webhooks/log', {
      title: req.t('webhooks.logTitle'),
      endpoint,
      deliveries: items,
      page,
      link: linkTo(`${PAGE}/${id}`, req.query),
    });
  });

  router.post(`${PAGE}/:id/mensajes/:delivery/reenviar`, async (req, res) => {
    const endpointId = idParam(req.params.id);
    await resendDelivery(deps, actorOf(req), { endpointId, deliveryId: deliveryId(req.params.delivery) });
    flash(req, 'success', req.t('webhooks.resent'));
    res.redirect(303, `${PAGE}/${endpointId}`);
  });
  return router;
}
