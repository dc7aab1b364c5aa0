// Bearer tokens on every /api call (no session, no CSRF): the token's principal becomes the call's actor, as a
// signed-in person is on the pages; its rate-limit window is reported in the RateLimit headers (IETF draft 8).
import type { NextFunction, Request, Response } from 'express';
import { authenticate, scopeAllows, type ApiPrincipal, type Scope } from '../api-tokens/index.js';
import type { Db } from '../db/client.js';
import { AppError, ForbiddenError } from '../web/errors.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The API token's principal (set by bearerAuth). */
      principal?: ApiPrincipal;
    }
  }
}

export function bearerAuth(deps: { db: Db; clock: () => Date }) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const principal = await authenticate(deps, match?.[1]);
    const { limit, remaining, resetSeconds, exceeded } = principal.rate;
    res.set('RateLimit-Policy', `"token";q=${limit};w=60`);
    res.set('RateLimit', `"token";r=${remaining};t=${resetSeconds}`);
    if (exceeded) throw new AppError('too_many_requests', 'api.errors.rateLimited', { seconds: resetSeconds });
    req.principal = principal;
    // The use cases, the upload parser and the logs read the actor where the pages put it.
    req.user = principal.actor;
    next();
  };
}

/** The scope a call needs; a token without it gets a 403 whatever its principal could do. */
export function requireScope(req: Request, scope: Scope): void {
  if (!req.principal || !scopeAllows(req.principal.scopes, scope))
    throw new ForbiddenError('api.errors.scope', { scope });
}
