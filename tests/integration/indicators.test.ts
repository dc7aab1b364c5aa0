// Indicators on a small dataset with exact timestamps (America/Bogota, UTC−5 all year,
// and America/Santiago, whose DST ends at 2026-04-05 03:00Z).
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Priority, RequestStatus, TicketStatus } from '../../src/generated/prisma/client.js';
import { loadActor } from '../../src/auth/actor.js';
import { dashboardFigures, filterOptionsSql, OVERDUE_LIMIT } from '../../src/indicators/queries.js';
import { parseFilters } from '../../src/indicators/schema.js';
import {
  filterOptions,
  loadDashboard,
  loadIndicatorsPage,
  queryContext,
  type Dashboard,
} from '../../src/indicators/service.js';
import { buildApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { makeOrg, makeUnit, makeUser } from '../support/factories.js';
import { signIn } from '../support/http.js';

const NOW = new Date('2026-03-10T15:00:00Z'); // 10:00 in Bogotá
const at = (iso: string) => new Date(iso);

let db: TestDatabase & { drop(): Promise<void> };
let app: Express;
let A: Awaited<ReturnType<typeof makeOrg>>;
let B: Awaited<ReturnType<typeof makeOrg>>;
let unit2: { id: number };
let head2: { id: number; email: string };
let cat2: { id: number };
const ids: Record<string, number> = {};
const numbers = new Map<number, number>();

interface Spec {
  org: typeof A;
  requesterId?: number;
  unitId?: number;
  categoryId?: number;
  priority?: Priority;
  status: RequestStatus;
  createdAt: string;
  authorizedAt?: string;
  authorizedById?: number;
  approvedAt?: string;
  rejectedAt?: string;
  rejectionStage?: 'UNIT' | 'SERVICES';
  cancelledAt?: string;
  finalizedAt?: string;
  /** Stored due dates; by default an approved request of the 48 h category is due 48 h after submission. */
  responseDueAt?: string;
  resolutionDueAt?: string;
  ticket?: { workerId: number; status: TicketStatus; startedAt?: string; finishedAt?: string };
}

async function insert(key: string, s: Spec) {
  const companyId = s.org.companyId;
  const number = (numbers.get(companyId) ?? 0) + 1;
  numbers.set(companyId, number);
  const r = await db.prisma.request.create({
    data: {
      companyId,
      number,
      requesterId: s.requesterId ?? s.org.employee.id,
      requesterUnitId: s.unitId ?? s.org.unit.id,
      serviceAreaId: s.org.area.id,
      categoryId: s.categoryId ?? s.org.category.id,
      title: `Solicitud ${key}`,
      description: 'Prueba',
      priority: s.priority ?? 'MEDIUM',
      status: s.status,
      createdAt: at(s.createdAt),
      authorizedAt: s.authorizedAt ? at(s.authorizedAt) : null,
      authorizedById: s.authorizedAt ? (s.authorizedById ?? s.org.head.id) : null,
      approvedAt: s.approvedAt ? at(s.approvedAt) : null,
      approvedById: s.approvedAt ? s.org.servicesHead.id : null,
      rejectedAt: s.rejectedAt ? at(s.rejectedAt) : null,
      rejectionStage: s.rejectionStage ?? null,
      rejectionReason: s.rejectedAt ? 'Sin presupuesto' : null,
      cancelledAt: s.cancelledAt ? at(s.cancelledAt) : null,
      finalizedAt: s.finalizedAt ? at(s.finalizedAt) : null,
      responseDueAt: s.responseDueAt ? at(s.responseDueAt) : null,
      resolutionDueAt: s.resolutionDueAt
        ? at(s.resolutionDueAt)
        : s.approvedAt && !s.categoryId
          ? new Date(at(s.createdAt).getTime() + 48 * 3600_000)
          : null,
    },
  });
  if (s.ticket) {
    await db.prisma.ticket.create({
      data: {
        companyId,
        number,
        requestId: r.id,
        serviceAreaId: s.org.area.id,
        workerId: s.ticket.workerId,
        assignedById: s.org.servicesHead.id,
        instructions: 'Atender',
        status: s.ticket.status,
        assignedAt: at(s.approvedAt!),
        startedAt: s.ticket.startedAt ? at(s.ticket.startedAt) : null,
        finishedAt: s.ticket.finishedAt ? at(s.ticket.finishedAt) : null,
      },
    });
  }
  ids[key] = r.id;
}

async function dashboardFor(userId: number, query: Record<string, string>, now = NOW): Promise<Dashboard> {
  const actor = (await loadActor(db.prisma, userId))!;
  const filters = parseFilters(query, now, actor.timezone);
  const ctx = queryContext(actor, filters, now);
  const options = await filterOptions(db.prisma, actor, ctx.scope);
  return loadDashboard(db.prisma, ctx, options.categories);
}

const MARCH = { desde: '2026-03-01', hasta: '2026-03-10' };

beforeAll(async () => {
  db = await createTestDatabase();
  app = buildApp(db, {}, () => NOW);
  A = await makeOrg(db.prisma);
  B = await makeOrg(db.prisma);
  await db.prisma.company.update({ where: { id: B.companyId }, data: { timezone: 'America/Santiago' } });
  unit2 = await makeUnit(db.prisma, A.companyId, { name: 'Bodega' });
  head2 = await makeUser(db.prisma, A.companyId, { unitId: unit2.id, name: 'Jefe Bodega' });
  await db.prisma.unit.update({ where: { id: unit2.id }, data: { headId: head2.id } });
  cat2 = await db.prisma.category.create({
    data: { companyId: A.companyId, serviceAreaId: A.area.id, name: 'Sin meta', resolutionHours: null },
  });

  // Current period (1–10 March in Bogotá = [03-01T05:00Z, 03-11T05:00Z)).
  // r1 is submitted at 23:30 on 1 March local time (already 2 March in UTC) and finalized 24 h later.
  await insert('r1', {
    org: A,
    status: 'FINALIZED',
    createdAt: '2026-03-02T04:30:00Z',
    authorizedAt: '2026-03-02T06:30:00Z',
    approvedAt: '2026-03-02T16:30:00Z',
    finalizedAt: '2026-03-03T04:30:00Z',
    ticket: {
      workerId: A.worker.id,
      status: 'DONE',
      startedAt: '2026-03-02T20:30:00Z',
      finishedAt: '2026-03-03T04:30:00Z',
    },
  });
  await insert('r2', {
    org: A,
    status: 'FINALIZED',
    priority: 'HIGH',
    createdAt: '2026-03-05T12:00:00Z',
    authorizedAt: '2026-03-05T16:00:00Z',
    approvedAt: '2026-03-06T12:00:00Z',
    finalizedAt: '2026-03-08T12:00:00Z',
    ticket: {
      workerId: A.worker.id,
      status: 'DONE',
      startedAt: '2026-03-06T14:00:00Z',
      finishedAt: '2026-03-08T12:00:00Z',
    },
  });
  // Submitted exactly at local midnight of 6 March; still pending (106 h old, target 48 h).
  await insert('r3', { org: A, status: 'PENDING', createdAt: '2026-03-06T05:00:00Z' });
  await insert('r4', {
    org: A,
    unitId: unit2.id,
    categoryId: cat2.id,
    status: 'REJECTED',
    createdAt: '2026-03-07T10:00:00Z',
    authorizedAt: '2026-03-07T18:00:00Z',
    authorizedById: head2.id,
    rejectedAt: '2026-03-08T02:00:00Z',
    rejectionStage: 'SERVICES',
  });
  await insert('r5', {
    org: A,
    status: 'REJECTED',
    createdAt: '2026-03-09T03:00:00Z',
    rejectedAt: '2026-03-09T05:00:00Z',
    rejectionStage: 'UNIT',
  });
  await insert('r6', {
    org: A,
    status: 'CANCELLED',
    createdAt: '2026-03-09T20:00:00Z',
    cancelledAt: '2026-03-10T01:00:00Z',
  });
  // A unit head's own request: authorized by submitting it (no waiting time to measure); its response was due
  // 30 minutes before now.
  await insert('r7', {
    org: A,
    requesterId: A.head.id,
    status: 'AUTHORIZED',
    createdAt: '2026-03-10T14:00:00Z',
    authorizedAt: '2026-03-10T14:00:00Z',
    authorizedById: A.head.id,
    responseDueAt: '2026-03-10T14:30:00Z',
  });
  // Previous period (19–28 February).
  await insert('r8', {
    org: A,
    status: 'FINALIZED',
    createdAt: '2026-02-20T15:00:00Z',
    authorizedAt: '2026-02-20T21:00:00Z',
    approvedAt: '2026-02-21T15:00:00Z',
    finalizedAt: '2026-02-22T15:00:00Z',
    ticket: {
      workerId: A.worker.id,
      status: 'DONE',
      startedAt: '2026-02-21T17:00:00Z',
      finishedAt: '2026-02-22T15:00:00Z',
    },
  });
  await insert('r9', {
    org: A,
    status: 'APPROVED',
    createdAt: '2026-02-25T15:00:00Z',
    authorizedAt: '2026-02-25T17:00:00Z',
    approvedAt: '2026-02-26T15:00:00Z',
    ticket: { workerId: A.worker2.id, status: 'ASSIGNED' },
  });
  // Submitted in January, started and finalized in the current period.
  await insert('r10', {
    org: A,
    status: 'FINALIZED',
    createdAt: '2026-01-10T15:00:00Z',
    authorizedAt: '2026-01-10T16:00:00Z',
    approvedAt: '2026-01-12T15:00:00Z',
    finalizedAt: '2026-03-04T15:00:00Z',
    ticket: {
      workerId: A.worker2.id,
      status: 'DONE',
      startedAt: '2026-03-03T15:00:00Z',
      finishedAt: '2026-03-04T15:00:00Z',
    },
  });

  // Closed long before the previous period: read by no figure of March (the dashboard
  // only reads requests open now or closed since the previous period began).
  await insert('r11', {
    org: A,
    status: 'FINALIZED',
    createdAt: '2025-11-03T15:00:00Z',
    authorizedAt: '2025-11-03T16:00:00Z',
    approvedAt: '2025-11-04T15:00:00Z',
    finalizedAt: '2025-11-06T15:00:00Z',
    ticket: {
      workerId: A.worker.id,
      status: 'DONE',
      startedAt: '2025-11-05T15:00:00Z',
      finishedAt: '2025-11-06T15:00:00Z',
    },
  });

  // Company B (Santiago): the same dates must never count for A.
  for (const [i, iso] of ['2026-03-02T04:30:00Z', '2026-03-05T12:00:00Z', '2026-02-25T15:00:00Z'].entries()) {
    await insert(`b-march-${i}`, { org: B, status: 'PENDING', createdAt: iso });
  }
  // Around the end of Chile's DST (2026-04-05 03:00Z: 24:00 −03 becomes 23:00 −04).
  await insert('b0', { org: B, status: 'PENDING', createdAt: '2026-04-04T02:30:00Z' }); // 3 Apr 23:30 −03
  await insert('b1', { org: B, status: 'PENDING', createdAt: '2026-04-05T02:30:00Z' }); // 4 Apr 23:30 −03
  await insert('b2', { org: B, status: 'PENDING', createdAt: '2026-04-05T03:30:00Z' }); // 4 Apr 23:30 −04
  await insert('b3', { org: B, status: 'PENDING', createdAt: '2026-04-05T04:30:00Z' }); // 5 Apr 00:30 −04
  await insert('b4', { org: B, status: 'PENDING', createdAt: '2026-04-06T03:30:00Z' }); // 5 Apr 23:30 −04
});

afterAll(async () => {
  await db?.drop();
});

describe('indicators: figures (company admin, America/Bogota)', () => {
  let d: Dashboard;
  beforeAll(async () => {
    d = await dashboardFor(A.admin.id, MARCH);
  });

  it('counts each step in the period in which it happened, and the previous period apart', () => {
    expect(d.summary.current.volumes).toEqual({
      received: 7,
      authorized: 4,
      rejectedUnit: 1,
      rejectedServices: 1,
      approved: 2,
      finalized: 3,
      cancelled: 1,
    });
    expect(d.summary.previous.volumes).toEqual({
      received: 2,
      authorized: 2,
      rejectedUnit: 0,
      rejectedServices: 0,
      approved: 2,
      finalized: 1,
      cancelled: 0,
    });
    expect(d.previous).toEqual({ from: '2026-02-19', to: '2026-02-28' });
  });

  it('computes exact medians, 90th percentiles and means per stage', () => {
    const s = d.summary.current.stages;
    // Self-authorized r7 is left out: 2 h, 4 h, 8 h.
    expect(s.submittedToAuthorized).toMatchObject({ count: 3, median: 4 });
    expect(s.submittedToAuthorized.p90).toBeCloseTo(7.2, 9);
    expect(s.submittedToAuthorized.mean).toBeCloseTo(14 / 3, 9);
    // Approved 10 h, approved 20 h, rejected by services 8 h.
    expect(s.authorizedToDecided).toMatchObject({ count: 3, median: 10 });
    expect(s.authorizedToDecided.p90).toBeCloseTo(18, 9);
    // r10 waited 50 days to start.
    expect(s.approvedToStarted).toMatchObject({ count: 3, median: 4, mean: 402 });
    expect(s.approvedToStarted.p90).toBeCloseTo(960.8, 9);
    expect(s.startedToFinished).toMatchObject({ count: 3, median: 24 });
    expect(s.startedToFinished.p90).toBeCloseTo(41.6, 9);
    expect(s.cycle).toMatchObject({ count: 3, median: 72, mean: (24 + 72 + 1272) / 3 });
    expect(s.cycle.p90).toBeCloseTo(1032, 9);
    expect(d.summary.previous.stages.cycle).toMatchObject({ count: 1, median: 48 });
    expect(d.summary.previous.stages.submittedToAuthorized).toMatchObject({ count: 2, median: 4 });
  });

  it('computes SLA compliance, the comparison deltas and the overdue open requests', () => {
    expect(d.slaOverall.current).toBeCloseTo(1 / 3, 9);
    expect(d.slaOverall.previous).toBe(1);
    const byKey = new Map(d.headlines.map((h) => [h.key, h.delta]));
    expect(byKey.get('volumes.received')).toMatchObject({
      current: 7,
      previous: 2,
      change: 5,
      relative: 2.5,
      direction: 'up',
    });
    expect(byKey.get('volumes.cancelled')).toMatchObject({ change: 1, relative: null, direction: 'up' });
    expect(byKey.get('volumes.approved')).toMatchObject({ change: 0, direction: 'same' });
    expect(byKey.get('stages.cycle')).toMatchObject({ current: 72, previous: 48, change: 24, direction: 'up' });
    expect(byKey.get('sla.compliance')!.change).toBeCloseTo(-2 / 3, 9);
    expect(byKey.get('sla.compliance')!.direction).toBe('down');
    const sla = d.sla.find((s) => s.id === A.category.id)!;
    expect(sla).toMatchObject({ slaHours: 48, finalized: 3, within: 1, overdueOpen: 2 });
    expect(d.sla.find((s) => s.id === cat2.id)).toMatchObject({ slaHours: null, compliance: null, finalized: 0 });
    // Overdue = past the stored due date that applies now (r9's resolution, r7's response), earliest due first;
    // r3 is pending: no due date runs before authorization.
    expect(d.overdue.map((o) => o.id)).toEqual([ids.r9, ids.r7]);
    expect(d.overdue[1]).toMatchObject({ ageHours: 1, slaHours: 48, state: 'AUTHORIZED' });
    expect(d.overdue[1]!.dueAt).toEqual(new Date('2026-03-10T14:30:00Z'));
  });

  it('shows the open backlog by state with its age', () => {
    expect(d.backlog.map((b) => [b.state, b.count])).toEqual([
      ['PENDING', 1],
      ['AUTHORIZED', 1],
      ['ASSIGNED', 1],
      ['IN_PROGRESS', 0],
    ]);
    expect(d.backlog[0]!.oldestAgeHours).toBe(106);
    expect(d.openNow).toBe(3);
  });

  it('groups days in the company time zone and rebuilds the backlog curve', () => {
    const days = Object.fromEntries(d.days.map((x) => [x.day, [x.received, x.finalized, x.backlog]]));
    expect(days).toEqual({
      '2026-03-01': [1, 0, 3],
      '2026-03-02': [0, 1, 2],
      '2026-03-03': [0, 0, 2],
      '2026-03-04': [0, 1, 1],
      '2026-03-05': [1, 0, 2],
      '2026-03-06': [1, 0, 3],
      '2026-03-07': [1, 0, 3],
      '2026-03-08': [1, 1, 3],
      '2026-03-09': [1, 0, 2],
      '2026-03-10': [1, 0, 3],
    });
  });

  it('breaks down by unit, category and worker', () => {
    expect(
      d.byUnit.map((u) => ({ id: u.id, requests: u.requests, rejected: u.rejected, median: u.medianCycleHours })),
    ).toEqual([
      { id: A.unit.id, requests: 6, rejected: 1, median: 48 },
      { id: unit2.id, requests: 1, rejected: 1, median: null },
    ]);
    expect(d.byCategory.map((c) => [c.id, c.requests, c.rejected])).toEqual([
      [A.category.id, 6, 1],
      [cat2.id, 1, 1],
    ]);
    expect(d.byWorker).toEqual([
      { id: A.worker.id, name: A.worker.name, finished: 2, medianExecutionHours: 27, openLoad: 0 },
      { id: A.worker2.id, name: A.worker2.name, finished: 1, medianExecutionHours: 24, openLoad: 1 },
    ]);
  });
});

describe('indicators: filters and scope', () => {
  it('filters by priority, category, unit, worker and service area', async () => {
    expect((await dashboardFor(A.admin.id, { ...MARCH, prioridad: 'HIGH' })).summary.current.volumes.received).toBe(1);
    expect(
      (await dashboardFor(A.admin.id, { ...MARCH, categoria: String(cat2.id) })).summary.current.volumes,
    ).toMatchObject({ received: 1, rejectedServices: 1 });
    expect(
      (await dashboardFor(A.admin.id, { ...MARCH, unidad: String(unit2.id) })).summary.current.volumes.received,
    ).toBe(1);
    const w2 = await dashboardFor(A.admin.id, { ...MARCH, trabajador: String(A.worker2.id) });
    expect(w2.summary.current.volumes).toMatchObject({ received: 0, finalized: 1 });
    expect(w2.openNow).toBe(1);
    expect(
      (await dashboardFor(A.admin.id, { ...MARCH, area: String(A.area.id) })).summary.current.volumes.received,
    ).toBe(7);
  });

  it("matches nothing with another company's ids", async () => {
    const d = await dashboardFor(A.admin.id, { ...MARCH, area: String(B.area.id) });
    expect(d.summary.current.volumes.received).toBe(0);
    expect(d.openNow).toBe(0);
    expect(d.empty).toBe(true);
    expect(
      (await dashboardFor(A.admin.id, { ...MARCH, unidad: String(B.unit.id) })).summary.current.volumes.received,
    ).toBe(0);
  });

  it("limits a unit head to their units' requests and a services head to their area", async () => {
    const h2 = await dashboardFor(head2.id, MARCH);
    expect(h2.summary.current.volumes).toMatchObject({ received: 1, rejectedServices: 1, finalized: 0 });
    expect(h2.byUnit.map((u) => u.id)).toEqual([unit2.id]);
    const h1 = await dashboardFor(A.head.id, MARCH);
    expect(h1.summary.current.volumes.received).toBe(6);
    expect(h1.openNow).toBe(3);
    const sh = await dashboardFor(A.servicesHead.id, MARCH);
    expect(sh.summary.current.volumes.received).toBe(7);
  });

  it('never counts another company: B sees only its own requests', async () => {
    const d = await dashboardFor(B.admin.id, MARCH);
    expect(d.summary.current.volumes.received).toBe(2);
    expect(d.summary.previous.volumes.received).toBe(1);
  });

  it('groups days correctly across the end of DST in America/Santiago', async () => {
    const d = await dashboardFor(
      B.admin.id,
      { desde: '2026-04-04', hasta: '2026-04-05' },
      new Date('2026-04-10T12:00:00Z'),
    );
    expect(d.bounds.from.toISOString()).toBe('2026-04-04T03:00:00.000Z');
    expect(d.bounds.to.toISOString()).toBe('2026-04-06T04:00:00.000Z');
    expect(d.summary.current.volumes.received).toBe(4);
    expect(d.days.map((x) => [x.day, x.received])).toEqual([
      ['2026-04-04', 2],
      ['2026-04-05', 2],
    ]);
  });
});

describe('indicators: the page in one statement', () => {
  it('lists the filter options of each scope, ordered by name', async () => {
    const admin = (await loadActor(db.prisma, A.admin.id))!;
    const o = await filterOptions(
      db.prisma,
      admin,
      queryContext(admin, parseFilters(MARCH, NOW, admin.timezone), NOW).scope,
    );
    expect(o.serviceAreas).toEqual([{ id: A.area.id, name: A.area.name }]);
    expect(o.units.map((u) => u.id).sort()).toEqual([A.unit.id, unit2.id].sort());
    expect(o.units.map((u) => u.name)).toEqual(
      [...o.units.map((u) => u.name)].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)),
    );
    expect(o.categories.map((c) => c.id).sort()).toEqual([A.category.id, cat2.id].sort());
    expect(o.categories.find((c) => c.id === cat2.id)).toEqual({
      id: cat2.id,
      name: 'Sin meta',
      slaHours: null,
      serviceAreaId: A.area.id,
    });
    expect(o.workers.map((w) => w.name)).toEqual(['Trabajador Dos', 'Trabajador Uno']);
    // A unit head: only their own unit, but every service area (their staff may send anywhere).
    const h2 = (await loadActor(db.prisma, head2.id))!;
    const o2 = await filterOptions(db.prisma, h2, queryContext(h2, parseFilters(MARCH, NOW, h2.timezone), NOW).scope);
    expect(o2.units).toEqual([{ id: unit2.id, name: 'Bodega' }]);
    expect(o2.serviceAreas.map((a) => a.id)).toEqual([A.area.id]);
    // Another company's admin never sees A's options.
    const b = (await loadActor(db.prisma, B.admin.id))!;
    const ob = await filterOptions(db.prisma, b, queryContext(b, parseFilters(MARCH, NOW, b.timezone), NOW).scope);
    expect(ob.units.map((u) => u.id)).not.toContain(A.unit.id);
    expect(ob.categories.map((c) => c.id)).toEqual([B.category.id]);
  });

  it('gives the same options and figures as the separate calls, for every scope and filter', async () => {
    const cases: [number, Record<string, string>][] = [
      [A.admin.id, MARCH],
      [A.admin.id, { ...MARCH, trabajador: String(A.worker2.id) }],
      [A.admin.id, { ...MARCH, categoria: String(cat2.id), prioridad: 'HIGH' }],
      [head2.id, MARCH],
      [A.head.id, MARCH],
      [A.servicesHead.id, MARCH],
      [B.admin.id, { desde: '2026-04-04', hasta: '2026-04-05' }],
    ];
    for (const [userId, query] of cases) {
      const actor = (await loadActor(db.prisma, userId))!;
      const filters = parseFilters(query, NOW, actor.timezone);
      const ctx = queryContext(actor, filters, NOW);
      const options = await filterOptions(db.prisma, actor, ctx.scope);
      const page = await loadIndicatorsPage(db.prisma, actor, filters, NOW);
      expect(page.options).toEqual(options);
      expect(page.dashboard).toEqual(await loadDashboard(db.prisma, ctx, options.categories));
    }
  });
});

