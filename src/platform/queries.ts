// Statements of the operator's view over every company — the one place not scoped by company, on purpose
// (Prisma where it reads well, raw SQL where measured faster: here all Prisma).
import type { Db } from '../db/client.js';
import type { Prisma } from '../generated/prisma/client.js';

type Tx = Prisma.TransactionClient;

export interface CompanyRow {
  id: number;
  name: string;
  country: string;
  taxId: string | null;
  active: boolean;
  createdAt: Date;
  /** A scheduled deletion (src/privacy). */
  deletionDueAt: Date | null;
  _count: { users: number; units: number; requests: number };
}

export function countCompanies(db: Db): Promise<number> {
  return db.company.count();
}

/** One page of companies (oldest first) with their active people, units and requests. */
export function companiesPage(db: Db, window: { skip: number; take: number }): Promise<CompanyRow[]> {
  return db.company.findMany({
    orderBy: { id: 'asc' },
    ...window,
    select: {
      id: true,
      name: true,
      country: true,
      taxId: true,
      active: true,
      createdAt: true,
      deletionDueAt: true,
      _count: { select: { users: { where: { active: true } }, units: true, requests: true } },
    },
  });
}

/** The newest request and the newest sign-in of each of these companies. */
export async function lastActivity(db: Db, companyIds: number[]) {
  const [requests, logins] = await Promise.all([
    db.request.groupBy({ by: ['companyId'], where: { companyId: { in: companyIds } }, _max: { createdAt: true } }),
    db.user.groupBy({ by: ['companyId'], where: { companyId: { in: companyIds } }, _max: { lastLoginAt: true } }),
  ]);
  return {
    lastRequest: new Map(requests.map((r) => [r.companyId, r._max.createdAt])),
    lastLogin: new Map(logins.map((r) => [r.companyId, r._max.lastLoginAt])),
  };
}

export function findCompany(db: Db, id: number): Promise<{ id: number; name: string } | null> {
  return db.company.findUnique({ where: { id }, select: { id: true, name: true } });
}

export async function setCompanyActiveRow(tx: Tx, id: number, active: boolean): Promise<void> {
  await tx.company.update({ where: { id }, data: { active }, select: { id: true } });
}
