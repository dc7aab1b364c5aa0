import type { NextFunction, Request, Response } from 'express';
import type { Actor } from './actor.js';
import { ForbiddenError } from '../web/errors.js';

/** Pages for signed-in people: anyone else is sent to the sign-in page and brought back afterwards. */
export function requireAuth(req: Request, res: Response, next: NextFunction) {
  if (req.user) return next();
  if (req.method === 'GET') {
    const target = req.originalUrl.startsWith('/') && !req.originalUrl.startsWith('//') ? req.originalUrl : '/';
    res.redirect(`/login?next=${encodeURIComponent(target)}`);
    return;
  }
  res.status(401).redirect('/login');
}

/** Role gate for a whole router; the predicate is a named policy function. */
export function requireRole(allowed: (actor: Actor) => boolean, messageKey = 'errors.forbidden.body') {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (req.user && allowed(req.user)) return next();
    next(new ForbiddenError(messageKey));
  };
}

/** The signed-in person; only call behind requireAuth. */
export function actorOf(req: Request): Actor {
  if (!req.user) throw new ForbiddenError();
  return req.user;
}
