// The counter tables behind inbox tabs and navigation badges (migrations inbox_counts and
// authorizer_counts) must always equal counting the rows, whatever path changed them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadActor } from '../../src/auth/actor.js';
import { updateUnit } from '../../src/org/units/service.js';
import { purgeCompany } from '../../src/privacy/index.js';
import { scanReminders } from '../../src/reminders/index.js';
import { laneOf } from '../../src/requests/inbox.js';
import { ALL_STATUSES, lanePage } from '../../src/requests/inbox-queries.js';
import type { RequestStatus } from '../../src/generated/prisma/client.js';
import { buildApp, testConfig } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { makeCompany, makeOrg, makeUnit, makeUser } from '../support/factories.js';
import { postForm, signIn } from '../support/http.js';
import { act, submitThroughForm } from '../support/requests.js';

let db: TestDatabase & { drop(): Promise<void> };
let app: ReturnType<typeof buildApp>;
let org: Awaited<ReturnType<typeof makeOrg>>;
let other: Awaited<ReturnType<typeof makeOrg>>;

beforeAll(async () => {
  db = await createTestDatabase();
  org = await makeOrg(db.prisma);
  other = await makeOrg(db.prisma);
  app = buildApp(db);
});
afterAll(() => db.drop());

async function countersMatchRows() {
  const { rows: drift } = await db.pool.query(`
    WITH live AS (SELECT company_id, requester_id, requester_unit_id, service_area_id, status, count(*)::int AS n
                    FROM requests GROUP BY 1, 2, 3, 4, 5),
         kept AS (SELECT company_id, requester_id, requester_unit_id, service_area_id, status, n
                    FROM request_counts WHERE n <> 0)
    (SELECT * FROM live EXCEPT SELECT * FROM kept) UNION ALL (SELECT * FROM kept EXCEPT SELECT * FROM live)`);
  const { rows: ticketDrift } = await db.pool.query(`
    WITH live AS (SELECT company_id, worker_id, service_area_id, status, count(*)::int AS n
                    FROM tickets GROUP BY 1, 2, 3, 4),
         kept AS (SELECT company_id, worker_id, service_area_id, status, n FROM ticket_counts WHERE n <> 0)
    (SELECT * FROM live EXCEPT SELECT * FROM kept) UNION ALL (SELECT * FROM kept EXCEPT SELECT * FROM live)`);
  const { rows: authorizerDrift } = await db.pool.query(`
    WITH live AS (SELECT company_id, COALESCE(authorizer_unit_id, 0), awaiting_admins, status, count(*)::int
                    FROM requests WHERE authorizer_unit_id IS NOT NULL OR awaiting_admins GROUP BY 1, 2, 3, 4),
         kept AS (SELECT company_id, authorizer_unit_id, awaiting_admins, status, n
                    FROM request_authorizer_counts WHERE n <> 0)
    (SELECT * FROM live EXCEPT SELECT * FROM kept) UNION ALL (SELECT * FROM kept EXCEPT SELECT * FROM live)`);
  expect(drift).toEqual([]);
  expect(ticketDrift).toEqual([]);
  expect(authorizerDrift).toEqual([]);
}

const badge = (html: string, href: string) => new RegExp(`href="${href}"[\\s\\S]*?badge[^>]*>(\\d+)<`).exec(html)?.[1];
const navBadge = (html: string, href: string) =>
  new RegExp(`href="${href}"[^>]*>(?:(?!</a>)[\\s\\S])*?data-count>(\\d+)<`).exec(html)?.[1];
const tab = (html: string, key: string) => new RegExp(`data-tab="${key}"[\\s\\S]*?badge[^>]*>(\\d+)<`).exec(html)?.[1];

