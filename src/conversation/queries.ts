// The conversation's statements (Prisma where it reads well, raw SQL where measured faster:
// the detail page's comments and files). Internal notes and their files are left out in
// the query itself for those who may not read them.
import type { Actor } from '../auth/index.js';
import type { Db } from '../db/client.js';
import { rows } from '../db/sql.js';
import { Prisma } from '../generated/prisma/client.js';
import { outboxInsert } from '../notifications/index.js';
import type { StoredFile } from './attachments.js';
import { internalNoteAreas } from './policy.js';

export interface AttachmentRow {
  id: number;
  commentId: number | null;
  internal: boolean;
  fileName: string;
  mimeType: string;
  size: number;
  thumbnailKey: string | null;
  createdAt: Date;
}

export interface CommentRow {
  id: number;
  internal: boolean;
  body: string;
  createdAt: Date;
  author: { id: number; name: string };
}

type JsonComment = {
  id: number;
  internal: boolean;
  body: string;
  createdAt: string;
  author: { id: number; name: string };
};
type JsonFile = Omit<AttachmentRow, 'createdAt'> & { createdAt: string };

/** A conversation as its statement returns it: timestamps as text. */
export type ConversationJson = { comments: JsonComment[]; files: JsonFile[] };

/**
 * The comments and files of a request as two JSON columns, `comments` and `files`, for a statement that reads them
 * alone or beside the request (the detail page). Unless `seeNotes` (a boolean SQL expression) holds, notes and every
 * file of a note are left out, whatever the file's own flag says.
 */
export function conversationColumns(companyId: number, requestId: number, seeNotes: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
           COALESCE((SELECT json_agg(json_build_object('id', c.id, 'internal', c.internal, 'body', c.body,
                                                       'createdAt', c.created_at,
                                                       'author', json_build_object('id', u.id, 'name', u.name))
                                     ORDER BY c.created_at, c.id)
                       FROM (SELECT * FROM request_comments c
                              WHERE c.company_id = ${companyId}::int AND c.request_id = ${requestId}::int
                                AND (${seeNotes} OR NOT c.internal)
                              ORDER BY c.created_at, c.id LIMIT 500) c
                       JOIN users u ON u.company_id = ${companyId}::int AND u.id = c.author_id), '[]') AS comments,
           COALESCE((SELECT json_agg(json_build_object('id', a.id, 'commentId', a.comment_id, 'internal', a.internal,
                                                       'fileName', a.file_name, 'mimeType', a.mime_type,
                                                       'size', a.size, 'thumbnailKey', a.thumbnail_key,
                                                       'createdAt', a.created_at) ORDER BY a.created_at, a.id)
                       FROM (SELECT a.* FROM attachments a
                               LEFT JOIN request_comments ac
                                      ON ac.company_id = ${companyId}::int AND ac.id = a.comment_id
                              WHERE a.company_id = ${companyId}::int AND a.request_id = ${requestId}::int
                                AND (${seeNotes} OR (NOT a.internal AND (a.comment_id IS NULL OR NOT ac.internal)))
                              ORDER BY a.created_at, a.id LIMIT 500) a), '[]') AS files`;
}

/** Whether the actor's role reads notes of the request `alias` (a SQL expression; conversationOf decides exactly). */
export function notesByRole(actor: Actor, alias: string): Prisma.Sql {
  const areas = internalNoteAreas(actor);
  if (areas === 'all') return Prisma.sql`true`;
  return Prisma.sql`${Prisma.raw(alias)}.service_area_id = ANY(${areas}::int[])`;
}

/** The conversation's rows from its JSON columns. */
export function conversationRows(found: ConversationJson): { comments: CommentRow[]; files: AttachmentRow[] } {
  return {
    comments: found.comments.map((c) => ({ ...c, createdAt: new Date(c.createdAt) })),
    files: found.files.map((f) => ({ ...f, createdAt: new Date(f.createdAt) })),
  };
}

/** A file of the company with what its download rules need (null when not the company's). */
export function readAttachment(db: Db, companyId: number, id: number) {
  return db.attachment.findFirst({
    where: { id, companyId },
    select: {
      requestId: true,
      internal: true,
      fileName: true,
      mimeType: true,
      storageKey: true,
      thumbnailKey: true,
      comment: { select: { internal: true } },
    },
  });
}

export interface NewComment {
  companyId: number;
  requestId: number;
  authorId: number;
  internal: boolean;
  body: string;
  createdAt: Date;
}

/**
 * Inserts a comment, the rows of its stored files and its notification job (in the outbox) as ONE statement: they
 * commit together or not at all, in one round trip (through Prisma's interactive transaction the same work took
 * four round trips and most of a comment's CPU).
 */
export async function insertComment(db: Db, c: NewComment, files: readonly StoredFile[]): Promise<{ id: number }> {
  const col = <K extends keyof StoredFile>(k: K) => files.map((f) => f[k]);
  const [comment] = await rows<{ id: number }>(
    db,
    Prisma.sql`
    WITH comment AS (
      INSERT INTO request_comments (company_id, request_id, author_id, internal, body, created_at)
      VALUES (${c.companyId}::int, ${c.requestId}::int, ${c.authorId}::int, ${c.internal}::boolean, ${c.body}::text,
              ${c.createdAt}::timestamptz)
      RETURNING id),
    files AS (
      INSERT INTO attachments (company_id, request_id, comment_id, uploader_id, internal, created_at,
                               file_name, mime_type, size, storage_key, thumbnail_key)
      SELECT ${c.companyId}::int, ${c.requestId}::int, comment.id, ${c.authorId}::int, ${c.internal}::boolean,
             ${c.createdAt}::timestamptz, f.file_name, f.mime_type, f.size, f.storage_key, f.thumbnail_key
        FROM comment, unnest(${col('fileName')}::text[], ${col('mimeType')}::text[], ${col('size')}::int[],
                             ${col('storageKey')}::text[], ${col('thumbnailKey')}::text[])
                        AS f(file_name, mime_type, size, storage_key, thumbnail_key)),
    job AS (${outboxInsert({ companyId: c.companyId, commentId: Prisma.sql`(SELECT id FROM comment)` })})
    SELECT id::int AS id FROM comment`,
  );
  return comment!;
}
