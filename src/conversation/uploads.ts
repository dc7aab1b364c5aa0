// Multipart parsing for the forms that carry files. It runs BEFORE the CSRF check
// (app.ts) so the token travels in the form like everywhere else; it only runs for
// signed-in people, on the two routes that take files, with size/count limits, and
// keeps the files in memory: nothing reaches the storage until the CSRF check, the
// route's authorization and every file's content check have passed.
import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import { UploadRejected, megabytes, safeFileName, type IncomingFile, type UploadLimits } from './files.js';

export const UPLOAD_FIELD = 'archivos';
const MULTIPART_ROUTES = [/^\/solicitudes\/?$/, /^\/solicitudes\/\d+\/comentarios\/?$/];

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

export function multipartParser(limits: UploadLimits) {
  const upload = multer({
    storage: multer.memoryStorage(),
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
    if (
      req.method !== 'POST' ||
      !req.user ||
      !req.is('multipart/form-data') ||
      !MULTIPART_ROUTES.some((r) => r.test(req.path))
    )
      return next();
    upload(req, res, (err: unknown) => {
      if (!err) return next();
      if (err instanceof multer.MulterError) {
        parseErrors.set(req, rejectionOf(err, limits));
        req.files = [];
        req.body ??= {};
        return next();
      }
      next(err);
    });
  };
}

/** The files of this request's upload; throws the refusal when a limit was hit while parsing. */
export function uploadedFiles(req: Request): IncomingFile[] {
  const error = parseErrors.get(req);
  if (error) throw error;
  return Array.isArray(req.files) ? req.files : [];
}
