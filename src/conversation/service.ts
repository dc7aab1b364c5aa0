// The conversation's use cases: what of it a person sees, adding a comment or an internal
// note (with its files and notification job, in one transaction), and opening a file.
import type { Db } from '../db/client.js';
import type { Actor } from '../auth/index.js';
import { ForbiddenError, NotFoundError } from '../web/errors.js';
import type { Attachments } from './attachments.js';
import type { PreparedFile } from './files.js';
import { canAddInternalNote, canComment, canSeeInternalNotes, type RequestAccess } from './policy.js';
import { insertComment, readAttachment, type AttachmentRow, type CommentRow } from './queries.js';

/** A request of the actor's company that the actor may see; anything else is a 404 (the requests feature's rule). */
export type VisibleRequest = (
  actor: Actor,
  requestId: number,
) => Promise<{ id: number; serviceAreaId: number; asFollower?: boolean }>;

export interface ConversationDeps {
  db: Db;
  clock: () => Date;
  attachments: Attachments;
  visibleRequest: VisibleRequest;
}

export interface CommentInput {
  body: string;
  internal: boolean;
}

interface TimelineEvent {
  createdAt: Date;
  id: bigint;
}
type TimelineComment = CommentRow & { files: AttachmentRow[] };
export type TimelineItem<E extends TimelineEvent> =
  { kind: 'event'; at: Date; event: E } | { kind: 'comment'; at: Date; comment: TimelineComment };

/** Lifecycle events and comments in one list, oldest first (an event before a comment of the same instant). */
export function buildTimeline<E extends TimelineEvent>(
  events: readonly E[],
  comments: readonly TimelineComment[],
): TimelineItem<E>[] {
  const items: TimelineItem<E>[] = [
    ...events.map((event) => ({ kind: 'event' as const, at: event.createdAt, event })),
    ...comments.map((comment) => ({ kind: 'comment' as const, at: comment.createdAt, comment })),
  ];
  const rank = (i: TimelineItem<E>) => (i.kind === 'event' ? 0 : 1);
  return items.sort((a, b) => a.at.getTime() - b.at.getTime() || rank(a) - rank(b));
}

/**
 * The conversation of a request the actor may see (already checked), as the detail and print pages show it, from the
 * rows its statement read by the actor's role (conversationColumns with notesByRole). The policy decides here: one who
 * holds a note-reading role but sees the request only as a follower reads no note and no note's file.
 */
export function conversationOf<E extends TimelineEvent>(
  actor: Actor,
  request: RequestAccess & { events: readonly E[] },
  found: { comments: readonly CommentRow[]; files: readonly AttachmentRow[] },
) {
  const seeNotes = canSeeInternalNotes(actor, request);
  const notes = new Set(found.comments.filter((c) => c.internal).map((c) => c.id));
  const comments = seeNotes ? found.comments : found.comments.filter((c) => !c.internal);
  const files = seeNotes
    ? found.files
    : found.files.filter((f) => !f.internal && (f.commentId === null || !notes.has(f.commentId)));
  const byComment = new Map<number, AttachmentRow[]>();
  for (const f of files)
    if (f.commentId !== null) byComment.set(f.commentId, [...(byComment.get(f.commentId) ?? []), f]);
  return {
    timeline: buildTimeline(
      request.events,
      comments.map((c) => ({ ...c, files: byComment.get(c.id) ?? [] })),
    ),
    requestFiles: files.filter((f) => f.commentId === null),
    seeNotes,
    mayComment: canComment(actor, request),
    mayAddNote: canAddInternalNote(actor, request),
  };
}

/** The request a comment goes to, if the person may write it: 404 when hidden, 403 for a note they may not add. */
export async function commentTarget(deps: ConversationDeps, actor: Actor, requestId: number, internal: boolean) {
  const request = { ...(await deps.visibleRequest(actor, requestId)), visible: true };
  if (internal ? !canAddInternalNote(actor, request) : !canComment(actor, request))
    throw new ForbiddenError('conversation.forbidden.note');
  return request;
}

/**
 * Adds a comment (seen by everyone who sees the request) or an internal note (service-area
 * staff and company admins only); a note's files are internal too. A request the person
 * cannot see is a 404; a note from someone who may not write one is a 403.
 */
export async function addComment(
  deps: ConversationDeps,
  actor: Actor,
  requestId: number,
  input: CommentInput,
  files: readonly PreparedFile[],
) {
  return addCommentTo(deps, actor, await commentTarget(deps, actor, requestId, input.internal), input, files);
}

/** addComment to a request already checked by commentTarget (the page's post checks it before the form). */
export async function addCommentTo(
  deps: ConversationDeps,
  actor: Actor,
  request: Awaited<ReturnType<typeof commentTarget>>,
  input: CommentInput,
  files: readonly PreparedFile[],
) {
  const { db, clock, attachments } = deps;
  const now = clock();
  const comment = { companyId: actor.companyId, requestId: request.id, authorId: actor.id, body: input.body };
  return attachments.withStored(actor.companyId, files, (stored) =>
    insertComment(db, { ...comment, internal: input.internal, createdAt: now }, stored),
  );
}

/** A file (or its thumbnail) to send, by the pages' rules: the request visible, a note's file to note readers. */
export async function openAttachment(deps: ConversationDeps, actor: Actor, id: number, thumbnail: boolean) {
  const file = await readAttachment(deps.db, actor.companyId, id);
  if (!file) throw new NotFoundError();
  const request = { ...(await deps.visibleRequest(actor, file.requestId)), visible: true };
  if ((file.internal || file.comment?.internal) && !canSeeInternalNotes(actor, request)) throw new NotFoundError();
  const key = thumbnail ? file.thumbnailKey : file.storageKey;
  const opened = key ? await deps.attachments.storage.open(key) : null;
  if (!opened) throw new NotFoundError();
  return { file, opened };
}
