// Idempotency-Key on API writes (as the IETF draft and the payment APIs have it): the first call with a key claims it
// and its answer is stored; a retry with the same key and the same request gets that answer again without writing,
// one with another request a 422, one while the first is still running a 409. An answer of 5xx frees the key. The
// key belongs to the token (keys of different tokens never meet). Like the one-time form keys (src/submissions).
import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type pg from 'pg';
import { ConflictError, ValidationError } from '../web/errors.js';
import {
  claimIdempotencyKey,
  pruneIdempotencyKeys,
  recordAnswer,
  releaseIdempotencyKey,
  storedAnswer,
  type IdempotencyKey,
} from './queries.js';

const KEY = /^[\x21-\x7e]{1,255}$/;
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const PRUNE_EVERY = 500;

/** What makes two calls "the same request": method, path and query, body, and the files' names, types and sizes. */
function requestHash(req: Request): string {
  const files = Array.isArray(req.files) ? req.files.map((f) => [f.originalname, f.mimetype, f.size]) : [];
  return createHash('sha256')
    .update(JSON.stringify([req.method, req.originalUrl, req.body ?? null, files]))
    .digest('hex');
}

export function idempotency(pool: pg.Pool) {
  let writes = 0;
  return async (req: Request, res: Response, next: NextFunction) => {
    const raw = req.get('idempotency-key');
    if (!WRITES.has(req.method) || raw === undefined || !req.principal) return next();
    if (!KEY.test(raw)) throw new ValidationError({ 'Idempotency-Key': 'api.errors.idempotencyKey' });
    const k: IdempotencyKey = { companyId: req.principal.actor.companyId, tokenId: req.principal.tokenId, key: raw };
    const hash = requestHash(req);
    if (++writes % PRUNE_EVERY === 0) void pruneIdempotencyKeys(pool).catch(() => undefined);

    if (await claimIdempotencyKey(pool, k, hash)) {
      // The answer is stored before it leaves: a client holding it that retries gets it again.
      const json = res.json.bind(res);
      res.json = ((body: unknown) => {
        const settled =
          res.statusCode >= 500
            ? releaseIdempotencyKey(pool, k)
            : recordAnswer(pool, k, {
                status: res.statusCode,
                body,
                location: (res.get('location') as string) ?? null,
              });
        void settled
          .catch((err: unknown) => req.log?.warn({ err }, 'idempotency key not settled'))
          .then(() => json(body));
        return res;
      }) as Response['json'];
      return next();
    }
    const stored = await storedAnswer(pool, k);
    if (!stored) throw new ConflictError('api.errors.idempotencyPending');
    if (stored.requestHash !== hash)
      throw new ValidationError(
        { 'Idempotency-Key': 'api.errors.idempotencyMismatch' },
        'api.errors.idempotencyMismatch',
      );
    if (stored.status === null) {
      res.set('Retry-After', '1');
      throw new ConflictError('api.errors.idempotencyPending');
    }
    res.set('Idempotent-Replayed', 'true');
    if (stored.location) res.set('Location', stored.location);
    if (stored.status >= 400) res.type('application/problem+json');
    res.status(stored.status).json(stored.body);
  };
}
