// Errors of the API as application/problem+json (RFC 9457): the one error family (src/web/errors.ts) with its
// status, the zod field errors of a validation, and who acted when a lifecycle step conflicts.
import type { NextFunction, Request, Response } from 'express';
import type { TFunction } from 'i18next';
import type { Logger } from 'pino';
import { z } from 'zod';
import { isConnectionError } from '../db/errors.js';
import { AppError, ERROR_STATUS, ValidationError } from '../web/errors.js';
import { fieldErrors } from '../web/fields.js';
import { DEFAULT_LANGUAGE, translator } from '../web/i18n.js';

export const PROBLEM_TYPE = 'application/problem+json';

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z.array(z.object({ pointer: z.string(), detail: z.string() })).optional(),
    conflict: z
      .object({
        event: z.string(),
        actor: z.string(),
        at: z.iso.datetime({ offset: true }),
        requestId: z.number().int(),
        number: z.number().int(),
      })
      .optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });
export type Problem = z.infer<typeof problemSchema>;

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};
const CODES = Object.fromEntries(Object.entries(ERROR_STATUS).map(([code, status]) => [status, code]));

/** The language of the problem's texts: English when the client prefers it, else Spanish. */
export function apiTranslator(req: Request): TFunction {
  return translator(req.acceptsLanguages('es', 'en') === 'en' ? 'en' : DEFAULT_LANGUAGE);
}

export function problem(req: Request, status: number, detail: string, extra: Partial<Problem> = {}): Problem {
  return {
    type: `urn:solicitudes:problem:${CODES[status] ?? (status >= 500 ? 'server' : 'client')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    instance: req.originalUrl,
    ...extra,
  };
}

const pointers = (fields: Record<string, string>) =>
  Object.entries(fields).map(([field, detail]) => ({ pointer: `#/${field}`, detail }));

/** A zod error of the API's input as the 422 ValidationError every form gets. */
export function validationProblem(req: Request, error: z.ZodError): Problem {
  const t = apiTranslator(req);
  return problem(req, 422, t('validation.invalid'), { errors: pointers(fieldErrors(error, t)) });
}

export function sendProblem(res: Response, p: Problem) {
  // json() keeps the type set here; the idempotency store sees every answer go through json().
  res.status(p.status).type(PROBLEM_TYPE).json(p);
}

/** The API's error middleware (the pages' one renders HTML). */
export function problemHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) {
      logger.error({ err, url: req.originalUrl }, 'API response failed after its headers were sent');
      res.destroy();
      return;
    }
    const t = apiTranslator(req);
    if (err instanceof z.ZodError) return sendProblem(res, validationProblem(req, err));
    if (err instanceof AppError) {
      const extra: Partial<Problem> = {};
      if (err instanceof ValidationError)
        extra.errors = pointers(Object.fromEntries(Object.entries(err.fields).map(([f, key]) => [f, t(key)])));
      if (err.code === 'conflict' && 'who' in err.params) {
        const p = err.params as { event: string; who: string; when: Date; requestId: number; number: number };
        extra.conflict = {
          event: p.event,
          actor: p.who,
          at: p.when.toISOString(),
          requestId: p.requestId,
          number: p.number,
        };
      }
      const retry = (err.params as { seconds?: number }).seconds;
      if (err.code === 'too_many_requests' && retry) res.set('Retry-After', String(retry));
      return sendProblem(res, problem(req, err.status, t(err.messageKey, err.params), extra));
    }
    if (isConnectionError(err)) {
      res.set('Retry-After', '5');
      return sendProblem(res, problem(req, 503, t('errors.unavailable.body')));
    }
    const status = (err as { status?: unknown })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const detail =
        (err as { type?: string }).type === 'entity.parse.failed' ? t('api.errors.badJson') : t('errors.title');
      return sendProblem(res, problem(req, status, detail));
    }
    logger.error({ err, url: req.originalUrl }, 'unhandled API error');
    sendProblem(res, problem(req, 500, t('errors.server.body')));
  };
}
