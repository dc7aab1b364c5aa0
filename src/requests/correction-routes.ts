// The pages of the corrections, the requester's edit and the followers: HTTP only (parse, one use case, render or
// redirect). Refusals of a form re-render the detail page (or the edit form) with 422 and the input kept; a request
// that changed meanwhile answers the 409 page.
import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import { actorOf } from '../auth/index.js';
import {
  UPLOAD_FIELD,
  UploadRejected,
  type Attachments,
  type DetailRenderer,
  type PreparedFile,
} from '../conversation/index.js';
import { ConflictError, ValidationError } from '../web/errors.js';
import { fieldErrors, idParam, translateFields } from '../web/fields.js';
import { flash } from '../web/flash.js';
import { linkTo, requestedPage } from '../web/pagination.js';
import { formatNumber } from '../web/view-helpers.js';
import { redirectOnConflict } from './conflict-page.js';
import { correctRequest, editRequest, loadEditForm, rerouteRequest } from './corrections.js';
import { addFollower, followingList, removeFollower } from './followers.js';
import { correctSchema, editSchema, followerSchema, rerouteSchema } from './schemas.js';
import type { Deps } from './service.js';

type FormUseCase<S extends z.ZodType> = (
  deps: Deps,
  actor: ReturnType<typeof actorOf>,
  id: number,
  input: z.infer<S>,
) => Promise<{ number: number }>;

/** A form of the detail page: parse, apply, flash and back to the request; refusals re-render the page. */
function detailForm<S extends z.ZodType>(
  deps: Deps,
  render: DetailRenderer,
  form: string,
  schema: S,
  useCase: FormUseCase<S>,
  done: string,
) {
  return async (req: Request, res: Response) => {
    const id = idParam(req.params.id);
    const values = (req.body ?? {}) as Record<string, unknown>;
    const parsed = schema.safeParse(values);
    if (!parsed.success) {
      res.status(422);
      return render(req, res, id, { action: form, errors: fieldErrors(parsed.error, req.t), values });
    }
    try {
      const { number } = await useCase(deps, actorOf(req), id, parsed.data);
      flash(req, 'success', req.t(done, { number: formatNumber('SOL', number) }));
      res.redirect(`/solicitudes/${id}`);
    } catch (err) {
      if (err instanceof ValidationError) {
        res.status(422);
        return render(req, res, id, { action: form, errors: translateFields(err.fields, req.t), values });
      }
      if (err instanceof ConflictError) return redirectOnConflict(req, res, err);
      throw err;
    }
  };
}

export function correctionRoutes(deps: Deps & { attachments: Attachments }, render: DetailRenderer) {
  const router = Router();
  router.post(
    '/solicitudes/:id/enviar-area',
    detailForm(deps, render, 'reroute', rerouteSchema, rerouteRequest, 'corrections.done.reroute'),
  );
  router.post(
    '/solicitudes/:id/corregir',
    detailForm(deps, render, 'correct', correctSchema, correctRequest, 'corrections.done.correct'),
  );
  router.post(
    '/solicitudes/:id/seguidores',
    detailForm(deps, render, 'follow', followerSchema, addFollower, 'followers.done.added'),
  );
  router.post('/solicitudes/:id/seguidores/:userId/quitar', async (req, res) => {
    const id = idParam(req.params.id);
    const { self } = await removeFollower(deps, actorOf(req), id, idParam(req.params.userId));
    flash(req, 'success', req.t(self ? 'followers.done.unfollowed' : 'followers.done.removed'));
    // Who stops following may no longer see the request.
    res.redirect(self ? '/siguiendo' : `/solicitudes/${id}`);
  });

  router.get('/siguiendo', async (req, res) => {
    const result = await followingList(deps, actorOf(req), requestedPage(req.query));
    res.render('requests/following', {
      title: req.t('followers.title'),
      result,
      link: linkTo('/siguiendo', req.query),
    });
  });

  editRoutes(router, deps);
  return router;
}

/** "Editar solicitud": the requester's form while the request is pending (texts and more files). */
function editRoutes(router: Router, deps: Deps & { attachments: Attachments }) {
  const { attachments } = deps;
  const page = async (req: Request, res: Response, id: number, values?: Record<string, unknown>, errors = {}) => {
    const form = await loadEditForm(deps, actorOf(req), id);
    res.render('requests/edit', {
      title: req.t('corrections.edit.title', { number: formatNumber('SOL', form.number) }),
      request: form,
      values: values ?? { ...form, version: form.updatedAt.toISOString() },
      errors,
    });
  };
  router.get('/solicitudes/:id/editar', (req, res) => page(req, res, idParam(req.params.id)));
  router.post('/solicitudes/:id/editar', async (req, res) => {
    const id = idParam(req.params.id);
    const values = (req.body ?? {}) as Record<string, unknown>;
    const parsed = editSchema.safeParse(values);
    let files: PreparedFile[] = [];
    let fileError: string | undefined;
    try {
      files = await attachments.fromRequest(req);
    } catch (err) {
      if (!(err instanceof UploadRejected)) throw err;
      fileError = req.t(err.messageKey, err.params);
    }
    if (!parsed.success || fileError) {
      res.status(422);
      return page(req, res, id, values, {
        ...(parsed.success ? {} : fieldErrors(parsed.error, req.t)),
        ...(fileError ? { [UPLOAD_FIELD]: fileError } : {}),
      });
    }
    const actor = actorOf(req);
    try {
      const { number } = await attachments.withStored(actor.companyId, files, (stored) =>
        editRequest(deps, actor, id, parsed.data, stored),
      );
      flash(req, 'success', req.t('corrections.done.edit', { number: formatNumber('SOL', number) }));
      res.redirect(`/solicitudes/${id}`);
    } catch (err) {
      if (err instanceof ValidationError) {
        res.status(422);
        return page(req, res, id, values, translateFields(err.fields, req.t));
      }
      if (err instanceof ConflictError) return redirectOnConflict(req, res, err);
      throw err;
    }
  });
}
