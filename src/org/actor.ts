import type { Db } from '../db/client.js';

/** The signed-in person and what their roles allow; loaded once per HTTP request. */
export interface Actor {
  id: number;
  companyId: number;
  companyName: string;
  timezone: string;
  companyLocale: string;
  name: string;
  email: string;
  locale: string | null;
  unitId: number | null;
  unitName: string | null;
  isCompanyAdmin: boolean;
  /** Worker of a service area (executes tickets). */
  isWorker: boolean;
  /** Units this person heads (any kind). */
  headedUnitIds: number[];
  /** The service areas this person heads. */
  servicesAreaIds: number[];
  headedUnits: { id: number; name: string; isServiceArea: boolean }[];
}

export async function loadActor(db: Db, userId: number): Promise<Actor | null> {
  const user = await db.user.findFirst({
    where: { id: userId, active: true },
    select: {
      id: true,
      companyId: true,
      name: true,
      email: true,
      locale: true,
      unitId: true,
      isCompanyAdmin: true,
      isWorker: true,
      company: { select: { name: true, timezone: true, locale: true, active: true } },
      unit: { select: { name: true, kind: true } },
      headedUnits: { where: { active: true }, select: { id: true, name: true, kind: true }, orderBy: { name: 'asc' } },
    },
  });
  if (!user || !user.company.active) return null;
  const headedUnits = user.headedUnits.map((u) => ({ id: u.id, name: u.name, isServiceArea: u.kind === 'SERVICE_AREA' }));
  return {
    id: user.id,
    companyId: user.companyId,
    companyName: user.company.name,
    timezone: user.company.timezone,
    companyLocale: user.company.locale,
    name: user.name,
    email: user.email,
    locale: user.locale,
    unitId: user.unitId,
    unitName: user.unit?.name ?? null,
    isCompanyAdmin: user.isCompanyAdmin,
    isWorker: user.isWorker && user.unit?.kind === 'SERVICE_AREA',
    headedUnitIds: headedUnits.map((u) => u.id),
    servicesAreaIds: headedUnits.filter((u) => u.isServiceArea).map((u) => u.id),
    headedUnits,
  };
}
