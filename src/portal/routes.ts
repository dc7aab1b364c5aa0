// The public portal's pages (/p/<slug>): not signed in, CSRF-protected like the signup page. Every page first
// finds the company of the slug (a portal switched off or unknown is a 404) and scopes everything to it.
import { Router, type Request, type Response } from 'express';
import { InvalidLinkError } from '../accounts/index.js';
import { TooManyAttemptsError } from '../auth/index.js';
import { UPLOAD_FIELD, UploadRejected, type PreparedFile } from '../conversation/index.js';
import { ValidationError } from '../web/errors.js';
import { fieldErrors, translateFields } from '../web/fields.js';
import { flash } from '../web/flash.js';
import { formValues, type FieldErrors } from '../web/forms.js';
import { formatNumber } from '../web/view-helpers.js';
import { GUEST_FIELDS, guestRequestSchema, replySchema, STATUS_FIELDS, statusLookupSchema } from './schemas.js';
import {
  confirmGuestRequest,
  loadGuestForm,
  loadGuestStatus,
  loadPortalHome,
  openPortal,
  replyAsGuest,
  requestStatusLink,
  submitGuestRequest,
  type PortalDeps,
} from './service.js';
import type { PortalCompany } from './queries.js';

export function portalRoutes(deps: PortalDeps) {
  const router = Router();
  const portalOf = (req: Request) => openPortal(deps, String(req.params.slug));
  const base = (c: PortalCompany) => `/p/${c.slug}`;

  const notice = (req: Request, res: Response, company: PortalCompany, key: string, status = 200, params = {}) =>
    res.status(status).render('portal/notice', {
      title: req.t(`portal.notices.${key}.title`),
      company,
      key,
      params,
    });

  router.get('/p/:slug', async (req, res) => {
    const company = await portalOf(req);
    res.render('portal/home', { title: company.name, company, ...(await loadPortalHome(deps, company)) });
  });

  const renderForm = async (
    req: Request,
    res: Response,
    company: PortalCompany,
    values: Record<string, string>,
    errors: FieldErrors,
    status = 200,
    error: string | null = null,
  ) => {
    const limits = deps.attachments.limits;
    res.status(status).render('portal/form', {
      title: req.t('portal.form.title'),
      company,
      ...(await loadGuestForm(deps, company)),
      values,
      errors,
      error,
      upload: { field: UPLOAD_FIELD, maxFiles: limits.maxFiles, maxMb: Math.round(limits.maxBytes / 1048576) },
    });
  };

  router.get('/p/:slug/solicitud', async (req, res) => {
    const company = await portalOf(req);
    const q = (name: string) => (typeof req.query[name] === 'string' ? String(req.query[name]).slice(0, 120) : '');
    await renderForm(req, res, company, { location: q('lugar'), categoryId: q('categoria') }, {});
  });

  router.post('/p/:slug/solicitud', async (req, res) => {
    const company = await portalOf(req);
    const values: Record<string, string> = { ...formValues(req.body, GUEST_FIELDS) };
    for (const [k, v] of Object.entries(req.body ?? {}))
      if (k.startsWith('campo_') && typeof v === 'string') values[k] = v;
    const parsed = guestRequestSchema.safeParse(values);
    let files: PreparedFile[] = [];
    let fileError: string | undefined;
    try {
      files = await deps.attachments.fromRequest(req);
    } catch (err) {
      if (!(err instanceof UploadRejected)) throw err;
      fileError = req.t(err.messageKey, err.params);
    }
    if (!parsed.success || fileError)
      return renderForm(
        req,
        res,
        company,
        values,
        {
          ...(parsed.success ? {} : fieldErrors(parsed.error, req.t)),
          ...(fileError ? { [UPLOAD_FIELD]: fileError } : {}),
        },
        422,
      );
    const { website, ...input } = parsed.data;
    try {
      await submitGuestRequest(
        deps,
        company,
        { ...input, honeypot: website, fieldInput: req.body, files },
        { ip: req.ip ?? '', lang: req.lang },
      );
    } catch (err) {
      if (err instanceof TooManyAttemptsError) {
        res.setHeader('Retry-After', String(err.retryAfterSeconds));
        return renderForm(req, res, company, values, {}, 429, req.t(err.messageKey, err.params));
      }
      if (!(err instanceof ValidationError)) throw err;
      return renderForm(req, res, company, values, translateFields(err.fields, req.t), 422);
    }
    res.redirect(`${base(company)}/solicitud/enviada`);
  });

  router.get('/p/:slug/solicitud/enviada', async (req, res) => {
    notice(req, res, await portalOf(req), 'sent');
  });

  router.get('/p/:slug/confirmar/:token', async (req, res) => {
    const company = await portalOf(req);
    try {
      const { number, already } = await confirmGuestRequest(deps, company, String(req.params.token));
      notice(req, res, company, already ? 'alreadyConfirmed' : 'confirmed', 200, {
        number: formatNumber('SOL', number),
      });
    } catch (err) {
      if (!(err instanceof InvalidLinkError)) throw err;
      notice(req, res, company, `link.${err.reason}`, 410);
    }
  });

  const renderLookup = (
    req: Request,
    res: Response,
    company: PortalCompany,
    values: Record<string, string>,
    errors: FieldErrors,
    status = 200,
    error: string | null = null,
  ) =>
    res.status(status).render('portal/lookup', { title: req.t('portal.lookup.title'), company, values, errors, error });

  router.get('/p/:slug/estado', async (req, res) => {
    renderLookup(req, res, await portalOf(req), { number: '', email: '' }, {});
  });

  router.post('/p/:slug/estado', async (req, res) => {
    const company = await portalOf(req);
    const values = formValues(req.body, STATUS_FIELDS);
    const parsed = statusLookupSchema.safeParse(values);
    if (!parsed.success) return renderLookup(req, res, company, values, fieldErrors(parsed.error, req.t), 422);
    const { website, ...input } = parsed.data;
    try {
      await requestStatusLink(deps, company, { ...input, honeypot: website }, { ip: req.ip ?? '', lang: req.lang });
    } catch (err) {
      if (!(err instanceof TooManyAttemptsError)) throw err;
      res.setHeader('Retry-After', String(err.retryAfterSeconds));
      return renderLookup(req, res, company, values, {}, 429, req.t(err.messageKey, err.params));
    }
    // The same answer whether the number and the address belong together or not.
    res.redirect(`${base(company)}/estado/enviado`);
  });

  router.get('/p/:slug/estado/enviado', async (req, res) => {
    notice(req, res, await portalOf(req), 'statusSent');
  });

  const renderStatus = async (req: Request, res: Response, values: Record<string, string>, errors: FieldErrors) => {
    const company = await portalOf(req);
    const token = String(req.params.token);
    const status = Object.keys(errors).length ? 422 : 200;
    res.status(status).render('portal/status', {
      title: req.t('portal.status.title'),
      company,
      token,
      ...(await loadGuestStatus(deps, company, token)),
      values,
      errors,
    });
  };

  router.get('/p/:slug/estado/:token', (req, res) => renderStatus(req, res, { body: '' }, {}));

  router.post('/p/:slug/estado/:token', async (req, res) => {
    const company = await portalOf(req);
    const values = formValues(req.body, ['body'] as const);
    const parsed = replySchema.safeParse(values);
    if (!parsed.success) return renderStatus(req, res, values, fieldErrors(parsed.error, req.t));
    await replyAsGuest(deps, company, String(req.params.token), parsed.data);
    flash(req, 'success', req.t('portal.status.replied'));
    res.redirect(`${base(company)}/estado/${String(req.params.token)}#respuesta`);
  });

  return router;
}
