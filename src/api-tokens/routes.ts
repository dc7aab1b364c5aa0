// "API" in Administración: the company's tokens, a new one (shown once) and revoking one.
import { Router, type Request, type Response } from 'express';
import { actorOf, isCompanyAdmin, requireRole } from '../auth/index.js';
import { ValidationError } from '../web/errors.js';
import { fieldErrors, idParam, translateFields } from '../web/fields.js';
import { flash } from '../web/flash.js';
import { formValues, formList } from '../web/forms.js';
import { linkTo, requestedPage } from '../web/pagination.js';
import { newTokenSchema, SCOPES } from './schemas.js';
import { createToken, listTokens, revokeToken, type TokenDeps } from './service.js';

const PAGE = '/admin/api';
const FIELDS = ['name', 'kind', 'userId', 'expiresOn', 'rateLimit'] as const;

export function apiTokenRoutes(deps: TokenDeps) {
  const router = Router();
  router.use(PAGE, requireRole(isCompanyAdmin));

  const render = async (
    req: Request,
    res: Response,
    form: { values?: Record<string, unknown>; errors?: Record<string, string>; created?: string } = {},
  ) => {
    const { items, page, people } = await listTokens(deps, actorOf(req), { page: requestedPage(req.query) });
    res.render('api-tokens/index', {
      title: req.t('apiTokens.title'),
      tokens: items,
      people,
      scopes: SCOPES,
      page,
      link: linkTo(PAGE, req.query),
      values: form.values ?? { kind: 'integration', rateLimit: '600', scopes: ['read'] },
      errors: form.errors ?? {},
      created: form.created ?? null,
    });
  };

  router.get(PAGE, (req, res) => render(req, res));

  router.post(`${PAGE}/tokens`, async (req, res) => {
    const values = { ...formValues(req.body, FIELDS), scopes: formList(req.body, 'scopes') };
    const parsed = newTokenSchema.safeParse(values);
    if (!parsed.success) {
      res.status(422);
      return render(req, res, { values, errors: fieldErrors(parsed.error, req.t) });
    }
    try {
      const { token } = await createToken(deps, actorOf(req), parsed.data);
      // The token is shown on this answer only: it is stored as a hash.
      res.status(201);
      return render(req, res, { created: token });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      res.status(422);
      return render(req, res, { values, errors: translateFields(err.fields, req.t) });
    }
  });

  router.post(`${PAGE}/tokens/:id/revocar`, async (req, res) => {
    await revokeToken(deps, actorOf(req), { id: idParam(req.params.id) });
    flash(req, 'success', req.t('apiTokens.revoked'));
    res.redirect(303, PAGE);
  });
  return router;
}
