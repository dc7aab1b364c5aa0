import type { Express } from 'express';
import request from 'supertest';
import { PASSWORD } from './factories.js';

/** The CSRF token embedded in a page's forms. */
export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token in page');
  return m[1]!;
}

/** A supertest agent (keeps cookies) signed in as `email`. */
export async function signIn(app: Express, email: string, password = PASSWORD) {
  const agent = request.agent(app);
  const page = await agent.get('/login').expect(200);
  const res = await agent
    .post('/login')
    .type('form')
    .send({ email, password, _csrf: csrfFrom(page.text) });
  if (res.status !== 302) throw new Error(`sign-in of ${email} failed with ${res.status}`);
  return agent;
}

/** Posts a form with the CSRF token of `fromPath`. */
export async function postForm(agent: request.Agent, fromPath: string, path: string, fields: Record<string, string>) {
  const page = await agent.get(fromPath);
  return agent
    .post(path)
    .type('form')
    .send({ ...fields, _csrf: csrfFrom(page.text) });
}

export interface UploadFile {
  name: string;
  data: Buffer;
}

/** Posts a multipart form (text fields and files) with the CSRF token of `fromPath`; `_csrf: null` sends none. */
export async function postMultipart(
  agent: request.Agent,
  fromPath: string,
  path: string,
  fields: Record<string, string>,
  files: UploadFile[] = [],
  csrf: string | null = 'from-page',
) {
  let req = agent.post(path);
  if (csrf !== null) req = req.field('_csrf', csrf === 'from-page' ? csrfFrom((await agent.get(fromPath)).text) : csrf);
  for (const [name, value] of Object.entries(fields)) req = req.field(name, value);
  for (const f of files) req = req.attach('archivos', f.data, f.name);
  return req;
}
