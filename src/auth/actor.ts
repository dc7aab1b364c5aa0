import type { Db } from '../db/client.js';
import { rows } from '../db/sql.js';
import { Prisma } from '../generated/prisma/client.js';

/** A head on leave whose units a substitute acts for (src/absences). */
export interface AbsentHead {
  id: number;
  name: string;
}

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
  /** Units this person heads (any kind), including those of an absent head they stand in for today. */
  headedUnitIds: number[];
  /** The service areas this person heads (also as a substitute). */
  servicesAreaIds: number[];
  headedUnits: { id: number; name: string; isServiceArea: boolean }[];
  /** The units above headed only as a substitute, each with the absent head it belongs to. */
  actingFor: Record<number, AbsentHead>;
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
  headed: { id: number; name: string; kind: string; for_id: number | null; for_name: string | null }[];
  to_authorize: number | null;
  to_decide: number | null;
  open_tickets: number | null;
}

/**
 * What waits for the person, from the counter tables (a few rows whatever the volume). What the administrators
 * authorize is counted live (their own requests are left out, which no counter knows; such requests are few and
 * found by the (awaiting_admins, status) index), and only for an administrator.
 */
const waitingFor = (companyId: number) => Prisma.sql`
           ((SELECT COALESCE(sum(ac.n), 0) FROM request_authorizer_counts ac
              WHERE ac.company_id = ${companyId}::int AND ac.authorizer_unit_id IN (SELECT id FROM headed)
                AND ac.status = 'PENDING')
            + (SELECT count(*) FROM requests r
                WHERE me.is_company_admin AND r.company_id = ${companyId}::int AND r.awaiting_admins
                  AND r.status = 'PENDING' AND r.requester_id <> me.id))::int AS to_authorize,
           (SELECT COALESCE(sum(rc.n), 0)::int FROM request_counts rc
             WHERE rc.company_id = ${companyId}::int
               AND rc.service_area_id IN (SELECT id FROM headed WHERE kind = 'SERVICE_AREA')
               AND rc.status = 'AUTHORIZED') AS to_decide,
           (SELECT COALESCE(sum(tc.n), 0)::int FROM ticket_counts tc
             WHERE tc.company_id = ${companyId}::int AND tc.worker_id = me.id
               AND tc.status IN ('ASSIGNED', 'IN_PROGRESS')) AS open_tickets`;
const NOT_WAITING = Prisma.sql`NULL::int AS to_authorize, NULL::int AS to_decide, NULL::int AS open_tickets`;

/**
 * Loaded on every signed-in request, so one plain statement: the person, their
 * company and unit, the units they head (an active person of an active company only),
 * those of a head they substitute today (local date of the company at `now`) and,
 * unless `waiting: false`, what waits for them. A form post reads no counts: it
 * redirects or answers without the navigation (~0.07 ms of PostgreSQL per post).
 */
export async function loadActor(
  db: Db,
  userId: number,
  {
    waiting = true,
    now = new Date(),
    companyId,
  }: {
    waiting?: boolean;
    now?: Date;
    /** The person's company when known (the session keeps it). */ companyId?: number;
  } = {},
): Promise<Actor | null> {
  // Every statement names the company: on Citus it is then answered by the company's shard alone. Without it (a
  // session of an older version, tests), it is looked up first.
  companyId ??= (await db.user.findFirst({ where: { id: userId }, select: { companyId: true } }))?.companyId;
  if (companyId === undefined) return null;
  const [user] = await rows<ActorRow>(
    db,
    Prisma.sql`
    WITH me AS (
      SELECT u.id, u.company_id, u.name, u.email, u.locale, u.unit_id, u.is_company_admin, u.is_worker,
             c.name AS company_name, c.timezone, c.locale AS company_locale,
             un.name AS unit_name, un.kind::text AS unit_kind,
             (${now}::timestamptz AT TIME ZONE c.timezone)::date AS today
        FROM users u
        JOIN companies c ON c.id = ${companyId}::int AND c.active
        LEFT JOIN units un ON un.company_id = ${companyId}::int AND un.id = u.unit_id
       WHERE u.company_id = ${companyId}::int AND u.id = ${userId}::int AND u.active),
    -- The person and the absent heads they stand in for today, whose units are then found by the (company, head)
    -- index: as one OR on the units, every unit of the company was read on every page (300 in the very large one).
    -- An absent head's name is read here, once per absence: joined to every headed unit, it was probed for each of
    -- them, the person's own included, through the (company, name, id) index (~0.1 ms of a 0.27 ms statement).
    heads AS (
      SELECT me.id AS head_id, NULL::int AS for_id, NULL::text AS for_name FROM me
      UNION
      SELECT a.user_id, a.user_id, absent.name FROM absences a
        JOIN me ON a.company_id = ${companyId}::int AND a.substitute_id = me.id AND a.user_id <> me.id
               AND a.ends_on >= me.today AND a.starts_on <= me.today
        JOIN users absent ON absent.company_id = ${companyId}::int AND absent.id = a.user_id),
    headed AS (
      SELECT h.id, h.name, h.kind, heads.for_id, heads.for_name
        FROM heads
        JOIN units h ON h.company_id = ${companyId}::int AND h.head_id = heads.head_id AND h.active)
    SELECT me.id, me.company_id, me.name, me.email, me.locale, me.unit_id, me.is_company_admin, me.is_worker,
           me.company_name, me.timezone, me.company_locale, me.unit_name, me.unit_kind,
           COALESCE((SELECT json_agg(json_build_object('id', id, 'name', name, 'kind', kind, 'for_id', for_id,
                                                       'for_name', for_name) ORDER BY name)
                       FROM headed), '[]'::json) AS headed,
           ${waiting ? waitingFor(companyId) : NOT_WAITING}
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
    actingFor: Object.fromEntries(
      user.headed.filter((u) => u.for_id !== null).map((u) => [u.id, { id: u.for_id!, name: u.for_name! }]),
    ),
    waiting: waiting
      ? { toAuthorize: user.to_authorize!, toDecide: user.to_decide!, openTickets: user.open_tickets! }
      : null,
  };
}
