// The conversation on a request: posting comments and internal notes (with files) and
// downloading attachments through an authorized route. The requests feature mounts these
// routes and gives them its detail page and its visibility rule.
import type { Request, Response } from 'express';
import { Router } from 'express';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { actorOf } from '../auth/index.js';
import { fieldErrors, idParam, optionalTextField } from '../web/fields.js';
import { flash } from '../web/flash.js';
import { safeReturn, withReturn } from '../web/safe-next.js';
import { ACCEPT, INLINE_TYPES, UploadRejected, megabytes, type PreparedFile } from './files.js';
import { formatText } from './format.js';
import { addCommentTo, commentTarget, openAttachment, type ConversationDeps } from './service.js';
import { UPLOAD_FIELD } from './uploads.js';

export type DetailRenderer = (
  req: Request,
  res: Response,
  id: number,
  form?: { action?: string; errors?: Record<string, string>; values?: Record<string, unknown> },
) => Promise<void>;

const COMMENT_MAX = 4000;
const commentFormSchema = z.object({
  body: optionalTextField(COMMENT_MAX, { multiline: true }).transform((v) => v ?? ''),
  internal: z
    .string()
    .optional()
    .transform((v) => v === '1'),
});

/** `attachment` or `inline`, with the name in ASCII and in UTF-8 (RFC 6266 / 5987). */
export function contentDisposition(type: 'attachment' | 'inline', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%;]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** "350 KB", "1.2 MB". */
export function formatSize(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${megabytes(bytes)} MB`;
}

/** The file field's error message, or the files when every one passed. */
async function readFiles(req: Request, deps: ConversationDeps): Promise<{ files: PreparedFile[]; error?: string }> {
  try {
    return { files: await deps.attachments.fromRequest(req) };
  } catch (err) {
    if (err instanceof UploadRejected) return { files: [], error: req.t(err.messageKey, err.params) };
    throw err;
  }
}

async function sendAttachment(deps: ConversationDeps, req: Request, res: Response, thumbnail: boolean) {
  const { file, opened } = await openAttachment(deps, actorOf(req), idParam(req.params.id), thumbnail);
  const inline = thumbnail || INLINE_TYPES.has(file.mimeType);
  res.set({
    'Content-Type': thumbnail ? 'image/webp' : file.mimeType,
    'Content-Length': String(opened.size),
    'Content-Disposition': contentDisposition(
      inline ? 'inline' : 'attachment',
      thumbnail ? `${file.fileName}.webp` : file.fileName,
    ),
    'X-Content-Type-Options': 'nosniff',
    // Even if a browser rendered it, a file could run nothing and reach nothing.
    'Content-Security-Policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'private, max-age=300',
  });
  try {
    await pipeline(opened.stream, res);
  } catch (err) {
    // The person closed the page mid-download: nothing to answer.
    if ((err as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw err;
  }
}

export function conversationRoutes(deps: ConversationDeps, renderDetail: DetailRenderer) {
  const { attachments } = deps;
  const router = Router();
  const upload = {
    field: UPLOAD_FIELD,
    accept: ACCEPT,
    maxMb: megabytes(attachments.limits.maxBytes),
    maxFiles: attachments.limits.maxFiles,
  };

  router.use((_req, res, next) => {
    res.locals.upload = upload;
    res.locals.formatText = formatText;
    res.locals.formatSize = formatSize;
    next();
  });

  router.post('/solicitudes/:id/comentarios', async (req, res) => {
    const id = idParam(req.params.id);
    const actor = actorOf(req);
    const parsed = commentFormSchema.safeParse(req.body ?? {});
    const internal = parsed.success && parsed.data.internal;
    // Who may write here is settled before the form is checked (a 404 or 403 is not a form error).
    const target = await commentTarget(deps, actor, id, internal);
    const errors: Record<string, string> = parsed.success ? {} : fieldErrors(parsed.error, req.t);
    const { files, error } = await readFiles(req, deps);
    if (error) errors[UPLOAD_FIELD] = error;
    if (parsed.success && !parsed.data.body && files.length === 0 && !error)
      errors.body = req.t('conversation.errors.empty');
    if (!parsed.success || Object.keys(errors).length > 0) {
      res.status(422);
      return renderDetail(req, res, id, { action: 'comment', errors, values: req.body ?? {} });
    }
    const comment = await addCommentTo(deps, actor, target, parsed.data, files);
    flash(req, 'success', req.t(internal ? 'conversation.noteAdded' : 'conversation.commentAdded'));
    res.redirect(`${withReturn(`/solicitudes/${id}`, safeReturn(req.query.volver))}#comentario-${comment.id}`);
  });

  router.get('/adjuntos/:id', (req, res) => sendAttachment(deps, req, res, false));
  router.get('/adjuntos/:id/miniatura', (req, res) => sendAttachment(deps, req, res, true));

  return router;
}
