// Who else hears of an event besides the table of events.ts (issue 16): the administrators when they are the
// expected authorizers, and substitutes, who hear what the absent head would hear: during an absence (the event's
// local date in the company's time zone within [starts_on, ends_on]) the substitute of a unit head or services head
// recipient is a recipient too, in the same role.
import type { Db } from '../db/client.js';
import { rows } from '../db/sql.js';
import { Prisma } from '../generated/prisma/client.js';
import type { Recipient } from './events.js';

/** Per event id: absent person id → their substitute on the event's date (one statement for the batch). */
export async function substitutesAt(
  db: Db,
  companyId: number,
  eventIds: bigint[],
): Promise<Map<string, Map<number, number>>> {
  const found = await rows<{ event_id: string; user_id: number; substitute_id: number }>(
    db,
    Prisma.sql`
    SELECT e.id::text AS event_id, a.user_id::int AS user_id, a.substitute_id::int AS substitute_id
      FROM request_events e
      JOIN companies c ON c.id = ${companyId}::int
      JOIN absences a ON a.company_id = ${companyId}::int
                     AND (e.created_at AT TIME ZONE c.timezone)::date BETWEEN a.starts_on AND a.ends_on
     WHERE e.company_id = ${companyId}::int AND e.id = ANY(${eventIds.map(String)}::bigint[])`,
  );
  const out = new Map<string, Map<number, number>>();
  for (const f of found) {
    const of = out.get(f.event_id) ?? new Map<number, number>();
    of.set(f.user_id, f.substitute_id);
    out.set(f.event_id, of);
  }
  return out;
}

/** Absent person id → their substitute at one instant (a comment's), by its local date in the company's zone. */
export async function substitutesOn(db: Db, companyId: number, at: Date): Promise<Map<number, number>> {
  const found = await rows<{ user_id: number; substitute_id: number }>(
    db,
    Prisma.sql`
    SELECT a.user_id::int AS user_id, a.substitute_id::int AS substitute_id
      FROM absences a JOIN companies c ON c.id = ${companyId}::int
     WHERE a.company_id = ${companyId}::int
       AND (${at}::timestamptz AT TIME ZONE c.timezone)::date BETWEEN a.starts_on AND a.ends_on`,
  );
  return new Map(found.map((f) => [f.user_id, f.substitute_id]));
}

/** The active administrators of the company (asked to authorize when nobody heads a unit up the chain). */
export async function activeAdminIds(db: Db, companyId: number): Promise<number[]> {
  const admins = await db.user.findMany({
    where: { companyId, isCompanyAdmin: true, active: true },
    select: { id: true },
  });
  return admins.map((a) => a.id);
}

/** The recipients plus the administrators (but the actor) as the authorizers of a request that waits on them. */
export function withAdmins(recipients: Recipient[], adminIds: number[], actorId: number | null): Recipient[] {
  const seen = new Set(recipients.map((r) => r.userId));
  const admins = adminIds.filter((id) => id !== actorId && !seen.has(id));
  return [...recipients, ...admins.map((userId) => ({ userId, role: 'unitHead' as const }))];
}

/** The recipients plus, after each head who is away, their substitute (once, never the actor). */
export function withSubstitutes(
  recipients: Recipient[],
  away: Map<number, number> | undefined,
  actorId: number | null,
) {
  if (!away) return recipients;
  const seen = new Set(recipients.map((r) => r.userId));
  return recipients.flatMap((r) => {
    const sub = r.role === 'unitHead' || r.role === 'servicesHead' ? away.get(r.userId) : undefined;
    if (sub === undefined || sub === actorId || seen.has(sub)) return [r];
    seen.add(sub);
    return [r, { userId: sub, role: r.role }];
  });
}