describe('inbox counters', () => {
  it('follow submissions, every transition, reassignment and deletion, in tabs and badges', async () => {
    type Agent = Awaited<ReturnType<typeof signIn>>;
    const [employee, head, services, worker, otherEmployee] = (await Promise.all(
      [org.employee, org.head, org.servicesHead, org.worker, other.employee].map((u) => signIn(app, u.email)),
    )) as [Agent, Agent, Agent, Agent, Agent];
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) ids.push(await submitThroughForm(employee, org));
    await submitThroughForm(otherEmployee, other);
    await countersMatchRows();

    let page = (await head.get('/autorizaciones').expect(200)).text;
    expect(tab(page, 'pendientes')).toBe('4');
    expect(badge(page, '/autorizaciones')).toBe('4');

    await act(head, ids[0]!, 'authorize');
    await act(head, ids[1]!, 'authorize');
    await act(head, ids[2]!, 'reject', { reason: 'No corresponde a esta unidad' });
    await act(employee, ids[3]!, 'cancel', { reason: 'Ya no hace falta' });
    await act(services, ids[0]!, 'approve', { workerId: String(org.worker.id), instructions: 'Revisar el tablero' });
    await countersMatchRows();

    page = (await services.get('/bandeja').expect(200)).text;
    expect(tab(page, 'por-decidir')).toBe('1');
    expect(tab(page, 'en-atencion')).toBe('1');
    expect(badge(page, '/bandeja')).toBe('1');
    page = (await worker.get('/mis-tickets').expect(200)).text;
    expect(badge(page, '/mis-tickets')).toBe('1');

    await act(services, ids[0]!, 'reassign', { workerId: String(org.worker2.id), reason: 'Cambio de turno' });
    await countersMatchRows();
    page = (await worker.get('/mis-tickets').expect(200)).text;
    expect(badge(page, '/mis-tickets')).toBe('0');

    // Rows removed by any path (here, straight SQL) leave the counters right as well.
    await db.pool.query('DELETE FROM request_events WHERE request_id = $1', [ids[3]]);
    await db.pool.query('DELETE FROM requests WHERE id = $1', [ids[3]]);
    await countersMatchRows();
    // The other company's request is counted for it alone.
    page = (await otherEmployee.get('/solicitudes').expect(200)).text;
    expect(tab(page, 'todas')).toBe('1');
  });

  it('are read for pages only: same person without them, and a post answering with a page works', async () => {
    const head = await signIn(app, org.head.email);
    const id = await submitThroughForm(await signIn(app, org.employee.email), org);
    const full = (await loadActor(db.prisma, org.head.id))!;
    const bare = (await loadActor(db.prisma, org.head.id, { waiting: false }))!;
    expect(full.waiting?.toAuthorize).toBeGreaterThan(0);
    expect(bare.waiting).toBeNull();
    expect({ ...bare, waiting: full.waiting }).toEqual(full);
    // A refused post (reason too short) answers 422 with its form page, which draws no counts.
    const res = await postForm(head, `/solicitudes/${id}`, `/solicitudes/${id}/reject`, { reason: 'no' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('name="reason"');
  });
  it("give the authorizers' tabs, badge and to-do the counts of their lists through every move", async () => {
    // Dirección (head) ⊃ Operaciones (head and a clerk); a service area; an admin in Dirección.
    const p = db.prisma;
    const c = (await makeCompany(p)).id;
    const top = await makeUnit(p, c, { name: 'Dirección' });
    const ops = await makeUnit(p, c, { name: 'Operaciones', parentId: top.id });
    const area = await makeUnit(p, c, { name: 'Mantenimiento', kind: 'SERVICE_AREA' });
    const director = await makeUser(p, c, { unitId: top.id, name: 'Directora' });
    const opsHead = await makeUser(p, c, { unitId: ops.id, name: 'Jefe Operaciones' });
    const clerk = await makeUser(p, c, { unitId: ops.id, name: 'Auxiliar' });
    const servicesHead = await makeUser(p, c, { unitId: area.id, name: 'Jefa Mantenimiento' });
    const admin = await makeUser(p, c, { unitId: top.id, isCompanyAdmin: true, name: 'Admin' });
    await p.unit.update({ where: { id: top.id }, data: { headId: director.id } });
    await p.unit.update({ where: { id: ops.id }, data: { headId: opsHead.id } });
    await p.unit.update({ where: { id: area.id }, data: { headId: servicesHead.id } });
    const category = await p.category.create({ data: { companyId: c, serviceAreaId: area.id, name: 'Goteras' } });
    const s = { area, category };
    const viewers = await Promise.all(
      [opsHead, director, admin].map(async (u) => ({ u, agent: await signIn(app, u.email) })),
    );
    const TABS: [string, RequestStatus[]][] = [
      ['todas', ALL_STATUSES],
      ['pendientes', ['PENDING']],
      ['autorizadas', ['AUTHORIZED']],
      ['en-atencion', ['APPROVED']],
      ['finalizadas', ['FINALIZED', 'CLOSED']],
      ['rechazadas', ['REJECTED']],
      ['canceladas', ['CANCELLED']],
    ];
    /** Every viewer's tabs equal the rows their list holds; badge and to-do equal a live count of what waits. */
    const countsMatchLists = async () => {
      await countersMatchRows();
      for (const { u, agent } of viewers) {
        const actor = (await loadActor(p, u.id))!;
        if (!actor.headedUnitIds.length && !actor.isCompanyAdmin) continue; // no inbox (a head removed meanwhile)
        const lane = laneOf(actor, { authorizerUnitIds: actor.headedUnitIds, awaitingAdmins: actor.isCompanyAdmin });
        const page = (await agent.get('/autorizaciones').expect(200)).text;
        for (const [key, statuses] of TABS) {
          const list = await lanePage(p, c, lane, {}, { statuses, skip: 0, take: 1000 });
          expect(tab(page, key), `${u.name}: ${key}`).toBe(String(list.length));
        }
        const [{ n }] = (
          await db.pool.query(
            `SELECT count(*)::int AS n FROM requests r
              WHERE r.company_id = $1 AND r.status = 'PENDING'
                AND (r.authorizer_unit_id = ANY($2::int[]) OR ($3 AND r.awaiting_admins AND r.requester_id <> $4))`,
            [c, actor.headedUnitIds, actor.isCompanyAdmin, u.id],
          )
        ).rows;
        expect(actor.waiting?.toAuthorize, u.name).toBe(n);
        expect(navBadge(page, '/autorizaciones') ?? '0', u.name).toBe(String(n));
        const home = (await agent.get('/').expect(200)).text;
        expect(/data-todo="authorize"[\s\S]*?data-count>(\d+)</.exec(home)?.[1], u.name).toBe(String(n));
      }
    };

    const taken = async (res: Promise<{ status: number; text: string }>) =>
      expect((await res).status, (await res).text.slice(0, 300)).toBe(302);
    const clerkAgent = await signIn(app, clerk.email);
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) ids.push(await submitThroughForm(clerkAgent, s));
    // The director's own request goes to the administrators.
    const toAdmins = await submitThroughForm(await signIn(app, director.email), s);
    expect((await p.request.findUniqueOrThrow({ where: { id: toAdmins } })).awaitingAdmins).toBe(true);
    await countsMatchLists();

    const opsAgent = viewers[0]!.agent;
    await taken(act(opsAgent, ids[0]!, 'authorize'));
    await taken(act(opsAgent, ids[1]!, 'reject', { reason: 'No corresponde a esta unidad' }));
    await taken(act(clerkAgent, ids[2]!, 'cancel', { reason: 'Ya no hace falta' }));
    await taken(act(viewers[2]!.agent, toAdmins, 'authorize'));
    await countsMatchLists();

    // Operaciones loses its head: its pending requests move up to Dirección (REROUTE).
    const adminActor = (await loadActor(p, admin.id))!;
    const unitInput = { id: ops.id, name: 'Operaciones', kind: 'REGULAR' as const, parentId: top.id };
    await updateUnit({ db: p }, adminActor, { ...unitInput, headId: null });
    expect((await p.request.findUniqueOrThrow({ where: { id: ids[3]! } })).authorizerUnitId).toBe(top.id);
    await countsMatchLists();
    await updateUnit({ db: p }, adminActor, { ...unitInput, headId: opsHead.id });
    await taken(act(viewers[1]!.agent, ids[3]!, 'authorize'));
    await countsMatchLists();

    // Weeks later, what still waits escalates up the chain (Dirección has nobody above: the administrators).
    const later = new Date(Date.now() + 60 * 24 * 3600_000);
    for (let i = 0; i < 3; i++) await scanReminders({ db: p }, later);
    const escalated = await p.requestEvent.count({ where: { companyId: c, action: 'ESCALATE' } });
    expect(escalated).toBeGreaterThan(0);
    expect((await p.request.findUniqueOrThrow({ where: { id: ids[4]! } })).authorizerUnitId).not.toBe(ops.id);
    await countsMatchLists();

    // Deleted by any path: one request by hand (its history first), then the whole company.
    for (const child of ['reminders', 'notifications', 'request_events'])
      await db.pool.query(`DELETE FROM ${child} WHERE request_id = $1`, [ids[5]]);
    await db.pool.query('DELETE FROM requests WHERE id = $1', [ids[5]]);
    await countsMatchLists();
    await purgeCompany({ db: p, config: testConfig() }, c);
    await countersMatchRows();
    const { rows: left } = await db.pool.query('SELECT * FROM request_authorizer_counts WHERE company_id = $1', [c]);
    expect(left).toEqual([]);
  });
});

