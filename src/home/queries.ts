// Statements of the home page (Prisma where it reads well, raw SQL where measured faster: here all Prisma).
import type { Db } from '../db/client.js';

export interface CompanySummary {
  units: number;
  serviceAreas: number;
  people: number;
  requests: number;
}

/** The company at a glance: active units and service areas, active people, requests ever made. */
export async function companySummary(db: Db, companyId: number): Promise<CompanySummary> {
  const [units, serviceAreas, people, requests] = await Promise.all([
    db.unit.count({ where: { companyId, active: true, kind: 'REGULAR' } }),
    db.unit.count({ where: { companyId, active: true, kind: 'SERVICE_AREA' } }),
    db.user.count({ where: { companyId, active: true } }),
    db.request.count({ where: { companyId } }),
  ]);
  return { units, serviceAreas, people, requests };
}

export interface OrgProblems {
  /** Active units and service areas with no active head: their requests have nobody to act (shown first 20). */
  headless: { id: number; name: string }[];
  /** Active people without a unit: they cannot submit requests (first 20, and how many in all). */
  unitless: { id: number; name: string }[];
  unitlessCount: number;
}

/** What keeps requests from moving (for an admin's home page). */
export async function orgProblems(db: Db, companyId: number): Promise<OrgProblems> {
  const [headless, unitless, unitlessCount] = await Promise.all([
    db.unit.findMany({
      where: { companyId, active: true, OR: [{ headId: null }, { head: { active: false } }] },
      select: { id: true, name: true },
      orderBy: { name: 'asc' },
      take: 20,
    }),
    db.user.findMany({
      where: { companyId, active: true, unitId: null },
      select: { id: true, name: true },
      orderBy: { name: 'asc' },
      take: 20,
    }),
    db.user.count({ where: { companyId, active: true, unitId: null } }),
  ]);
  return { headless, unitless, unitlessCount };
}
