// /api/v1/units, /people, /categories: the organisation's use cases (src/org) behind the same rule as the
// Administración pages (company administrators), plus the catalogue a person may request from.
import type { AccountLinkDeps } from '../accounts/index.js';
import { isCompanyAdmin, type Actor } from '../auth/index.js';
import {
  createUnit,
  deactivatePerson,
  invitePerson,
  listCatalogue,
  listPeople,
  listUnits,
  reactivatePerson,
  saveCategory,
  updatePerson,
  updateUnit,
} from '../org/index.js';
import { loadRequestForm } from '../requests/index.js';
import { ForbiddenError } from '../web/errors.js';
import { operation, reply, type Operation } from './operation.js';
import * as s from './schemas.js';

/** The Administración pages' guard. */
function admin(actor: Actor): void {
  if (!isCompanyAdmin(actor)) throw new ForbiddenError();
}

const created = { status: 201, description: 'Created', schema: s.idOut };
const saved = { status: 200, description: 'Saved', schema: s.idOut };

export function orgOperations(deps: AccountLinkDeps): Operation[] {
  return [
    operation({
      method: 'get',
      path: '/units',
      operationId: 'listUnits',
      summary: 'The units (administrators)',
      tag: 'Organisation',
      scope: 'read',
      answers: [{ status: 200, description: 'Every unit, each after its parent', schema: s.unitList }],
      async handle({ actor, res }) {
        admin(actor);
        const units = await listUnits(deps, actor);
        reply(res, 200, {
          items: units.map((u) => ({
            id: u.id,
            name: u.name,
            kind: u.kind,
            parentId: u.parentId,
            headId: u.headId,
            head: u.head,
            active: u.active,
            members: u._count.members,
          })),
        });
      },
    }),
    operation({
      method: 'post',
      path: '/units',
      operationId: 'createUnit',
      summary: 'Create a unit',
      tag: 'Organisation',
      scope: 'admin',
      body: s.unitBody,
      answers: [created],
      async handle({ actor, body, res }) {
        admin(actor);
        const unit = await createUnit(deps, actor, body);
        reply(res, 201, { id: unit.id });
      },
    }),
    operation({
      method: 'put',
      path: '/units/{id}',
      operationId: 'updateUnit',
      summary: 'Change a unit',
      tag: 'Organisation',
      scope: 'admin',
      params: s.idPath,
      body: s.unitBody,
      answers: [saved],
      async handle({ actor, params, body, res }) {
        admin(actor);
        await updateUnit(deps, actor, { ...body, id: params.id });
        reply(res, 200, { id: params.id });
      },
    }),
    operation({
      method: 'get',
      path: '/people',
      operationId: 'listPeople',
      summary: 'The people (administrators)',
      tag: 'Organisation',
      scope: 'read',
      query: s.peopleQuery,
      answers: [{ status: 200, description: 'A page of people', schema: s.personList }],
      async handle({ actor, query, res }) {
        admin(actor);
        const { items, page } = await listPeople(deps, actor, query);
        reply(res, 200, {
          items: items.map(({ hasPassword: _invited, ...p }) => p),
          page: { page: page.page, pages: page.pages, total: page.total },
        });
      },
    }),
    operation({
      method: 'post',
      path: '/people',
      operationId: 'invitePerson',
      summary: 'Invite a person (an invitation is mailed)',
      tag: 'Organisation',
      scope: 'admin',
      body: s.invitePersonBody,
      answers: [created],
      async handle({ actor, body, res }) {
        admin(actor);
        const person = await invitePerson(deps, actor, body);
        reply(res, 201, { id: person.id });
      },
    }),
    operation({
      method: 'put',
      path: '/people/{id}',
      operationId: 'updatePerson',
      summary: 'Change a person',
      tag: 'Organisation',
      scope: 'admin',
      params: s.idPath,
      body: s.updatePersonBody,
      answers: [saved],
      async handle({ actor, params, body, res }) {
        admin(actor);
        await updatePerson(deps, actor, { ...body, id: params.id });
        reply(res, 200, { id: params.id });
      },
    }),
    operation({
      method: 'post',
      path: '/people/{id}/deactivate',
      operationId: 'deactivatePerson',
      summary: 'Deactivate a person',
      tag: 'Organisation',
      scope: 'admin',
      params: s.idPath,
      answers: [saved],
      async handle({ actor, params, res }) {
        admin(actor);
        await deactivatePerson(deps, actor, { id: params.id });
        reply(res, 200, { id: params.id });
      },
    }),
    operation({
      method: 'post',
      path: '/people/{id}/reactivate',
      operationId: 'reactivatePerson',
      summary: 'Reactivate a person',
      tag: 'Organisation',
      scope: 'admin',
      params: s.idPath,
      answers: [saved],
      async handle({ actor, params, res }) {
        admin(actor);
        await reactivatePerson(deps, actor, { id: params.id });
        reply(res, 200, { id: params.id });
      },
    }),
    operation({
      method: 'get',
      path: '/categories',
      operationId: 'listCategories',
      summary: 'The service catalogue: all of it for administrators, what the person may request for others',
      tag: 'Organisation',
      scope: 'read',
      answers: [{ status: 200, description: 'Service areas with their categories', schema: s.catalogueOut }],
      async handle({ actor, res }) {
        if (isCompanyAdmin(actor)) {
          const areas = await listCatalogue(deps, actor);
          return reply(res, 200, { items: areas.map(({ id, name, categories }) => ({ id, name, categories })) });
        }
        const { areas } = await loadRequestForm(deps, actor);
        // The form's categories also carry their fields' definitions, which the API does not describe (yet).
        const items = areas.map((a) => ({
          id: a.id,
          name: a.name,
          categories: a.categories.map((c) => ({
            id: c.id,
            name: c.name,
            needsAuthorization: c.needsAuthorization,
            description: c.description ?? null,
          })),
        }));
        reply(res, 200, { items });
      },
    }),
    operation({
      method: 'post',
      path: '/categories',
      operationId: 'createCategory',
      summary: 'Create a category of a service area',
      tag: 'Organisation',
      scope: 'admin',
      body: s.categoryBody,
      answers: [created],
      async handle({ actor, body, res }) {
        admin(actor);
        reply(res, 201, await saveCategory(deps, actor, { ...body, id: null }));
      },
    }),
    operation({
      method: 'put',
      path: '/categories/{id}',
      operationId: 'updateCategory',
      summary: 'Change a category',
      tag: 'Organisation',
      scope: 'admin',
      params: s.idPath,
      body: s.categoryBody,
      answers: [saved],
      async handle({ actor, params, body, res }) {
        admin(actor);
        reply(res, 200, await saveCategory(deps, actor, { ...body, id: params.id }));
      },
    }),
  ];
}