describe("the administrators' list in every state", () => {
  it('is the newest requests of the company whatever their state, page after page, and only its own', async () => {
    const mixed = await makeOrg(db.prisma);
    const states = ALL_STATUSES;
    // 45 requests a minute apart, the states taking turns; the other company's are interleaved with them.
    for (const o of [mixed, other]) {
      await db.pool.query(
        `INSERT INTO requests (company_id, number, requester_id, requester_unit_id, authorizer_unit_id, service_area_id,
                               category_id, title, description, status, created_at, updated_at)
         SELECT $1::int, 1000 + g, $2, $3, $3, $4, $5, 'Mezcla ' || g || ' de ' || $1::int, 'Detalle',
                ($6::text[])[1 + g % 7]::"RequestStatus", now() - g * interval '1 minute', now()
           FROM generate_series(1, 45) g`,
        [o.companyId, o.employee.id, o.unit.id, o.area.id, o.category.id, states],
      );
    }
    const agent = await signIn(app, mixed.admin.email);
    const listed: number[] = [];
    for (const page of [1, 2, 3]) {
      const html = (await agent.get(`/empresa/solicitudes?tab=todas&page=${page}`).expect(200)).text;
      expect(html).not.toContain(`de ${other.companyId}<`);
      listed.push(
        ...[...html.matchAll(new RegExp(`Mezcla (\\d+) de ${mixed.companyId}<`, 'g'))].map((m) => Number(m[1])),
      );
    }
    expect(listed).toEqual(Array.from({ length: 45 }, (_, i) => i + 1));
    // The API's feed of the same list, in pages of 10 after a cursor, agrees.
    const actor = (await loadActor(db.prisma, mixed.admin.id))!;
    const lane = laneOf(actor, {});
    const first = await lanePage(db.prisma, mixed.companyId, lane, {}, { statuses: ALL_STATUSES, skip: 0, take: 10 });
    const last = first.at(-1)!;
    const next = await lanePage(
      db.prisma,
      mixed.companyId,
      lane,
      { after: { createdAt: last.createdAt, id: last.id } },
      { statuses: ALL_STATUSES, skip: 0, take: 10 },
    );
    const number = (r: { title: string }) => Number(r.title.split(' ')[1]);
    expect([...first, ...next].map(number)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });
});
