// PostgreSQL can't store U+0000 in text: a NUL byte anywhere in a request (its path, query string, form values or the
// names of uploaded files) would fail deep in a statement as a 500. Such a request is refused at the door with a 400.
// Other control characters are refused field by field by the shared text fields (fields.ts), with the form kept.
import type { NextFunction, Request, Response } from 'express';
import { BadRequestError } from './errors.js';

/** A raw path can carry it percent-encoded. */
const ENCODED_NUL = /%00/;

/** Strings (in objects and arrays, however nested) holding U+0000; keys count too. */
export function containsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  // Body parsers nest only a few levels; anything deeper is refused as unreadable anyway.
  if (depth > 20) return true;
  if (Array.isArray(value)) return value.some((v) => containsNul(v, depth + 1));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).some(([k, v]) => k.includes('\u0000') || containsNul(v, depth + 1));
  }
  return false;
}

function uploadedNames(files: Request['files']): string[] {
  const list = Array.isArray(files) ? files : Object.values(files ?? {}).flat();
  return list.map((f) => f.originalname);
}

/** Mounted after every body parser (urlencoded and multipart). */
export function inputGuard(req: Request, _res: Response, next: NextFunction) {
  const path = req.originalUrl.split('?')[0] ?? '';
  if (
    ENCODED_NUL.test(path) ||
    containsNul(req.query) ||
    containsNul(req.body) ||
    containsNul(uploadedNames(req.files))
  ) {
    return next(new BadRequestError('errors.controlCharacters'));
  }
  next();
}
