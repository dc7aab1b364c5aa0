import type request from 'supertest';
import { expect } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { postForm, postMultipart, type UploadFile } from './http.js';

type Org = { area: { id: number }; category: { id: number } };

/** Submits a request through the form (multipart, as the browser sends it, optionally with files); returns its id. */
export async function submitThroughForm(
  agent: request.Agent,
  org: Org,
  fields: Record<string, string> = {},
  files: UploadFile[] = [],
) {
  const res = await postMultipart(
    agent,
    '/solicitudes/nueva',
    '/solicitudes',
    {
      serviceAreaId: String(org.area.id),
      categoryId: String(org.category.id),
      title: 'Fuga de agua en el baño',
      description: 'El lavamanos gotea desde ayer y moja el piso.',
      priority: 'HIGH',
      location: 'Piso 2',
      ...fields,
    },
    files,
  );
  expect(res.status, res.text.slice(0, 500)).toBe(302);
  const id = Number(/\/solicitudes\/(\d+)$/.exec(String(res.headers.location))?.[1]);
  expect(id).toBeGreaterThan(0);
  return id;
}

/** Posts an action form from the request's detail page. */
export function act(agent: request.Agent, id: number, action: string, fields: Record<string, string> = {}) {
  return postForm(agent, '/', `/solicitudes/${id}/${action}`, fields);
}

export async function snapshot(db: Db, id: number) {
  return db.request.findUniqueOrThrow({
    where: { id },
    include: { ticket: true, events: { orderBy: { id: 'asc' } } },
  });
}
