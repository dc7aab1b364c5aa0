// Statements of absences (Prisma where it reads well, raw SQL where measured faster: raw SQL here, for the dates
// compared as the company's local calendar dates).
import type { Db } from '../db/client.js';
import { rows } from '../db/sql.js';
import { Prisma } from '../generated/prisma/client.js';

const sql = Prisma.sql;

export interface AbsenceRow {
  id: number;
  userId: number;
  userName: string;
  substituteId: number;
  substituteName: string;
  /** YYYY-MM-DD */
  startsOn: string;
  endsOn: string;
}

/** Absences with both people's names; each table names the company (one shard on Citus). */
const selectAbsences = (companyId: number) => sql`
  SELECT a.id::int AS id, a.user_id::int AS "userId", u.name AS "userName", a.substitute_id::int AS "substituteId",
         s.name AS "substituteName", a.starts_on::text AS "startsOn", a.ends_on::text AS "endsOn"
    FROM absences a
    JOIN users u ON u.company_id = ${companyId}::int AND u.id = a.user_id
    JOIN users s ON s.company_id = ${companyId}::int AND s.id = a.substitute_id`;

/** Absences not yet ended (of one person, or of everyone), soonest first. */
export function currentAbsences(db: Db, companyId: number, today: string, userId: number | null) {
  const whose = userId === null ? Prisma.empty : sql`AND a.user_id = ${userId}::int`;
  return rows<AbsenceRow>(
    db,
    sql`${selectAbsences(companyId)}
     WHERE a.company_id = ${companyId}::int AND a.ends_on >= ${today}::date ${whose}
     ORDER BY a.starts_on, a.id
     LIMIT 200`,
  );
}

export async function findAbsence(db: Db, companyId: number, id: number): Promise<AbsenceRow | null> {
  const [row] = await rows<AbsenceRow>(
    db,
    sql`${selectAbsences(companyId)} WHERE a.company_id = ${companyId}::int AND a.id = ${id}::int`,
  );
  return row ?? null;
}

/** Active people of the company who head an active unit or service area (whose absence matters). */
export function activeHeads(db: Db, companyId: number) {
  return rows<{ id: number; name: string }>(
    db,
    sql`
    SELECT u.id, u.name FROM users u
     WHERE u.company_id = ${companyId}::int AND u.active
       AND EXISTS (SELECT 1 FROM units h WHERE h.company_id = ${companyId}::int AND h.head_id = u.id AND h.active)
     ORDER BY u.name, u.id
     LIMIT 500`,
  );
}

/** Active people of the company (the possible substitutes). */
export function activePeople(db: Db, companyId: number) {
  return rows<{ id: number; name: string }>(
    db,
    sql`SELECT u.id, u.name FROM users u WHERE u.company_id = ${companyId}::int AND u.active ORDER BY u.name, u.id
         LIMIT 1000`,
  );
}

/** Whether the person is an active person of the company. */
export async function isActiveMember(db: Db, companyId: number, userId: number): Promise<boolean> {
  return (await db.user.count({ where: { companyId, id: userId, active: true } })) > 0;
}

/** Whether the person heads an active unit or service area of the company. */
export async function headsActiveUnit(db: Db, companyId: number, userId: number): Promise<boolean> {
  return (await db.unit.count({ where: { companyId, headId: userId, active: true } })) > 0;
}

/**
 * Records the absence unless it overlaps another absence of the same person (checked in the same statement);
 * null when it overlaps.
 */
export async function insertAbsence(
  db: Db,
  a: { companyId: number; userId: number; substituteId: number; startsOn: string; endsOn: string; createdById: number },
): Promise<number | null> {
  // The id is taken first: on Citus this INSERT … SELECT runs on the company's shard, where the coordinator's
  // sequence is not (a gap when the absence overlaps another is harmless).
  const [{ id }] = (await rows<{ id: number }>(db, sql`SELECT nextval('absences_id_seq')::int AS id`)) as [
    { id: number },
  ];
  const [row] = await rows<{ id: number }>(
    db,
    sql`
    INSERT INTO absences (id, company_id, user_id, substitute_id, starts_on, ends_on, created_by_id)
    SELECT ${id}::int, ${a.companyId}::int, ${a.userId}::int, ${a.substituteId}::int, ${a.startsOn}::date,
           ${a.endsOn}::date, ${a.createdById}::int
     WHERE NOT EXISTS (SELECT 1 FROM absences o
                        WHERE o.company_id = ${a.companyId}::int AND o.user_id = ${a.userId}::int
                          AND o.starts_on <= ${a.endsOn}::date AND o.ends_on >= ${a.startsOn}::date)
    RETURNING id::int AS id`,
  );
  return row?.id ?? null;
}

export async function deleteAbsenceRow(db: Db, companyId: number, id: number): Promise<void> {
  await db.absence.deleteMany({ where: { companyId, id } });
}
