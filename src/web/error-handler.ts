import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { DEFAULT_LANGUAGE, translator } from './i18n.js';
import { isConnectionError } from '../db/errors.js';
import { AppError, NotFoundError } from './errors.js';

const titles: Record<number, string> = {
  400: 'errors.badRequest.title',
  403: 'errors.forbidden.title',
  404: 'errors.notFound.title',
  409: 'errors.conflict.title',
  413: 'errors.tooLarge.title',
  429: 'errors.tooMany.title',
  503: 'errors.unavailable.title',
};

export function notFoundHandler(_req: Request, _res: Response, next: NextFunction) {
  next(new NotFoundError());
}

/** The one error middleware: AppErrors become their code's status; anything else is a logged 500. */
export function errorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) {
      // A streamed response (a CSV export…) failed half-way: cut the connection so the client sees a failure
      // instead of waiting for the rest of a body that will never come.
      logger.error({ err, url: req.originalUrl }, 'response failed after its headers were sent');
      res.destroy();
      return;
    }
    // The database is away (restarting, unreachable): a 503 the client may retry, not a 500.
    if (!(err instanceof AppError) && isConnectionError(err)) {
      logger.warn({ err: String(err), url: req.originalUrl }, 'database unavailable');
      res.set('Retry-After', '5');
      err = new AppError('unavailable', 'errors.unavailable.body');
    }
    const t = req.t ?? translator(DEFAULT_LANGUAGE);
    let status = 500;
    let title = 'errors.server.title';
    let message = t('errors.server.body');
    if (err instanceof AppError) {
      status = err.status;
      title = titles[status] ?? 'errors.title';
      message = t(err.messageKey, err.params);
    } else if (isCsrfError(err)) {
      status = 403;
      title = 'errors.csrf.title';
      message = t('errors.csrf.body');
    } else if (isClientError(err)) {
      status = (err as { status: number }).status;
      title = titles[status] ?? 'errors.title';
      message = status === 404 ? t('errors.notFound.body') : t('errors.title');
    } else {
      logger.error({ err, url: req.originalUrl }, 'unhandled error');
    }
    res.status(status);
    if (req.accepts(['html', 'json']) === 'json') {
      res.json({ error: message });
      return;
    }
    res.locals.t ??= t;
    res.locals.lang ??= DEFAULT_LANGUAGE;
    res.locals.nav ??= [];
    res.locals.flash ??= [];
    // An error raised before the page locals were set (the session store failing while the database is away):
    // the layout still renders. A 503 makes no session for a CSRF token it could not save anyway.
    res.locals.currentPath ??= req.path;
    res.locals.currentUser ??= null;
    if (status === 503 || !res.locals.csrfToken) res.locals.csrfToken = () => '';
    res.render('errors/error', { title: t(title), status, message });
  };
}

function isCsrfError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === 'EBADCSRFTOKEN';
}

/** Errors from body parsers and the like carry a 4xx status of their own. */
function isClientError(err: unknown): boolean {
  const status = (err as { status?: unknown })?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}
