// The OpenAPI 3.1 document, generated from the operations' zod schemas (zod-openapi), built once per process.
import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { UPLOAD_FIELD } from '../conversation/index.js';
import type { Operation } from './operation.js';
import { PROBLEM_TYPE, problemSchema } from './problem.js';

const DESCRIPTIONS: Record<number, string> = {
  400: 'The body could not be read',
  401: 'Missing, unknown, revoked or expired token',
  403: 'The token or its principal may not do this',
  404: 'Missing, or not of the token’s company',
  409: 'Someone acted first (who and when in `conflict`), or the Idempotency-Key is still being processed',
  413: 'A file is too large',
  422: 'Invalid input (field errors in `errors`), or an Idempotency-Key reused with another request',
  429: 'Rate limit of the token exceeded (see RateLimit and Retry-After)',
};

const problemAnswer = (status: number) => ({
  description: DESCRIPTIONS[status] ?? 'Error',
  content: { [PROBLEM_TYPE]: { schema: problemSchema } },
});

const rateHeaders = {
  RateLimit: {
    description: 'IETF draft-8: remaining calls (r) and seconds to the window reset (t)',
    schema: z.string(),
  },
  'RateLimit-Policy': { description: 'IETF draft-8: calls (q) per window of w seconds', schema: z.string() },
};

const idempotencyHeader = z
  .string()
  .min(1)
  .max(255)
  .optional()
  .meta({ description: 'Any unique value; a retry with the same key and request gets the first answer again' });

function operationObject(op: Operation): ZodOpenApiOperationObject {
  const write = op.method !== 'get';
  const problems = [
    401,
    403,
    429,
    ...(op.params ? [404] : []),
    ...(op.query || op.body ? [422] : []),
    ...(write ? [409, 422] : []),
    ...(op.problems ?? []),
  ];
  const responses: Record<string, unknown> = {};
  for (const a of op.answers) {
    responses[String(a.status)] = {
      description: a.description,
      headers: rateHeaders,
      content: a.file
        ? { 'application/octet-stream': { schema: z.string().meta({ format: 'binary' }) } }
        : a.schema
          ? { 'application/json': { schema: a.schema } }
          : undefined,
    };
  }
  for (const status of [...new Set(problems)].sort()) responses[String(status)] = problemAnswer(status);
  const content: Record<string, { schema: z.ZodType }> = {};
  if (op.body && op.multipart !== 'only') content['application/json'] = { schema: op.body };
  if (op.body && op.multipart) {
    const files = z
      .array(z.string().meta({ format: 'binary' }))
      .optional()
      .meta({ description: 'Files' });
    content['multipart/form-data'] = {
      schema: (op.body as z.ZodObject<z.ZodRawShape>).extend({ [UPLOAD_FIELD]: files }),
    };
  }
  return {
    operationId: op.operationId,
    summary: op.summary,
    description: op.description,
    tags: [op.tag],
    requestParams: {
      ...(op.params ? { path: op.params } : {}),
      ...(op.query ? { query: op.query } : {}),
      ...(write ? { header: z.object({ 'Idempotency-Key': idempotencyHeader }) } : {}),
    },
    requestBody: op.body ? { required: true, content } : undefined,
    responses: responses as ZodOpenApiOperationObject['responses'],
  };
}

export function buildOpenApi(ops: readonly Operation[], serverUrl: string) {
  const paths: ZodOpenApiPathsObject = {};
  for (const op of ops) paths[op.path] = { ...paths[op.path], [op.method]: operationObject(op) };
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Solicitudes API',
      version: '1.0.0',
      description:
        'Service requests, tickets and the organisation of one company. Authenticate with `Authorization: Bearer ' +
        'sol_…` (tokens are created by company administrators in Administración → API). A token acts as its ' +
        'person (or, for an integration, as the administrator who created it, within its scopes) and can do ' +
        'exactly what that person can do in the browser. Errors are RFC 9457 problem details.',
    },
    servers: [{ url: `${serverUrl}/api/v1` }],
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  });
}
