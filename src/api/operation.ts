// An API operation declared once: its path, scope and zod schemas. The router is mounted from the declarations and the
// OpenAPI document (openapi.ts) is generated from the very same ones, so the document cannot drift from the code.
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { Actor } from '../auth/index.js';
import type { Scope } from '../api-tokens/index.js';
import { NotFoundError } from '../web/errors.js';
import { requireScope } from './auth.js';

type AnyObject = z.ZodObject<z.ZodRawShape>;

export interface Answer {
  status: number;
  description: string;
  /** JSON schema of the answer; none for a file. */
  schema?: z.ZodType;
  /** A file: its media type in the document (`* / *`). */
  file?: true;
}

export interface Operation<
  P extends AnyObject = AnyObject,
  Q extends AnyObject = AnyObject,
  B extends z.ZodType = z.ZodType,
> {
  method: 'get' | 'post' | 'put';
  /** OpenAPI style: /requests/{id}. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  scope: Scope;
  params?: P;
  query?: Q;
  /** The JSON body (also accepted as multipart/form-data when `multipart`). */
  body?: B;
  /** Accepts multipart/form-data with `files` (the same fields as the JSON body). */
  multipart?: 'optional' | 'only';
  /** false: the handler reads the body itself (the schema only documents it). */
  parseBody?: false;
  answers: Answer[];
  /** Problem statuses besides those every operation can answer. */
  problems?: number[];
  handle: (call: {
    actor: Actor;
    params: z.output<P>;
    query: z.output<Q>;
    body: z.output<B>;
    req: Request;
    res: Response;
  }) => Promise<void>;
}

/** Declares an operation with its handler's input typed from its schemas. */
export function operation<P extends AnyObject, Q extends AnyObject, B extends z.ZodType>(
  op: Operation<P, Q, B>,
): Operation {
  return op as unknown as Operation;
}

const expressPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

/** Mounts the operations on the router: scope, then path (a malformed id is a 404), query and body (422). */
export function mountOperations(router: Router, ops: readonly Operation[]) {
  // Fixed segments before parameters: /requests/{id}/comments is not the action "comments".
  const params = (op: Operation) => (op.path.match(/\{/g) ?? []).length;
  for (const op of [...ops].sort((a, b) => params(a) - params(b))) {
    router[op.method](expressPath(op.path), async (req: Request, res: Response) => {
      requireScope(req, op.scope);
      const params = op.params ? op.params.safeParse(req.params) : { success: true as const, data: {} };
      if (!params.success) throw new NotFoundError();
      const query = (op.query ?? z.object({})).parse(req.query ?? {});
      const body = op.body && op.parseBody !== false ? op.body.parse(req.body ?? {}) : undefined;
      await op.handle({ actor: req.principal!.actor, params: params.data, query, body, req, res });
    });
  }
}

/** Sends a JSON answer. */
export function reply(res: Response, status: number, body: unknown, location?: string) {
  if (location) res.location(location);
  res.status(status).json(body);
}
