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
  const res = await agent.post('/login').type('form').send({ email, password, _csrf: csrfFrom(page.text) });
  if (res.status !== 302) throw new Error(`sign-in of ${email} failed with ${res.status}`);
  return agent;
}

/** Posts a form with the CSRF token of `fromPath`. */
export async function postForm(agent: request.Agent, fromPath: string, path: string, fields: Record<string, string>) {
  const page = await agent.get(fromPath);
  return agent.post(path).type('form').send({ ...fields, _csrf: csrfFrom(page.text) });
}
