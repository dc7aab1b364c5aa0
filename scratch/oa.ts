import { z } from 'zod';
import { createDocument } from 'zod-openapi';
import { newRequestSchema, commentSchema } from '../src/requests/schemas.ts';
const idField2 = z.unknown().transform((v) => Number(v)).meta({ type: 'integer', minimum: 1 } as never);
const out = z.object({ id: z.number().int(), when: z.date(), s: z.enum(['A','B']).nullable() }).meta({ id: 'Thing' });
const doc = createDocument({
  openapi: '3.1.0', info: { title: 't', version: '1' },
  paths: { '/x/{id}': { post: {
    requestParams: { path: z.object({ id: idField2 }) , query: z.object({ cursor: z.string().optional() })},
    requestBody: { content: { 'application/json': { schema: newRequestSchema }, 'multipart/form-data': { schema: newRequestSchema.extend({ files: z.array(z.string().meta({format:'binary'} as never)).optional() }) } } },
    responses: { 200: { description: 'ok', content: { 'application/json': { schema: out } } } } } } },
});
console.log(JSON.stringify(doc, null, 1).slice(0, 3500));
console.log(JSON.stringify(createDocument({openapi:'3.1.0',info:{title:'t',version:'1'},paths:{'/c':{post:{requestBody:{content:{'application/json':{schema:commentSchema}}},responses:{200:{description:'x'}}}}}}).paths));
