// The request pages: inboxes, the new-request form, the detail page with its actions and
// its print view. The conversation's routes are mounted here, given this detail page and
// the requests' visibility rule.
import { Router, type Request, type Response } from 'express';
import { requireRole, actorOf } from '../auth/index.js';
import {
  UPLOAD_FIELD,
  UploadRejected,
  conversationRoutes,
  type Attachments,
  type DetailRenderer,
  type PreparedFile,
} from '../conversation/index.js';
import type { Actor } from '../auth/index.js';
import { authorizes, isCompanyAdmin, isServicesHead } from '../auth/index.js';
import { ConflictError, NotFoundError, ValidationError } from '../web/errors.js';
import { fieldErrors, idParam, translateFields } from '../web/fields.js';
import { flash } from '../web/flash.js';
import { safeReturn, withReturn } from '../web/safe-next.js';
import { withQuery } from '../web/pagination.js';
import { formatNumber } from '../web/view-helpers.js';
import { redirectOnConflict } from './conflict-page.js';
import { correctionRoutes } from './correction-routes.js';
import { loadDetail } from './detail.js';
import { toInboxFilters } from './filters.js';
import { loadInbox, type InboxKind } from './inbox.js';
import { ACTIONS } from './lifecycle.js';
import { actionSchemas, newRequestSchema } from './schemas.js';
import {
  applyTransition,
  conversationAccess,
  loadRequestForm,
  submitRequest,
  type Deps,
  type TransitionDeps,
  type TransitionInput,
} from './service.js';

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
    guard: requireRole(authorizes, 'requests.forbidden.lists.unit'),
  },
  {
    view: {
      kind: 'services',
      titleKey: 'requests.titles.services',
      path: '/bandeja',
      filters: true,
      emptyKey: 'requests.empty',
    },
    guard: requireRole(isServicesHead, 'requests.forbidden.lists.services'),
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
  const visibleRequest = (actor: Actor, id: number) => conversationAccess(deps.db, actor, id);
  const detail = detailPages(deps);
  // Comments, notes and attachments (before /solicitudes/:id/:action).
  router.use(conversationRoutes({ ...deps, visibleRequest }, detail.render));
  for (const { view, guard } of INBOX_VIEWS) router.get(view.path, ...(guard ? [guard] : []), inboxPage(deps, view));
  newRequestRoutes(router, deps);
  // Corrections, the requester's edit and followers (before /solicitudes/:id/:action).
  router.use(correctionRoutes(deps, detail.render));
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
      dates: filters.dates,
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
        submitRequest(deps, actor, parsed.data, stored, req.body),
      );
      const key = created.status === 'AUTHORIZED' ? 'requests.submittedAuthorized' : 'requests.submitted';
      flash(req, 'success', req.t(key, { number: formatNumber('SOL', created.number) }));
      res.redirect(`/solicitudes/${created.id}`);
    } catch (err) {
      if (err instanceof ValidationError) return rerender(translateFields(err.fields, req.t));
      throw err;
    }
  });
}

/** The detail page's data (also printed), and its rendering with a form's errors (given to the conversation too). */
function detailPages(deps: Deps) {
  async function data(req: Request, id: number) {
    const actor = actorOf(req);
    const detail = await loadDetail(deps, actor, id);
    return { title: `${formatNumber('SOL', detail.request.number)} · ${detail.request.title}`, ...detail };
  }
  const render: DetailRenderer = async (req, res, id, form = {}) => {
    const back = safeReturn(req.query.volver);
    res.render('requests/show', {
      ...(await data(req, id)),
      form: { action: form.action ?? null, errors: form.errors ?? {}, values: form.values ?? {} },
      back,
      // The page's forms post to their URL plus this, so the page after the action still knows the way back.
      returnQuery: back ? `?volver=${encodeURIComponent(back)}` : '',
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
        const errors = translateFields(err.fields, req.t);
        return detail.render(req, res, id, { action, errors, values: req.body ?? {} });
      }
      if (err instanceof ConflictError) return redirectOnConflict(req, res, err);
      throw err;
    }
    flash(req, 'success', req.t(`requests.done.${action}`, { number: formatNumber('SOL', number) }));
    // A quick action on a list (body `volver`) returns to that list; one on the detail page, to the page.
    const list = safeReturn(req.body?.volver);
    res.redirect(list ?? withReturn(`/solicitudes/${id}`, safeReturn(req.query.volver)));
  });
}
