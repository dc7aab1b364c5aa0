// The request pages: inboxes, the new-request form, the detail page with its actions and
// its print view. The conversation's routes are mounted here, given this detail page and
// the requests' visibility rule.
import { Router, type Request, type Response } from 'express';
import { requireRole, actorOf } from '../auth/index.js';
import {
  UPLOAD_FIELD,
  UploadRejected,
  conversationRoutes,
  loadConversation,
  type Attachments,
  type DetailRenderer,
  type PreparedFile,
} from '../conversation/index.js';
import type { Actor } from '../auth/index.js';
import { authorizes, isCompanyAdmin, isServicesHead } from '../auth/index.js';
import { ConflictError, NotFoundError, ValidationError } from '../web/errors.js';
import { fieldErrors, idParam } from '../web/fields.js';
import { flash } from '../web/flash.js';
import { withQuery } from '../web/pagination.js';
import { formatDateTime, formatNumber } from '../web/view-helpers.js';
import { loadDetail } from './detail.js';
import { toInboxFilters } from './filters.js';
import { loadInbox, type InboxKind } from './inbox.js';
import { ACTIONS } from './lifecycle.js';
import {
  approveSchema,
  commentSchema,
  confirmSchema,
  finishSchema,
  holdSchema,
  newRequestSchema,
  reasonSchema,
  reassignSchema,
} from './schemas.js';
import {
  applyTransition,
  loadRequestForm,
  loadVisibleState,
  submitRequest,
  type Deps,
  type TransitionDeps,
  type TransitionInput,
} from './service.js';

/** Zod schema of each action's form. */
const actionSchemas = {
  authorize: commentSchema,
  reject: reasonSchema,
  cancel: reasonSchema,
  approve: approveSchema,
  start: commentSchema,
  finish: finishSchema,
  reassign: reassignSchema,
  hold: holdSchema,
  resume: commentSchema,
  confirm: confirmSchema,
  reopen: reasonSchema,
} as const;

interface InboxView {
  kind: InboxKind;
  titleKey: string;
  path: string;
  filters: boolean;
  emptyKey: string;
  /** Show authorize/reject buttons in the list (unit head). */
  quickActions?: boolean;
}

const INBOX_VIEWS: { view: InboxView; guard?: ReturnType<typeof requireRole> }[] = [
  {
    view: {
      kind: 'mine',
      titleKey: 'requests.titles.mine',
      path: '/solicitudes',
      filters: false,
      emptyKey: 'requests.emptyMine',
    },
  },
  {
    view: {
      kind: 'unit',
      titleKey: 'requests.titles.unit',
      path: '/autorizaciones',
      filters: false,
      emptyKey: 'requests.empty',
      quickActions: true,
    },
    guard: requireRole(authorizes, 'requests.forbidden.authorize'),
  },
  {
    view: {
      kind: 'services',
      titleKey: 'requests.titles.services',
      path: '/bandeja',
      filters: true,
      emptyKey: 'requests.empty',
    },
    guard: requireRole(isServicesHead, 'requests.forbidden.approve'),
  },
  {
    view: {
      kind: 'company',
      titleKey: 'requests.titles.company',
      path: '/empresa/solicitudes',
      filters: true,
      emptyKey: 'requests.empty',
    },
    guard: requireRole(isCompanyAdmin),
  },
];

export function requestRoutes(deps: TransitionDeps & { attachments: Attachments }) {
  const router = Router();
  const visibleRequest = (actor: Actor, id: number) => loadVisibleState(deps.db, actor, id);
  const detail = detailPages(deps);
  // Comments, notes and attachments (before /solicitudes/:id/:action).
  router.use(conversationRoutes({ ...deps, visibleRequest }, detail.render));
  for (const { view, guard } of INBOX_VIEWS) router.get(view.path, ...(guard ? [guard] : []), inboxPage(deps, view));
  newRequestRoutes(router, deps);
  detailRoutes(router, deps, detail);
  return router;
}

