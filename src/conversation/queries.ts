// What of the conversation a person may see on the detail and print pages. Internal
// notes and their files are left out in the query itself for everyone else.
import type { Db } from '../db/client.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { Actor } from '../org/actor.js';
import type { RequestState } from '../requests/lifecycle.js';
import { canAddInternalNote, canComment, canSeeInternalNotes } from './policy.js';

const person = { select: { id: true, name: true } } as const;

export const attachmentSelect = {
  id: true,
  commentId: true,
  internal: true,
  fileName: true,
  mimeType: true,
  size: true,
  thumbnailKey: true,
  createdAt: true,
} satisfies Prisma.AttachmentSelect;
export type AttachmentRow = Prisma.AttachmentGetPayload<{ select: typeof attachmentSelect }>;

/** Attachments someone who may not read internal notes may see: never a note's, whatever its own flag says. */
export const publicAttachments: Prisma.AttachmentWhereInput = { internal: false, OR: [{ commentId: null }, { comment: { internal: false } }] };

interface TimelineEvent {
  createdAt: Date;
  id: bigint;
}
export type TimelineItem<E extends TimelineEvent> =
  | { kind: 'event'; at: Date; event: E }
  | { kind: 'comment'; at: Date; comment: { id: number; internal: boolean; body: string; createdAt: Date; author: { id: number; name: string }; files: AttachmentRow[] } };

/** Lifecycle events and comments in one list, oldest first (an event before a comment of the same instant). */
export function buildTimeline<E extends TimelineEvent>(events: readonly E[], comments: readonly Extract<TimelineItem<E>, { kind: 'comment' }>['comment'][]): TimelineItem<E>[] {
  const items: TimelineItem<E>[] = [
    ...events.map((event) => ({ kind: 'event' as const, at: event.createdAt, event })),
    ...comments.map((comment) => ({ kind: 'comment' as const, at: comment.createdAt, comment })),
  ];
  const rank = (i: TimelineItem<E>) => (i.kind === 'event' ? 0 : 1);
  return items.sort((a, b) => a.at.getTime() - b.at.getTime() || rank(a) - rank(b));
}

export async function loadConversation<E extends TimelineEvent>(db: Db, actor: Actor, request: RequestState & { id: number; events: readonly E[] }) {
  const seeNotes = canSeeInternalNotes(actor, request);
  const where = { companyId: actor.companyId, requestId: request.id };
  const [comments, files] = await Promise.all([
    db.requestComment.findMany({
      where: seeNotes ? where : { ...where, internal: false },
      select: { id: true, internal: true, body: true, createdAt: true, author: person },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: 500,
    }),
    db.attachment.findMany({
      where: seeNotes ? where : { ...where, ...publicAttachments },
      select: attachmentSelect,
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: 500,
    }),
  ]);
  const byComment = new Map<number, AttachmentRow[]>();
  for (const f of files) if (f.commentId !== null) byComment.set(f.commentId, [...(byComment.get(f.commentId) ?? []), f]);
  return {
    timeline: buildTimeline(request.events, comments.map((c) => ({ ...c, files: byComment.get(c.id) ?? [] }))),
    requestFiles: files.filter((f) => f.commentId === null),
    seeNotes,
    mayComment: canComment(actor, request),
    mayAddNote: canAddInternalNote(actor, request),
  };
}
