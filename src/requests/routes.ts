import { Router, type Request, type Response } from 'express';
import { requireRole, actorOf } from '../auth/guards.js';
import type { Db } from '../db/client.js';
import { isCompanyAdmin, isServicesHead, isUnitHead } from '../org/policy.js';
import type { Attachments } from '../conversation/attachments.js';
import { UploadRejected, type PreparedFile } from '../conversation/files.js';
import { loadConversation } from '../conversation/queries.js';
import { conversationRoutes } from '../conversation/routes.js';
import { UPLOAD_FIELD } from '../conversation/uploads.js';
import { ConflictError, NotFoundError, ValidationError } from '../web/errors.js';
import { idParam } from '../web/fields.js';
import { flash } from '../web/flash.js';
import { formatNumber, formatDateTime } from '../web/view-helpers.js';
import { withQuery } from '../web/pagination.js';
import { loadDetail } from './detail.js';
import { toInboxFilters } from './filters.js';
import { ACTIONS, type Action } from './lifecycle.js';
import { companyRequests, filterOptions, myRequests, servicesInbox, unitInbox, type InboxPage } from './queries.js';
import {
  approveSchema,
  commentSchema,
  finishSchema,
  newRequestSchema,
  reasonSchema,
  reassignSchema,
} from './schemas.js';
import { fieldErrors } from '../web/fields.js';
import { applyTransition, submitRequest, type Deps, type TransitionInput } from './service.js';
import { loadRequestForm } from './form-data.js';

/** Zod schema of each action's form. */
const actionSchemas = {
  authorize: commentSchema,
  reject: reasonSchema,
  cancel: reasonSchema,
  approve: approveSchema,
  start: commentSchema,
  finish: finishSchema,
  reassign: reassignSchema,
} as const;

interface InboxView {
  titleKey: string;
  path: string;
  filters: boolean;
  emptyKey: string;
  /** Show authorize/reject buttons in the list (unit head). */
  quickActions?: boolean;
}