describe('indicators: the plan of a large company', () => {
  it('gives the same figures planned for its values (report connections) as with the generic plan', async () => {
    const cases: [number, Record<string, string>][] = [
      [A.admin.id, MARCH],
      [A.admin.id, { ...MARCH, trabajador: String(A.worker2.id) }],
      [A.head.id, MARCH],
      [A.servicesHead.id, MARCH],
      [B.admin.id, { desde: '2026-04-04', hasta: '2026-04-05' }],
    ];
    for (const [userId, query] of cases) {
      const actor = (await loadActor(db.prisma, userId))!;
      const ctx = queryContext(actor, parseFilters(query, NOW, actor.timezone), NOW);
      const extra = { options: filterOptionsSql(actor.companyId, ctx.scope) };
      // A threshold of 0 requests treats every company as large; one past any count, none.
      const forValues = await dashboardFigures(db.prisma, ctx, extra, OVERDUE_LIMIT, 0);
      const generic = await dashboardFigures(db.prisma, ctx, extra, OVERDUE_LIMIT, Number.MAX_SAFE_INTEGER);
      expect(forValues).toEqual(generic);
      // Figures, not two empty answers.
      const open = forValues.backlog.reduce((n, b) => n + b.count, 0);
      expect(forValues.summary.current.volumes.received + open).toBeGreaterThan(0);
    }
  });
});

