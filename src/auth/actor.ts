import type { Db } from '../db/client.js';
import { rows } from '../db/sql.js';
import { Prisma } from '../generated/prisma/client.js';

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
  /**
   * What waits for this person, for the navigation badges (from the counter tables); null
   * when not loaded — requests other than GET draw no navigation (web/navigation.ts).
   */
  waiting: { toAuthorize: number; toDecide: number; openTickets: number } | null;
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
  to_authorize: number | null;
  to_decide: number | null;
  open_tickets: number | null;
}

/** What waits for the person, from the counter tables (a few rows whatever the volume). */
const WAITING = Prisma.sql`
           (SELECT COALESCE(sum(rc.n), 0)::int FROM request_counts rc
             WHERE rc.company_id = me.company_id AND rc.requester_unit_id IN (SELECT id FROM headed)
               AND rc.status = 'PENDING') AS to_authorize,
           (SELECT COALESCE(sum(rc.n), 0)::int FROM request_counts rc
             WHERE rc.company_id = me.company_id
               AND rc.service_area_id IN (SELECT id FROM headed WHERE kind = 'SERVICE_AREA')
               AND rc.status = 'AUTHORIZED') AS to_decide,
           (SELECT COALESCE(sum(tc.n), 0)::int FROM ticket_counts tc
             WHERE tc.company_id = me.company_id AND tc.worker_id = me.id
               AND tc.status IN ('ASSIGNED', 'IN_PROGRESS')) AS open_tickets`;
const NOT_WAITING = Prisma.sql`NULL::int AS to_authorize, NULL::int AS to_decide, NULL::int AS open_tickets`;

/**
 * Loaded on every signed-in request, so one plain statement: the person, their
 * company and unit, the units they head (an active person of an active company only)
 * and, unless `waiting: false`, what waits for them. A form post reads no counts: it
 * redirects or answers without the navigation (~0.07 ms of PostgreSQL per post).
 */
export async function loadActor(
  db: Db,
  userId: number,
  { waiting = true }: { waiting?: boolean } = {},
): Promise<Actor | null> {
  const [user] = await rows<ActorRow>(
    db,
    Prisma.sql`
    WITH me AS (
      SELECT u.id, u.company_id, u.name, u.email, u.locale, u.unit_id, u.is_company_admin, u.is_worker,
             c.name AS company_name, c.timezone, c.locale AS company_locale,
             un.name AS unit_name, un.kind::text AS unit_kind
        FROM users u
        JOIN companies c ON c.id = u.company_id AND c.active
        LEFT JOIN units un ON un.company_id = u.company_id AND un.id = u.unit_id
       WHERE u.id = ${userId} AND u.active),
    headed AS (
      SELECT h.id, h.name, h.kind FROM units h JOIN me ON h.company_id = me.company_id AND h.head_id = me.id
       WHERE h.active)
    SELECT me.*,
           COALESCE((SELECT json_agg(json_build_object('id', id, 'name', name, 'kind', kind) ORDER BY name)
                       FROM headed), '[]'::json) AS headed,
           ${waiting ? WAITING : NOT_WAITING}
      FROM me`,
  );
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
    waiting: waiting
      ? { toAuthorize: user.to_authorize!, toDecide: user.to_decide!, openTickets: user.open_tickets! }
      : null,
  };
}
