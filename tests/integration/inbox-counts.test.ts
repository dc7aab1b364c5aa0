// The counter tables behind inbox tabs and navigation badges (migration inbox_counts)
// must always equal counting the rows, whatever path changed them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadActor } from '../../src/auth/actor.js';
import { buildApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { makeOrg } from '../support/factories.js';
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
  expect(drift).toEqual([]);
  expect(ticketDrift).toEqual([]);
}

const badge = (html: string, href: string) => new RegExp(`href="${href}"[\\s\\S]*?badge[^>]*>(\\d+)<`).exec(html)?.[1];
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
});