describe('indicators: HTTP, roles and CSV', () => {
  it('answers 403 to an employee and a worker, and hides the menu entry', async () => {
    for (const email of [A.employee.email, A.worker.email]) {
      const agent = await signIn(app, email);
      await agent.get('/indicadores').expect(403);
      await agent.get('/indicadores/exportar/solicitudes').expect(403);
      const home = await agent.get('/').expect(200);
      expect(home.text).not.toContain('href="/indicadores"');
    }
  });

  it('renders the dashboard with the figures and the default period of 30 days', async () => {
    const agent = await signIn(app, A.admin.email);
    const home = await agent.get('/').expect(200);
    expect(home.text).toContain('href="/indicadores"');
    const page = await agent.get('/indicadores?desde=2026-03-01&hasta=2026-03-10').expect(200);
    expect(page.text).toMatch(/data-figure="volumes.received">7</);
    expect(page.text).toContain('¿Cómo se calcula?');
    expect(page.text).toContain('<canvas id="chart-daily"');
    expect(page.text).toContain(`href="/solicitudes/${ids.r9}"`);
    expect(page.text).not.toContain('Solicitud b-');
    const def = await agent.get('/indicadores').expect(200);
    expect(def.text).toContain('value="2026-02-09"');
    expect(def.text).toContain('value="2026-03-10"');
  });

  it('shows an empty state for a period without activity', async () => {
    const agent = await signIn(app, head2.email);
    const page = await agent.get('/indicadores?desde=2025-01-01&hasta=2025-01-31').expect(200);
    expect(page.text).toContain('data-testid="empty-state"');
    expect(page.text).not.toContain('<canvas');
  });

  it('exports the requests of the period as CSV with BOM, local dates and every lifecycle date', async () => {
    const agent = await signIn(app, A.admin.email);
    const res = await agent
      .get('/indicadores/exportar/solicitudes?desde=2026-03-01&hasta=2026-03-10')
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toContain('indicadores-solicitudes-2026-03-01_2026-03-10.csv');
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = body.subarray(3).toString('utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      [
        'Número;Título;Estado;Prioridad;Unidad solicitante;Área de servicio;Categoría;Solicitante;Trabajador',
        'Enviada;Autorizada;Aprobada;Rechazada;Rechazada por;Cancelada;Iniciada;Terminada;Finalizada',
        // The answers to the category's fields (issue 19), in one column.
        'Ciclo (horas);Meta (horas);Dentro de la meta;Campos de la categoría',
      ].join(';'),
    );
    expect(lines).toHaveLength(1 + 7);
    const r1 = lines[1]!.split(';');
    expect(r1.slice(0, 4)).toEqual(['SOL-000001', 'Solicitud r1', 'Finalizada', 'Media']);
    expect(r1.slice(8)).toEqual([
      A.worker.name,
      '2026-03-01 23:30',
      '2026-03-02 01:30',
      '2026-03-02 11:30',
      '',
      '',
      '',
      '2026-03-02 15:30',
      '2026-03-02 23:30',
      '2026-03-02 23:30',
      '24',
      '48',
      'Sí',
      '',
    ]);
    expect(lines[4]).toContain(';Rechazada;Media;Bodega;');
    expect(lines[4]).toContain(';Jefe de servicios;');
  });

  it('exports each table as CSV, scoped like the page', async () => {
    const agent = await signIn(app, head2.email);
    const res = await agent.get('/indicadores/exportar/volumenes?desde=2026-03-01&hasta=2026-03-10').expect(200);
    const lines = res.text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('Indicador;Este periodo;Periodo anterior;Cambio');
    expect(lines[1]).toBe('Recibidas;1;0;1');
    const admin = await signIn(app, A.admin.email);
    const daily = await admin.get('/indicadores/exportar/por-dia?desde=2026-03-01&hasta=2026-03-03').expect(200);
    expect(
      daily.text
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n'),
    ).toEqual(['Día;Recibidas;Finalizadas;Abiertas', '2026-03-01;1;0;3', '2026-03-02;0;1;2', '2026-03-03;0;0;2']);
    const tiempos = await admin.get('/indicadores/exportar/tiempos?desde=2026-03-01&hasta=2026-03-10').expect(200);
    expect(tiempos.text).toContain('Enviada → autorizada;3;4;7,2;4,67;4');
    await admin.get('/indicadores/exportar/nada').expect(404);
  });

  it('neutralizes spreadsheet formulas in exported cells (OWASP: a leading quote), numbers left alone', async () => {
    const title = '=HYPERLINK("http://evil.test","clic")';
    await db.prisma.request.update({ where: { id: ids.r1! }, data: { title } });
    try {
      const agent = await signIn(app, A.admin.email);
      const res = await agent.get('/indicadores/exportar/solicitudes?desde=2026-03-01&hasta=2026-03-10').expect(200);
      const lines = res.text
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n');
      expect(lines[1]!.startsWith('SOL-000001;"\'=HYPERLINK(""http://evil.test"",""clic"")";')).toBe(true);
      expect(res.text).not.toMatch(/(^|;)"?=HYPERLINK/m);
      // A negative change is a number, not a formula.
      const head = await signIn(app, head2.email);
      const volumes = await head.get('/indicadores/exportar/volumenes?desde=2026-03-11&hasta=2026-03-20').expect(200);
      expect(volumes.text).toContain('Recibidas;0;1;-1');
    } finally {
      await db.prisma.request.update({ where: { id: ids.r1! }, data: { title: 'Solicitud r1' } });
    }
  });
});
