// /api/v1/requests, /tickets and /attachments: the same use cases and policies as the request pages
// (src/requests, src/tickets, src/conversation), with JSON in and out.
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import {
  contentDisposition,
  INLINE_TYPES,
  UploadRejected,
  addComment,
  openAttachment,
  type Attachments,
  type ConversationDeps,
  type PreparedFile,
} from '../conversation/index.js';
import type { Request } from 'express';
import {
  actionSchemas,
  applyTransition,
  loadDetail,
  loadVisibleState,
  newRequestSchema,
  parseRequestNumber,
  requestFeed,
  submitRequest,
  type TransitionInput,
} from '../requests/index.js';
import { areaTickets, loadTicket, myTickets } from '../tickets/index.js';
import type { Db } from '../db/client.js';
import { endOfLocalDay, startOfLocalDay } from '../web/dates.js';
import { ForbiddenError, ValidationError } from '../web/errors.js';
import { isServicesHead, isWorker } from '../auth/index.js';
import { formatNumber } from '../web/view-helpers.js';
import { operation, reply, type Operation } from './operation.js';
import { requestDetailOf, requestSummaryOf, ticketOf, ticketSummaryOf } from './present.js';
import * as s from './schemas.js';

export interface RequestApiDeps {
  db: Db;
  clock: () => Date;
  attachments: Attachments;
  /** Signs the satisfaction survey link a finish through the API mails, as the pages' finish does. */
  surveyKey: string;
}

/** The keyset cursor: the last row's creation instant and id, opaque to clients. */
const cursor = {
  encode: (r: { createdAt: Date; id: number }) =>
    Buffer.from(JSON.stringify([r.createdAt.toISOString(), r.id])).toString('base64url'),
  decode(value: string): { createdAt: Date; id: number } {
    try {
      const [at, id] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as [string, number];
      const createdAt = new Date(at);
      if (Number.isInteger(id) && id > 0 && !Number.isNaN(createdAt.getTime())) return { createdAt, id };
    } catch {
      // Falls through to the field error.
    }
    throw new ValidationError({ cursor: 'validation.invalid' });
  },
};

/** The checked files of a multipart call (a refusal is a field error, as on the pages). */
async function filesOf(req: Request, attachments: Attachments): Promise<PreparedFile[]> {
  try {
    return await attachments.fromRequest(req);
  } catch (err) {
    if (err instanceof UploadRejected) throw new ValidationError({ files: err.messageKey }, err.messageKey, err.params);
    throw err;
  }
}

/** Every action's body, for the document (each call is read with its own action's schema). */
const ACTION_BODY = z.union([...new Set(Object.values(actionSchemas))] as unknown as [z.ZodType, z.ZodType]);

