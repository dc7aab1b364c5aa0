// Multipart parsing for the forms that carry files. It runs BEFORE the CSRF check
// (app.ts) so the token travels in the form like everywhere else; it only runs for
// signed-in people, on the two routes that take files (and for anyone on a portal's guest form), with
// size/count limits.
// Files are streamed to temporary files under UPLOAD_DIR/.incoming (memory stays
// bounded whatever the upload) and removed when the response ends: a checked file
// is moved into the storage before that, a refused one is simply left to go.
// Nothing reaches the storage until the CSRF check, the route's authorization and
// every file's content check have passed.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import { BadRequestError } from '../web/errors.js';
import {
  UPLOAD_FIELD,
  UploadRejected,
  megabytes,
  safeFileName,
  type IncomingFile,
  type UploadLimits,
} from './files.js';

export { UPLOAD_FIELD };

const MULTIPART_ROUTES = [/^\/solicitudes\/?$/, /^\/solicitudes\/\d+\/(comentarios|editar)\/?$/];
/** The one form with files anyone may post without signing in: a guest's request on a company's portal. */
const PUBLIC_MULTIPART_ROUTES = [/^\/p\/[a-z0-9-]{3,40}\/solicitud\/?$/];
/** Temporary files older than this were left by a process that died mid-request. */
const STALE_MS = 60 * 60 * 1000;

/** A limit hit while parsing is shown next to the field, like any other refusal. */
const parseErrors = new WeakMap<Request, UploadRejected>();

function rejectionOf(err: multer.MulterError, limits: UploadLimits): UploadRejected {
  switch (err.code) {
    case 'LIMIT_FILE_SIZE':
      return new UploadRejected('conversation.files.tooLarge', {
        name: safeFileName(String((err as { filename?: unknown }).filename ?? '')),
        max: megabytes(limits.maxBytes),
      });
    case 'LIMIT_FILE_COUNT':
      return new UploadRejected('conversation.files.tooMany', { max: limits.maxFiles });
    default:
      return new UploadRejected('conversation.files.invalidUpload');
  }
}

/** The folder of the temporary files of uploads in progress. */
export const incomingDirOf = (uploadDir: string) => path.join(uploadDir, '.incoming');

/** Removes temporary files a dead process left behind (never those of uploads still in progress elsewhere). */
async function sweepStale(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const now = Date.now();
  for (const name of names) {
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => null);
    if (info && now - info.mtimeMs > STALE_MS) await rm(file, { force: true });
  }
}

function removeFiles(files: unknown): void {
  if (!Array.isArray(files)) return;
  for (const f of files as { path?: unknown }[]) {
    if (typeof f.path === 'string') void rm(f.path, { force: true }).catch(() => undefined);
  }
}

/** Parses the uploads of the multipart posts to `routes` (the pages' forms with files by default). */
export function multipartParser(limits: UploadLimits, uploadDir: string, routes: readonly RegExp[] = MULTIPART_ROUTES) {
  const dir = incomingDirOf(uploadDir);
  let ready: Promise<unknown> | undefined;
  const storage = multer.diskStorage({
    destination: (_req, _file, cb) => {
      ready ??= mkdir(dir, { recursive: true, mode: 0o750 }).then(() => void sweepStale(dir));
      ready.then(
        () => cb(null, dir),
        (err: Error) => {
          ready = undefined;
          cb(err, dir);
        },
      );
    },
    filename: (_req, _file, cb) => cb(null, randomBytes(16).toString('hex')),
  });
  const upload = multer({
    storage,
    limits: {
      fileSize: limits.maxBytes,
      files: limits.maxFiles,
      fields: 40,
      fieldSize: 64 * 1024,
      parts: limits.maxFiles + 40,
    },
    defParamCharset: 'utf8',
  } as multer.Options).array(UPLOAD_FIELD);
  return (req: Request, res: Response, next: NextFunction) => {
    // Signed in (a session or an API token): the given routes; anyone: the public forms with files (the portal).
    const allowed = req.user ? [...routes, ...PUBLIC_MULTIPART_ROUTES] : PUBLIC_MULTIPART_ROUTES;
    if (req.method !== 'POST' || !req.is('multipart/form-data') || !allowed.some((r) => r.test(req.path)))
      return next();
    // Whatever happens next (refusal, error, success), the temporary files go with the response.
    res.once('close', () => removeFiles(req.files));
    upload(req, res, (err: unknown) => {
      if (!err) return next();
      removeFiles(req.files);
      if (err instanceof multer.MulterError) {
        parseErrors.set(req, rejectionOf(err, limits));
        req.files = [];
        req.body ??= {};
        return next();
      }
      // Busboy's own errors (no boundary, a truncated body, a malformed header…): the body can't be read at all.
      if (isParseError(err)) return next(new BadRequestError());
      next(err);
    });
  };
}

/** Errors of reading the request's body, as opposed to the server's own (a full disk…). */
function isParseError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as NodeJS.ErrnoException).code;
  // Errors of the temporary file (ENOSPC, EACCES…) carry a system code; the parser's carry none or ECONNRESET.
  return code === undefined || code === 'ECONNRESET' || code === 'ECONNABORTED' || err.message === 'aborted';
}

/** The files of this request's upload; throws the refusal when a limit was hit while parsing. */
export function uploadedFiles(req: Request): IncomingFile[] {
  const error = parseErrors.get(req);
  if (error) throw error;
  return Array.isArray(req.files) ? (req.files as IncomingFile[]) : [];
}
