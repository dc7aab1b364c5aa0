// /api/v1: bearer tokens only (no session, no CSRF), JSON in and out, problem details on errors, Idempotency-Key on
// writes; the OpenAPI document and its reference page (swagger-ui from node_modules, no CDN) are public.
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { AccountLinkDeps } from '../accounts/index.js';
import { multipartParser, type Attachments } from '../conversation/index.js';
import { namingPool } from '../db/sql.js';
import { NotFoundError } from '../web/errors.js';
import { inputGuard } from '../web/input-guard.js';
import { bearerAuth } from './auth.js';
import { idempotency } from './idempotency.js';
import { buildOpenApi } from './openapi.js';
import { mountOperations } from './operation.js';
import { orgOperations } from './org-routes.js';
import { problemHandler } from './problem.js';
import { requestOperations } from './request-routes.js';

export interface ApiDeps extends AccountLinkDeps {
  pool: pg.Pool;
  logger: Logger;
  attachments: Attachments;
  surveyKey: string;
}

/** The API's calls that may carry files (multipart/form-data). */
const MULTIPART = [/^\/requests\/?$/, /^\/requests\/\d+\/(comments|attachments)\/?$/];

/** Only the reference page's own files; swagger-ui styles its widgets inline. */
const DOCS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'; form-action 'none'";

export function apiRoutes(deps: ApiDeps) {
  const ops = [...requestOperations(deps), ...orgOperations(deps)];
  let document: string | undefined;
  const v1 = Router();
  v1.get('/openapi.json', (_req, res) => {
    document ??= JSON.stringify(buildOpenApi(ops, deps.config.appUrl));
    res.type('application/json').send(document);
  });
  v1.get('/docs', (_req, res) => {
    res.set('Content-Security-Policy', DOCS_CSP).render('api/docs');
  });
  v1.use(bearerAuth(deps));
  v1.use(multipartParser(deps.attachments.limits, deps.config.UPLOAD_DIR, MULTIPART));
  v1.use(inputGuard);
  v1.use(idempotency(namingPool(deps.pool)));
  const calls = Router();
  mountOperations(calls, ops);
  v1.use(calls);

  const api = Router();
  api.use(express.json({ limit: '200kb' }));
  api.use('/v1', v1);
  api.use((_req: Request, _res: Response, next: NextFunction) => next(new NotFoundError()));
  api.use(problemHandler(deps.logger));
  return { router: api, operations: ops };
}
