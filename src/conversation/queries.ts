// What of the conversation a person may see on the detail and print pages. Internal
// notes and their files are left out in the query itself for everyone else.
import type { Db } from '../db/client.js';
import { rows } from '../db/sql.js';
import { Prisma } from '../generated/prisma/client.js';
import type { Actor } from '../org/actor.js';
import type { RequestState } from '../requests/lifecycle.js';
import { canAddInternalNote, canComment, canSeeInternalNotes } from './policy.js';

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

interface TimelineEvent {
  createdAt: Date;
  id: bigint;
}
export type TimelineItem<E extends TimelineEvent> =
  | { kind: 'event'; at: Date; event: E }
  | {
      kind: 'comment';
      at: Date;
      comment: {
        id: number;
        internal: boolean;
        body: string;
        createdAt: Date;
        author: { id: number; name: string };
        files: AttachmentRow[];
      };
    };

type JsonComment = {
  id: number;
  internal: boolean;
  body: string;
  createdAt: string;
  author: { id: number; name: string };
};
type JsonFile = Omit<AttachmentRow, 'createdAt'> & { createdAt: string };

/**
 * The comments and files of a request someone may see, in one statement (the detail
 * page is read often). Without the right to read internal notes, notes and every file
 * of a note are left out, whatever the file's own flag says.
 */
function conversationSql(companyId: number, requestId: number, seeNotes: boolean): Prisma.Sql {
  return Prisma.sql`
    SELECT COALESCE((SELECT json_agg(json_build_object('id', c.id, 'internal', c.internal, 'body', c.body, 'createdAt', c.created_at,
                                                       'author', json_build_object('id', u.id, 'name', u.name)) ORDER BY c.created_at, c.id)
                       FROM (SELECT * FROM request_comments c
                              WHERE c.company_id = ${companyId} AND c.request_id = ${requestId} AND (${seeNotes}::boolean OR NOT c.internal)
                              ORDER BY c.created_at, c.id LIMIT 500) c
                       JOIN users u ON u.company_id = c.company_id AND u.id = c.author_id), '[]') AS comments,
           COALESCE((SELECT json_agg(json_build_object('id', a.id, 'commentId', a.comment_id, 'internal', a.internal, 'fileName', a.file_name,
                                                       'mimeType', a.mime_type, 'size', a.size, 'thumbnailKey', a.thumbnail_key,
                                                       'createdAt', a.created_at) ORDER BY a.created_at, a.id)
                       FROM (SELECT a.* FROM attachments a
                               LEFT JOIN request_comments ac ON ac.company_id = a.company_id AND ac.id = a.comment_id
                              WHERE a.company_id = ${companyId} AND a.request_id = ${requestId}
                                AND (${seeNotes}::boolean OR (NOT a.internal AND (a.comment_id IS NULL OR NOT ac.internal)))
                              ORDER BY a.created_at, a.id LIMIT 500) a), '[]') AS files`;
}

/** Lifecycle events and comments in one list, oldest first (an event before a comment of the same instant). */
export function buildTimeline<E extends TimelineEvent>(
  events: readonly E[],
  comments: readonly Extract<TimelineItem<E>, { kind: 'comment' }>['comment'][],
): TimelineItem<E>[] {
  const items: TimelineItem<E>[] = [
    ...events.map((event) => ({ kind: 'event' as const, at: event.createdAt, event })),
    ...comments.map((comment) => ({ kind: 'comment' as const, at: comment.createdAt, comment })),
  ];
  const rank = (i: TimelineItem<E>) => (i.kind === 'event' ? 0 : 1);
  return items.sort((a, b) => a.at.getTime() - b.at.getTime() || rank(a) - rank(b));
}

export async function loadConversation<E extends TimelineEvent>(
  db: Db,
  actor: Actor,
  request: RequestState & { id: number; events: readonly E[] },
) {
  const seeNotes = canSeeInternalNotes(actor, request);
  const [found] = await rows<{ comments: JsonComment[]; files: JsonFile[] }>(
    db,
    conversationSql(actor.companyId, request.id, seeNotes),
  );
  const comments = found!.comments.map((c) => ({ ...c, createdAt: new Date(c.createdAt) }));
  const files: AttachmentRow[] = found!.files.map((f) => ({ ...f, createdAt: new Date(f.createdAt) }));
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
