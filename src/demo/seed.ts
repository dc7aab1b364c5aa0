import type { Db } from '../db/client.js';
import { registerLoginEmail } from '../db/login-emails.js';
import { hashPassword } from '../auth/index.js';
import { dueAfter, workingCalendar } from '../calendar/index.js';
import { authorizerOf, type ChainUnit } from '../requests/index.js';
import type { EventAction, Priority, RequestStatus, TicketStatus } from '../generated/prisma/client.js';
import { demoCompanies, instructionTexts, rejectionReasons, requestTexts, resolutionNotes } from './data.js';

export const DEMO_PASSWORD = 'Demo-Solicitudes-2026';

/** One account per role and company, as listed in the README. */
export const demoAccounts = demoCompanies.flatMap((c) => {
  const domain = c.people[0]!.email.split('@')[1];
  return [
    { company: c.name, role: 'Administrador de la empresa', email: `admin@${domain}` },
    { company: c.name, role: 'Jefe de unidad', email: c.people.find((p) => p.key === c.units[1]!.head)!.email },
    { company: c.name, role: 'Empleado', email: `empleado@${domain}` },
    { company: c.name, role: 'Jefe de servicios', email: `jefe.servicios@${domain}` },
    { company: c.name, role: 'Trabajador', email: `trabajador@${domain}` },
  ];
});

export const DEMO_ACCOUNTS_TABLE = demoAccounts
  .map((a) => `    ${a.role.padEnd(28)} ${a.email.padEnd(36)} ${a.company}`)
  .join('\n');

/** Small deterministic generator so the demo looks the same on every machine. */
function prng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  };
}

type Outcome =
  | 'pending'
  | 'authorized'
  | 'assigned'
  | 'inProgress'
  | 'finalized'
  | 'rejectedUnit'
  | 'rejectedServices'
  | 'cancelled';
// 30 requests per company, every state represented.
const OUTCOMES: Outcome[] = [
  ...Array<Outcome>(5).fill('pending'),
  ...Array<Outcome>(5).fill('authorized'),
  ...Array<Outcome>(4).fill('assigned'),
  ...Array<Outcome>(4).fill('inProgress'),
  ...Array<Outcome>(7).fill('finalized'),
  ...Array<Outcome>(2).fill('rejectedUnit'),
  'rejectedServices',
  ...Array<Outcome>(2).fill('cancelled'),
];
const PRIORITIES: Priority[] = ['LOW', 'MEDIUM', 'MEDIUM', 'MEDIUM', 'HIGH', 'HIGH', 'URGENT'];
const HOUR = 3600_000;