export function requestRoutes(deps: Deps & { attachments: Attachments }) {
  const { db, attachments } = deps;
  const router = Router();
  // Comments, notes, attachments and the print view (before /solicitudes/:id/:action).
  router.use(conversationRoutes(deps, renderDetail));

  async function renderInbox(
    req: Request,
    res: Response,
    view: InboxView,
    load: (db: Db, f: ReturnType<typeof toInboxFilters>) => Promise<InboxPage>,
  ) {
    const actor = actorOf(req);
    const filters = toInboxFilters(req.query, actor.timezone);
    const result = await load(db, filters);
    const options = view.filters ? await filterOptions(db, actor.companyId) : { units: [], categories: [] };
    res.render('requests/inbox', {
      title: req.t(view.titleKey),
      view,
      result,
      filters: filters.raw,
      units: options.units,
      categories: options.categories,
      link: (changes: Record<string, string | number | null>) =>
        withQuery(view.path, req.query as Record<string, unknown>, changes),
    });
  }

  router.get('/solicitudes', (req, res) =>
    renderInbox(
      req,
      res,
      { titleKey: 'requests.titles.mine', path: '/solicitudes', filters: false, emptyKey: 'requests.emptyMine' },
      (d, f) => myRequests(d, actorOf(req), f),
    ),
  );

  router.get('/autorizaciones', requireRole(isUnitHead, 'requests.forbidden.authorize'), (req, res) =>
    renderInbox(
      req,
      res,
      {
        titleKey: 'requests.titles.unit',
        path: '/autorizaciones',
        filters: false,
        emptyKey: 'requests.empty',
        quickActions: true,
      },
      (d, f) => unitInbox(d, actorOf(req), f),
    ),
  );

  router.get('/bandeja', requireRole(isServicesHead, 'requests.forbidden.approve'), (req, res) =>
    renderInbox(
      req,
      res,
      { titleKey: 'requests.titles.services', path: '/bandeja', filters: true, emptyKey: 'requests.empty' },
      (d, f) => servicesInbox(d, actorOf(req), f),
    ),
  );

  router.get('/empresa/solicitudes', requireRole(isCompanyAdmin), (req, res) =>
    renderInbox(
      req,
      res,
      { titleKey: 'requests.titles.company', path: '/empresa/solicitudes', filters: true, emptyKey: 'requests.empty' },
      (d, f) => companyRequests(d, actorOf(req), f),
    ),
  );

  router.get('/solicitudes/nueva', async (req, res) => {
    const actor = actorOf(req);
    res.render('requests/new', {
      title: req.t('requests.titles.new'),
      ...(await loadRequestForm(db, actor)),
      values: { priority: 'MEDIUM' },
      errors: {},
    });
  });

  router.post('/solicitudes', async (req, res) => {
    const actor = actorOf(req);
    const rerender = async (errors: Record<string, string>) =>
      res.status(422).render('requests/new', {
        title: req.t('requests.titles.new'),
        ...(await loadRequestForm(db, actor)),
        values: req.body ?? {},
        errors,
      });
    const parsed = newRequestSchema.safeParse(req.body ?? {});
    // Every file is checked before anything is stored; the form keeps its text on a refusal.
    let files: PreparedFile[] = [];
    let fileError: string | undefined;
    try {
      files = await attachments.fromRequest(req);
    } catch (err) {
      if (!(err instanceof UploadRejected)) throw err;
      fileError = req.t(err.messageKey, err.params);
    }
    if (!parsed.success || fileError) {
      return rerender({
        ...(parsed.success ? {} : fieldErrors(parsed.error, req.t)),
        ...(fileError ? { [UPLOAD_FIELD]: fileError } : {}),
      });
    }
    try {
      const created = await attachments.withStored(actor.companyId, files, (stored) =>
        submitRequest(deps, actor, parsed.data, stored),
      );
      const key = created.status === 'AUTHORIZED' ? 'requests.submittedAuthorized' : 'requests.submitted';
      flash(req, 'success', req.t(key, { number: formatNumber('SOL', created.number) }));
      res.redirect(`/solicitudes/${created.id}`);
    } catch (err) {
      if (err instanceof ValidationError) return rerender(translateFields(req, err.fields));
      throw err;
    }
  });

  async function renderDetail(
    req: Request,
    res: Response,
    id: number,
    form: {
      action?: Action | 'comment' | string;
      errors?: Record<string, string>;
      values?: Record<string, unknown>;
    } = {},
  ) {
    const actor = actorOf(req);
    const detail = await loadDetail(db, actor, id);
    res.render('requests/show', {
      title: `${formatNumber('SOL', detail.request.number)} · ${detail.request.title}`,
      ...detail,
      conversation: await loadConversation(db, actor, detail.request),
      form: { action: form.action ?? null, errors: form.errors ?? {}, values: form.values ?? {} },
      back: safeBack(req.query.volver),
    });
  }

  router.get('/solicitudes/:id', (req, res) => renderDetail(req, res, idParam(req.params.id)));

  router.post('/solicitudes/:id/:action', async (req, res) => {
    const id = idParam(req.params.id);
    const action = ACTIONS.find((a) => a === req.params.action);
    if (!action) throw new NotFoundError();
    const actor = actorOf(req);
    const parsed = actionSchemas[action].safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(422);
      return renderDetail(req, res, id, { action, errors: fieldErrors(parsed.error, req.t), values: req.body ?? {} });
    }
    let number: number;
    try {
      ({ number } = await applyTransition(deps, actor, id, { action, ...parsed.data } as TransitionInput));
    } catch (err) {
      if (err instanceof ValidationError) {
        res.status(422);
        return renderDetail(req, res, id, { action, errors: translateFields(req, err.fields), values: req.body ?? {} });
      }
      if (err instanceof ConflictError) return renderConflict(req, res, err);
      throw err;
    }
    flash(req, 'success', req.t(`requests.done.${action}`, { number: formatNumber('SOL', number) }));
    res.redirect(safeBack(req.body?.volver) ?? `/solicitudes/${id}`);
  });

  async function renderConflict(req: Request, res: Response, err: ConflictError) {
    const actor = actorOf(req);
    const p = err.params as { event: string; who: string; when: Date; requestId: number };
    const { number } = await db.request.findFirstOrThrow({
      where: { id: p.requestId, companyId: actor.companyId },
      select: { number: true },
    });
    res.status(409).render('requests/conflict', {
      title: req.t('requests.conflict.title'),
      requestId: p.requestId,
      message: req.t('requests.conflict.body', {
        number: formatNumber('SOL', number),
        what: req.t(`requests.eventsPast.${p.event}`),
        who: p.who,
        when: formatDateTime(p.when, actor.timezone, req.lang),
      }),
    });
  }

  return router;
}

function translateFields(req: Request, fields: Record<string, string>) {
  return Object.fromEntries(Object.entries(fields).map(([k, key]) => [k, req.t(key)]));
}

/** Lists link to details with ?volver=<list>; only our own inbox paths are followed back. */
function safeBack(value: unknown): string | undefined {
  return typeof value === 'string' &&
    /^\/(solicitudes|autorizaciones|bandeja|empresa\/solicitudes|tickets|mis-tickets)(\?[^\s]*)?$/.test(value)
    ? value
    : undefined;
}
