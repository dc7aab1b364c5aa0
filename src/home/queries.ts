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