export function requestOperations(deps: RequestApiDeps): Operation[] {
  const conversationDeps: ConversationDeps = {
    ...deps,
    visibleRequest: (actor, id) => loadVisibleState(deps.db, actor, id),
  };
  const detailOf = async (actor: Parameters<typeof loadDetail>[1], id: number) => {
    const { request, actions, conversation } = await loadDetail(deps, actor, id);
    return requestDetailOf(request, actions, conversation);
  };

  return [
    operation({
      method: 'get',
      path: '/requests',
      operationId: 'listRequests',
      summary: 'List the requests of an inbox',
      description:
        'The inboxes of the pages: `mine` (own requests), `unit` (to authorize), `services` (the services head’s ' +
        'areas), `company` (administrators). Newest first; pass `nextCursor` as `cursor` for the next page.',
      tag: 'Requests',
      scope: 'read',
      query: s.requestListQuery,
      answers: [{ status: 200, description: 'A page of requests', schema: s.requestList }],
      async handle({ actor, query, res }) {
        const n = query.q ? parseRequestNumber(query.q) : undefined;
        const { items, hasMore } = await requestFeed(deps, actor, {
          kind: query.view,
          statuses: query.status,
          filters: {
            unitId: query.unit ?? undefined,
            categoryId: query.category ?? undefined,
            priority: query.priority,
            from: query.from ? startOfLocalDay(query.from, actor.timezone) : undefined,
            to: query.to ? endOfLocalDay(query.to, actor.timezone) : undefined,
            number: n,
            text: n === undefined ? query.q : undefined,
          },
          after: query.cursor ? cursor.decode(query.cursor) : undefined,
          limit: query.limit,
        });
        const last = items.at(-1);
        reply(res, 200, {
          items: items.map(requestSummaryOf),
          nextCursor: hasMore && last ? cursor.encode(last) : null,
        });
      },
    }),
    operation({
      method: 'get',
      path: '/requests/{id}',
      operationId: 'getRequest',
      summary: 'A request with its history, comments and files',
      tag: 'Requests',
      scope: 'read',
      params: s.idPath,
      answers: [{ status: 200, description: 'The request', schema: s.requestDetail }],
      async handle({ actor, params, res }) {
        reply(res, 200, await detailOf(actor, params.id));
      },
    }),
    operation({
      method: 'post',
      path: '/requests',
      operationId: 'createRequest',
      summary: 'Submit a request (JSON, or multipart/form-data with files)',
      tag: 'Requests',
      scope: 'write',
      body: newRequestSchema,
      multipart: 'optional',
      problems: [413],
      answers: [{ status: 201, description: 'Submitted', schema: s.createdRequest }],
      async handle({ actor, body, req, res }) {
        const files = await filesOf(req, deps.attachments);
        const created = await deps.attachments.withStored(actor.companyId, files, (stored) =>
          submitRequest(deps, actor, body, stored),
        );
        const { id, number, status } = created;
        reply(res, 201, { id, number, status, reference: formatNumber('SOL', number) }, `/api/v1/requests/${id}`);
      },
    }),
    operation({
      method: 'post',
      path: '/requests/{id}/{action}',
      operationId: 'actOnRequest',
      summary: 'Take a lifecycle step',
      description:
        'authorize {comment?}, reject {reason}, cancel {reason}, approve {workerId, instructions}, start ' +
        '{comment?}, finish {resolution}, reassign {workerId, comment?}, hold {reason, note?}, resume {comment?}. ' +
        'A step that no longer applies answers 409 with who acted and when.',
      tag: 'Requests',
      scope: 'write',
      params: s.actionPath,
      body: ACTION_BODY,
      parseBody: false,
      answers: [{ status: 200, description: 'The request after the step', schema: s.requestDetail }],
      async handle({ actor, params, req, res }) {
        // The body is read with the action's own schema (the union above documents them all).
        const input = actionSchemas[params.action].parse(req.body ?? {});
        await applyTransition(deps, actor, params.id, { action: params.action, ...input } as TransitionInput);
        reply(res, 200, await detailOf(actor, params.id));
      },
    }),
    operation({
      method: 'post',
      path: '/requests/{id}/comments',
      operationId: 'addComment',
      summary: 'Comment, or add an internal note (service-area staff and administrators), with files',
      tag: 'Requests',
      scope: 'write',
      params: s.idPath,
      body: s.commentBody,
      multipart: 'optional',
      problems: [413],
      answers: [{ status: 201, description: 'Added', schema: s.idOut }],
      async handle({ actor, params, body, req, res }) {
        const files = await filesOf(req, deps.attachments);
        if (!body.body && files.length === 0) throw new ValidationError({ body: 'conversation.errors.empty' });
        const comment = await addComment(conversationDeps, actor, params.id, body, files);
        reply(res, 201, { id: comment.id }, `/api/v1/requests/${params.id}`);
      },
    }),
    operation({
      method: 'post',
      path: '/requests/{id}/attachments',
      operationId: 'uploadAttachments',
      summary: 'Upload files to a request (as a comment without text; `internal` for an internal note)',
      tag: 'Requests',
      scope: 'write',
      params: s.idPath,
      body: s.commentBody.pick({ internal: true }),
      multipart: 'only',
      problems: [413],
      answers: [{ status: 201, description: 'Uploaded (the comment carrying them)', schema: s.idOut }],
      async handle({ actor, params, body, req, res }) {
        const files = await filesOf(req, deps.attachments);
        if (files.length === 0) throw new ValidationError({ files: 'validation.required' });
        const comment = await addComment(
          conversationDeps,
          actor,
          params.id,
          { body: '', internal: body.internal },
          files,
        );
        reply(res, 201, { id: comment.id }, `/api/v1/requests/${params.id}`);
      },
    }),
    operation({
      method: 'get',
      path: '/attachments/{id}',
      operationId: 'downloadAttachment',
      summary: 'Download a file',
      tag: 'Requests',
      scope: 'read',
      params: s.idPath,
      answers: [{ status: 200, description: 'The file', file: true }],
      async handle({ actor, params, res }) {
        const { file, opened } = await openAttachment(conversationDeps, actor, params.id, false);
        res.set({
          'Content-Type': file.mimeType,
          'Content-Length': String(opened.size),
          'Content-Disposition': contentDisposition(
            INLINE_TYPES.has(file.mimeType) ? 'inline' : 'attachment',
            file.fileName,
          ),
          'X-Content-Type-Options': 'nosniff',
          'Content-Security-Policy': "default-src 'none'; sandbox",
        });
        await pipeline(opened.stream, res);
      },
    }),
    operation({
      method: 'get',
      path: '/tickets',
      operationId: 'listTickets',
      summary: 'The tickets of a tray: `mine` (a worker’s), `area` (a services head’s)',
      tag: 'Tickets',
      scope: 'read',
      query: s.ticketListQuery,
      answers: [{ status: 200, description: 'A page of tickets', schema: s.ticketList }],
      async handle({ actor, query, res }) {
        const tab = { ASSIGNED: 'asignados', IN_PROGRESS: 'en-ejecucion', DONE: 'finalizados' }[
          query.status ?? 'ASSIGNED'
        ];
        const input = { tab, page: query.page, q: query.q };
        // The tray pages' guards.
        if (query.view === 'area' ? !isServicesHead(actor) : !isWorker(actor)) throw new ForbiddenError();
        const result =
          query.view === 'area'
            ? (await areaTickets(deps, actor, { ...input, workerId: query.worker ?? undefined })).result
            : await myTickets(deps, actor, input);
        reply(res, 200, {
          items: result.items.map(ticketSummaryOf),
          page: { page: result.page.page, pages: result.page.pages, total: result.page.total },
        });
      },
    }),
    operation({
      method: 'get',
      path: '/tickets/{id}',
      operationId: 'getTicket',
      summary: 'A ticket',
      tag: 'Tickets',
      scope: 'read',
      params: s.idPath,
      answers: [{ status: 200, description: 'The ticket', schema: s.ticketDetail }],
      async handle({ actor, params, res }) {
        const { ticket, request } = await loadTicket(deps, actor, { id: params.id });
        reply(res, 200, ticketOf(ticket, request));
      },
    }),
  ];
}