/** Seeds the two demo companies with their organisation and ~60 requests over the last 90 days. */
export async function seedDemoData(db: Db, now = new Date()): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const [index, spec] of demoCompanies.entries()) {
    const companyId = await db.$transaction(
      async (tx) => {
        const company = await tx.company.create({
          // The demo companies are set up: no setup checklist for their administrators.
          data: {
            name: spec.name,
            country: spec.country,
            taxId: spec.taxId,
            timezone: spec.timezone,
            setupDoneAt: new Date(),
          },
        });
        const companyId = company.id;
        await tx.companyTaxId.create({ data: { country: spec.country, taxId: spec.taxId, companyId } });
        const unitIds = new Map<string, number>();
        const area = await tx.unit.create({ data: { companyId, name: spec.serviceArea, kind: 'SERVICE_AREA' } });
        unitIds.set(spec.serviceArea, area.id);
        for (const u of spec.units) {
          const unit = await tx.unit.create({
            data: { companyId, name: u.name, parentId: u.parent ? unitIds.get(u.parent) : null },
          });
          unitIds.set(u.name, unit.id);
        }
        await tx.unit.update({ where: { id: area.id }, data: { parentId: unitIds.get(spec.units[0]!.name) } });

        const userIds = new Map<string, number>();
        for (const p of spec.people) {
          const user = await tx.user.create({
            data: {
              companyId,
              name: p.name,
              email: p.email,
              phone: p.phone,
              passwordHash,
              unitId: unitIds.get(p.unit),
              isCompanyAdmin: p.admin ?? false,
              isWorker: p.worker ?? false,
              emailVerifiedAt: now,
            },
          });
          await registerLoginEmail(tx, user);
          userIds.set(p.key, user.id);
        }
        for (const u of spec.units)
          await tx.unit.update({ where: { id: unitIds.get(u.name) }, data: { headId: userIds.get(u.head) } });
        await tx.unit.update({ where: { id: area.id }, data: { headId: userIds.get(spec.serviceAreaHead) } });

        const categoryIds = new Map<string, number>();
        for (const c of spec.categories) {
          const cat = await tx.category.create({ data: { companyId, serviceAreaId: area.id, ...c } });
          categoryIds.set(c.name, cat.id);
        }

        const rnd = prng(2026 + index);
        // Who authorizes a request of each unit (the rule of src/requests/authorizer.ts): the chain up to the root.
        const chainOf = (name: string | undefined): ChainUnit[] => {
          const u = spec.units.find((x) => x.name === name);
          return u ? [{ id: unitIds.get(u.name)!, activeHeadId: userIds.get(u.head)! }, ...chainOf(u.parent)] : [];
        };
        const adminIds = spec.people.filter((p) => p.admin).map((p) => userIds.get(p.key)!);
        // Requesters, each with who authorizes them (someone who heads the top unit and is the only admin has nobody).
        const requesters = spec.people
          .filter((p) => p.unit !== spec.serviceArea)
          .map((p) => {
            const id = userIds.get(p.key)!;
            const chain = chainOf(p.unit);
            return {
              ...p,
              authorizer: authorizerOf({ requesterId: id, chain, categoryNeedsAuthorization: true, adminIds }),
            };
          })
          .filter((p) => p.authorizer.kind === 'head' || p.authorizer.kind === 'admins');
        const workers = spec.people.filter((p) => p.worker).map((p) => userIds.get(p.key)!);
        const servicesHead = userIds.get(spec.serviceAreaHead)!;
        let ticketNumber = 0;

        for (const [i, outcome] of OUTCOMES.entries()) {
          const number = i + 1;
          const requester = rnd.pick(requesters);
          const requesterId = userIds.get(requester.key)!;
          const { authorizer } = requester;
          if (authorizer.kind !== 'head' && authorizer.kind !== 'admins') throw new Error('unreachable');
          const unitHead = authorizer.kind === 'head' ? authorizer.userId : authorizer.userIds[0]!;
          const categoryName = rnd.pick(spec.categories).name;
          const [title, description, location] = rnd.pick(requestTexts[categoryName]!);
          const open = ['pending', 'authorized', 'assigned', 'inProgress'].includes(outcome);
          const ageDays = open ? rnd.int(0, 12) : rnd.int(14, 88);
          const submittedAt = new Date(now.getTime() - ageDays * 24 * HOUR - rnd.int(1, 10) * HOUR);
          const events: {
            action: EventAction;
            actorId: number;
            from: RequestStatus | null;
            to: RequestStatus;
            at: Date;
            comment?: string;
            data?: { workerId?: number };
          }[] = [];
          let t = submittedAt.getTime();
          const step = (min: number, max: number) => {
            t = Math.min(t + rnd.int(min, max) * HOUR, now.getTime() - 60_000);
            return new Date(t);
          };
          events.push({ action: 'SUBMIT', actorId: requesterId, from: null, to: 'PENDING', at: submittedAt });

          const data: Record<string, unknown> = {
            status: 'PENDING' as RequestStatus,
            authorizerUnitId: authorizer.kind === 'head' ? authorizer.unitId : null,
            awaitingAdmins: authorizer.kind === 'admins',
          };
          let ticket: {
            status: TicketStatus;
            workerId: number;
            assignedAt: Date;
            startedAt?: Date;
            finishedAt?: Date;
            resolution?: string;
            instructions: string;
          } | null = null;
          if (outcome === 'rejectedUnit') {
            const at = step(2, 30);
            const reason = rnd.pick(rejectionReasons.unit);
            Object.assign(data, {
              status: 'REJECTED',
              rejectedAt: at,
              rejectedById: unitHead,
              rejectionStage: 'UNIT',
              rejectionReason: reason,
            });
            events.push({ action: 'REJECT', actorId: unitHead, from: 'PENDING', to: 'REJECTED', at, comment: reason });
          } else if (outcome === 'cancelled') {
            const at = step(1, 20);
            const reason = 'Ya no se necesita; se resolvió por otro medio.';
            Object.assign(data, { status: 'CANCELLED', cancelledAt: at, cancelReason: reason });
            events.push({
              action: 'CANCEL',
              actorId: requesterId,
              from: data.status as RequestStatus,
              to: 'CANCELLED',
              at,
              comment: reason,
            });
          } else if (outcome !== 'pending') {
            const at = step(2, 30);
            Object.assign(data, { status: 'AUTHORIZED', authorizedAt: at, authorizedById: unitHead });
            events.push({
              action: 'AUTHORIZE',
              actorId: unitHead,
              from: 'PENDING',
              to: 'AUTHORIZED',
              at,
              comment: rnd.next() < 0.4 ? 'Autorizado, por favor atender pronto.' : undefined,
            });
            if (outcome === 'rejectedServices') {
              const at = step(4, 48);
              const reason = rnd.pick(rejectionReasons.services);
              Object.assign(data, {
                status: 'REJECTED',
                rejectedAt: at,
                rejectedById: servicesHead,
                rejectionStage: 'SERVICES',
                rejectionReason: reason,
              });
              events.push({
                action: 'REJECT',
                actorId: servicesHead,
                from: 'AUTHORIZED',
                to: 'REJECTED',
                at,
                comment: reason,
              });
            } else if (['assigned', 'inProgress', 'finalized'].includes(outcome)) {
              const at = step(4, 48);
              const workerId = rnd.pick(workers);
              const instructions = rnd.pick(instructionTexts);
              Object.assign(data, { status: 'APPROVED', approvedAt: at, approvedById: servicesHead });
              events.push({
                action: 'APPROVE',
                actorId: servicesHead,
                from: 'AUTHORIZED',
                to: 'APPROVED',
                at,
                comment: instructions,
                data: { workerId },
              });
              ticket = { status: 'ASSIGNED', workerId, assignedAt: at, instructions };
              if (outcome !== 'assigned') {
                ticket.startedAt = step(1, 24);
                ticket.status = 'IN_PROGRESS';
                events.push({
                  action: 'START',
                  actorId: workerId,
                  from: 'APPROVED',
                  to: 'APPROVED',
                  at: ticket.startedAt,
                });
              }
              if (outcome === 'finalized') {
                ticket.finishedAt = step(2, 72);
                ticket.status = 'DONE';
                ticket.resolution = rnd.pick(resolutionNotes);
                Object.assign(data, { status: 'FINALIZED', finalizedAt: ticket.finishedAt });
                events.push({
                  action: 'FINISH',
                  actorId: workerId,
                  from: 'APPROVED',
                  to: 'FINALIZED',
                  at: ticket.finishedAt,
                  comment: ticket.resolution,
                });
              }
            }
          }

          const request = await tx.request.create({
            data: {
              companyId,
              number,
              requesterId,
              requesterUnitId: unitIds.get(requester.unit)!,
              serviceAreaId: area.id,
              categoryId: categoryIds.get(categoryName)!,
              title,
              description,
              location,
              priority: rnd.pick(PRIORITIES),
              createdAt: submittedAt,
              updatedAt: new Date(t),
              ...data,
            },
          });
          if (ticket) {
            ticketNumber += 1;
            await tx.ticket.create({
              data: {
                companyId,
                number: ticketNumber,
                requestId: request.id,
                serviceAreaId: area.id,
                assignedById: servicesHead,
                ...ticket,
              },
            });
          }
          await tx.requestEvent.createMany({
            data: events.map((e) => ({
              companyId,
              requestId: request.id,
              actorId: e.actorId,
              action: e.action,
              fromStatus: e.from,
              toStatus: e.to,
              comment: e.comment ?? null,
              data: e.data,
              createdAt: e.at,
            })),
          });
        }
        await tx.company.update({
          where: { id: companyId },
          data: { requestSeq: OUTCOMES.length, ticketSeq: ticketNumber },
        });
        return companyId;
      },
      { timeout: 60_000 },
    );
    await setDueDates(db, companyId, now);
  }
}

/**
 * The demo's open requests get the due dates the lifecycle would have stored (response from authorization,
 * resolution from approval, in the company's working calendar), so their badges show from the first start.
 */
async function setDueDates(db: Db, companyId: number, now: Date) {
  const open = await db.request.findMany({
    where: { companyId, status: { in: ['AUTHORIZED', 'APPROVED', 'FINALIZED'] } },
    select: {
      id: true,
      authorizedAt: true,
      approvedAt: true,
      category: { select: { responseHours: true, resolutionHours: true } },
    },
  });
  const calendar = await workingCalendar(db, companyId, new Date(now.getTime() - 120 * 86_400_000));
  for (const r of open) {
    await db.request.update({
      where: { id: r.id },
      data: {
        responseDueAt: r.authorizedAt && dueAfter(r.authorizedAt, r.category.responseHours, calendar),
        resolutionDueAt: r.approvedAt && dueAfter(r.approvedAt, r.category.resolutionHours, calendar),
      },
    });
  }
}