function inboxPage(deps: Deps, view: InboxView) {
  return async (req: Request, res: Response) => {
    const actor = actorOf(req);
    const filters = toInboxFilters(req.query, actor.timezone);
    const { result, options } = await loadInbox(deps, actor, { kind: view.kind, filters, withOptions: view.filters });
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
  };
}

function newRequestRoutes(router: Router, deps: Deps & { attachments: Attachments }) {
  const { attachments } = deps;
  router.get('/solicitudes/nueva', async (req, res) => {
    res.render('requests/new', {
      title: req.t('requests.titles.new'),
      ...(await loadRequestForm(deps, actorOf(req))),
      values: { priority: 'MEDIUM' },
      errors: {},
    });
  });

  router.post('/solicitudes', async (req, res) => {
    const actor = actorOf(req);
    const rerender = async (errors: Record<string, string>) =>
      res.status(422).render('requests/new', {
        title: req.t('requests.titles.new'),
        ...(await loadRequestForm(deps, actor)),
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
}

/** The detail page's data (also printed), and its rendering with a form's errors (given to the conversation too). */
function detailPages(deps: Deps) {
  async function data(req: Request, id: number) {
    const actor = actorOf(req);
    const detail = await loadDetail(deps, actor, id);
    const conversation = await loadConversation(deps, actor, { ...detail.request, visible: true });
    return {
      title: `${formatNumber('SOL', detail.request.number)} · ${detail.request.title}`,
      ...detail,
      conversation,
    };
  }
  const render: DetailRenderer = async (req, res, id, form = {}) => {
    res.render('requests/show', {
      ...(await data(req, id)),
      form: { action: form.action ?? null, errors: form.errors ?? {}, values: form.values ?? {} },
      back: safeBack(req.query.volver),
    });
  };
  return { data, render };
}

function detailRoutes(router: Router, deps: TransitionDeps, detail: ReturnType<typeof detailPages>) {
  router.get('/solicitudes/:id', (req, res) => detail.render(req, res, idParam(req.params.id)));

  router.get('/solicitudes/:id/imprimir', async (req, res) => {
    res.render('requests/print', { ...(await detail.data(req, idParam(req.params.id))), printedAt: deps.clock() });
  });

  router.post('/solicitudes/:id/:action', async (req, res) => {
    const id = idParam(req.params.id);
    const action = ACTIONS.find((a) => a === req.params.action);
    if (!action) throw new NotFoundError();
    const parsed = actionSchemas[action].safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(422);
      return detail.render(req, res, id, { action, errors: fieldErrors(parsed.error, req.t), values: req.body ?? {} });
    }
    let number: number;
    try {
      ({ number } = await applyTransition(deps, actorOf(req), id, { action, ...parsed.data } as TransitionInput));
    } catch (err) {
      if (err instanceof ValidationError) {
        res.status(422);
        const errors = translateFields(req, err.fields);
        return detail.render(req, res, id, { action, errors, values: req.body ?? {} });
      }
      if (err instanceof ConflictError) return renderConflict(req, res, err);
      throw err;
    }
    flash(req, 'success', req.t(`requests.done.${action}`, { number: formatNumber('SOL', number) }));
    res.redirect(safeBack(req.body?.volver) ?? `/solicitudes/${id}`);
  });
}

function renderConflict(req: Request, res: Response, err: ConflictError) {
  const p = err.params as { event: string; who: string; when: Date; requestId: number; number: number };
  res.status(409).render('requests/conflict', {
    title: req.t('requests.conflict.title'),
    requestId: p.requestId,
    // Closed by the scheduled job: nobody to name.
    message: req.t(p.event === 'AUTO_CLOSE' ? 'requests.conflict.bodyAuto' : 'requests.conflict.body', {
      number: formatNumber('SOL', p.number),
      what: req.t(`requests.eventsPast.${p.event}`),
      who: p.who,
      when: formatDateTime(p.when, actorOf(req).timezone, req.lang),
    }),
  });
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
