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

interface ActorRow {
  id: number;
  company_id: number;
  name: string;
  email: string;
  locale: string | null;
  unit_id: number | null;
  is_company_admin: boolean;
  is_worker: boolean;
  company_name: string;
  timezone: string;
  company_locale: string;
  unit_name: string | null;
  unit_kind: string | null;
  headed: { id: number; name: string; kind: string }[];
}

/**
 * Loaded on every signed-in request, so one plain statement: the person, their
 * company and unit, and the units they head (an active person of an active company only).
 */
export async function loadActor(db: Db, userId: number): Promise<Actor | null> {
  const rows = await db.$queryRaw<ActorRow[]>`
    SELECT u.id, u.company_id, u.name, u.email, u.locale, u.unit_id, u.is_company_admin, u.is_worker,
           c.name AS company_name, c.timezone, c.locale AS company_locale,
           un.name AS unit_name, un.kind::text AS unit_kind,
           COALESCE((SELECT json_agg(json_build_object('id', h.id, 'name', h.name, 'kind', h.kind) ORDER BY h.name)
                       FROM units h WHERE h.company_id = u.company_id AND h.head_id = u.id AND h.active), '[]'::json) AS headed
      FROM users u
      JOIN companies c ON c.id = u.company_id AND c.active
      LEFT JOIN units un ON un.company_id = u.company_id AND un.id = u.unit_id
     WHERE u.id = ${userId} AND u.active`;
  const user = rows[0];
  if (!user) return null;
  const headedUnits = user.headed.map((u) => ({ id: u.id, name: u.name, isServiceArea: u.kind === 'SERVICE_AREA' }));
  return {
    id: user.id,
    companyId: user.company_id,
    companyName: user.company_name,
    timezone: user.timezone,
    companyLocale: user.company_locale,
    name: user.name,
    email: user.email,
    locale: user.locale,
    unitId: user.unit_id,
    unitName: user.unit_name,
    isCompanyAdmin: user.is_company_admin,
    isWorker: user.is_worker && user.unit_kind === 'SERVICE_AREA',
    headedUnitIds: headedUnits.map((u) => u.id),
    servicesAreaIds: headedUnits.filter((u) => u.isServiceArea).map((u) => u.id),
    headedUnits,
  };
}
