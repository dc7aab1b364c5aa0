// Adding a comment or an internal note, with its files and its notification job, in one transaction.
import type { Db } from '../db/client.js';
import { enqueueCommentNotifications } from '../notifications/queue.js';
import type { Actor } from '../org/actor.js';
import { loadVisibleState } from '../requests/service.js';
import { ForbiddenError } from '../web/errors.js';
import { recordAttachments, type Attachments } from './attachments.js';
import type { PreparedFile } from './files.js';
import { canAddInternalNote, canComment } from './policy.js';

export interface ConversationDeps {
  db: Db;
  clock: () => Date;
  attachments: Attachments;
}

export interface CommentInput {
  body: string;
  internal: boolean;
}

/**
 * Adds a comment (seen by everyone who sees the request) or an internal note (service-area
 * staff and company admins only); a note's files are internal too. A request the person
 * cannot see is a 404; a note from someone who may not write one is a 403.
 */
export async function addComment(
  { db, clock, attachments }: ConversationDeps,
  actor: Actor,
  requestId: number,
  input: CommentInput,
  files: readonly PreparedFile[],
) {
  const state = await loadVisibleState(db, actor, requestId);
  if (input.internal ? !canAddInternalNote(actor, state) : !canComment(actor, state))
    throw new ForbiddenError('conversation.forbidden.note');
  const now = clock();
  return attachments.withStored(actor.companyId, files, (stored) =>
    db.$transaction(async (tx) => {
      const comment = await tx.requestComment.create({
        data: {
          companyId: actor.companyId,
          requestId: state.id,
          authorId: actor.id,
          internal: input.internal,
          body: input.body,
          createdAt: now,
        },
        select: { id: true },
      });
      await recordAttachments(tx, stored, {
        companyId: actor.companyId,
        requestId: state.id,
        commentId: comment.id,
        uploaderId: actor.id,
        internal: input.internal,
        createdAt: now,
      });
      // The other participants hear of it through the queue, committed with the comment or not at all.
      await enqueueCommentNotifications(tx, actor.companyId, comment.id);
      return comment;
    }),
  );
}
