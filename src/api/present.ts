// The use cases' results as the API's JSON (schemas.ts): dates as ISO text, numbers with their SOL-/TKT- reference.
import type { z } from 'zod';
import type { RequestDetail, RequestRow } from '../requests/index.js';
import { formatNumber } from '../web/view-helpers.js';
import type * as s from './schemas.js';

type Out<T extends z.ZodType> = z.input<T>;

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);
const isoNow = (d: Date) => new Date(d).toISOString();

export function requestSummaryOf(r: RequestRow): Out<typeof s.requestSummary> {
  return {
    id: r.id,
    number: r.number,
    reference: formatNumber('SOL', r.number),
    title: r.title,
    status: r.status,
    priority: r.priority,
    onHold: r.onHoldSince !== null,
    createdAt: isoNow(r.createdAt),
    requester: r.requester,
    requesterUnit: r.requesterUnit,
    category: r.category,
    ticket: r.ticket ? { ...r.ticket, status: r.ticket.status as 'ASSIGNED' } : null,
    responseDueAt: iso(r.responseDueAt),
    resolutionDueAt: iso(r.resolutionDueAt),
  };
}

interface FileRow {
  id: number;
  fileName: string;
  mimeType: string;
  size: number;
  internal: boolean;
  createdAt: Date;
}
export const attachmentOf = (f: FileRow, internal = f.internal): Out<typeof s.attachmentSchema> => ({
  id: f.id,
  fileName: f.fileName,
  mimeType: f.mimeType,
  size: f.size,
  internal,
  createdAt: isoNow(f.createdAt),
  url: `/api/v1/attachments/${f.id}`,
});

interface ConversationView {
  timeline: (
    | { kind: 'event' }
    | {
        kind: 'comment';
        comment: {
          id: number;
          internal: boolean;
          body: string;
          createdAt: Date;
          author: { id: number; name: string };
          files: FileRow[];
        };
      }
  )[];
  requestFiles: FileRow[];
}

type Ticket = NonNullable<RequestDetail['ticket']>;
/** The fields every ticket answer shares (a detail's ticket and a tray row). */
const ticketFieldsOf = (
  t: Pick<
    Ticket,
    'id' | 'number' | 'status' | 'instructions' | 'assignedAt' | 'startedAt' | 'finishedAt' | 'needsReassignment'
  > & { worker: { id: number; name: string } },
) => ({
  id: t.id,
  number: t.number,
  reference: formatNumber('TKT', t.number),
  status: t.status,
  instructions: t.instructions,
  assignedAt: isoNow(t.assignedAt),
  startedAt: iso(t.startedAt),
  finishedAt: iso(t.finishedAt),
  needsReassignment: t.needsReassignment,
  worker: t.worker,
});
const ticketCoreOf = (t: Ticket) => ({ ...ticketFieldsOf(t), resolution: t.resolution, assignedBy: t.assignedBy });

export function requestDetailOf(
  r: RequestDetail,
  actions: string[],
  conversation: ConversationView,
): Out<typeof s.requestDetail> {
  return {
    id: r.id,
    number: r.number,
    reference: formatNumber('SOL', r.number),
    title: r.title,
    description: r.description,
    priority: r.priority,
    location: r.location,
    status: r.status,
    onHoldSince: iso(r.onHoldSince),
    holdReason: r.holdReason as 'OTHER' | null,
    createdAt: isoNow(r.createdAt),
    authorizedAt: iso(r.authorizedAt),
    approvedAt: iso(r.approvedAt),
    rejectedAt: iso(r.rejectedAt),
    rejectionStage: r.rejectionStage,
    rejectionReason: r.rejectionReason,
    cancelledAt: iso(r.cancelledAt),
    cancelReason: r.cancelReason,
    finalizedAt: iso(r.finalizedAt),
    responseDueAt: iso(r.responseDueAt),
    resolutionDueAt: iso(r.resolutionDueAt),
    requester: { id: r.requester.id, name: r.requester.name },
    requesterUnit: r.requesterUnit,
    serviceArea: { id: r.serviceAreaId, name: r.serviceArea.name },
    category: { name: r.category.name },
    ticket: r.ticket ? ticketCoreOf(r.ticket) : null,
    allowedActions: actions as Out<typeof s.requestDetail>['allowedActions'],
    events: r.events.map((e) => ({
      id: String(e.id),
      action: e.action,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      comment: e.comment,
      createdAt: isoNow(e.createdAt),
      actor: e.actor,
      onBehalfOf: e.onBehalfOf,
    })),
    comments: conversation.timeline.flatMap((i) =>
      i.kind === 'comment'
        ? [
            {
              id: i.comment.id,
              internal: i.comment.internal,
              body: i.comment.body,
              createdAt: isoNow(i.comment.createdAt),
              author: i.comment.author,
              attachments: i.comment.files.map((f) => attachmentOf(f, f.internal || i.comment.internal)),
            },
          ]
        : [],
    ),
    attachments: conversation.requestFiles.map((f) => attachmentOf(f)),
  };
}

export function ticketOf(t: Ticket, request: RequestDetail): Out<typeof s.ticketDetail> {
  return {
    ...ticketCoreOf(t),
    request: { id: request.id, number: request.number, title: request.title, status: request.status },
  };
}

interface TrayRow {
  id: number;
  number: number;
  status: Ticket['status'];
  instructions: string;
  assignedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  needsReassignment: boolean;
  worker: { id: number; name: string };
  request: { id: number; number: number; title: string; status: string; priority: RequestRow['priority'] };
}
export function ticketSummaryOf(t: TrayRow): Out<typeof s.ticketSummary> {
  return {
    ...ticketFieldsOf(t),
    request: {
      id: t.request.id,
      number: t.request.number,
      title: t.request.title,
      status: t.request.status as RequestRow['status'],
      priority: t.request.priority,
    },
  };
}
