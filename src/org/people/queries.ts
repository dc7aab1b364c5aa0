// Statements about the company's people (Prisma where it reads well, raw SQL where measured faster: the list).
import type { Db } from '../../db/client.js';
import { registerLoginEmail } from '../../db/login-emails.js';
import { pageWithTotal } from '../../db/sql.js';
import { Prisma, type UnitKind } from '../../generated/prisma/client.js';
import { recipientSelect } from '../../accounts/index.js';

type Tx = Prisma.TransactionClient;

export interface PeopleFilter {
  /** Part of a name or an email ('' for all). */
  q: string;
  status: 'active' | 'inactive';
}

export interface PersonListRow {
  id: number;
  name: string;
  email: string;
  isCompanyAdmin: boolean;
  isWorker: boolean;
  active: boolean;
  /** False while an invitation is not yet accepted. */
  hasPassword: boolean;
  unit: { name: string } | null;
  headedUnits: { name: string }[];
}

export interface PersonRow {
  id: number;
  name: string;
  email: string;
  unitId: number | null;
  phone: string | null;
  isCompanyAdmin: boolean;
  isWorker: boolean;
  active: boolean;
  passwordHash: string | null;
  emailVerifiedAt: Date | null;
  headedUnits: { id: number }[];
  /** Anonymized after leaving (src/privacy). */
  anonymizedAt: Date | null;
}

/** What an administrator sets on a person. */
export interface PersonData {
  name: string;
  unitId: number | null;
  phone: string | null;
  isCompanyAdmin: boolean;
  isWorker: boolean;
}

/** Which people a list shows, as conditions on `u` (every one names the company). */
function peopleWhere(companyId: number, f: PeopleFilter): Prisma.Sql {
  const conds = [
    Prisma.sql`u.company_id = ${companyId}::int`,
    Prisma.sql`u.active = ${f.status === 'active'}::boolean`,
    Prisma.sql`NOT u.is_portal_guest`,
  ];
  if (f.q) {
    // Part of a name or an email, whatever its case; % and _ typed are themselves.
    const part = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conds.push(Prisma.sql`(u.name ILIKE ${part} OR u.email ILIKE ${part})`);
  }
  return Prisma.join(conds, ' AND ');
}

/** A page of the company's people by name, with how many the list holds (one statement). */
export async function peoplePage(
  db: Db,
  companyId: number,
  f: PeopleFilter,
  window: { skip: number; take: number },
): Promise<{ total: number; items: PersonListRow[] }> {
  const where = peopleWhere(companyId, f);
  const page = Prisma.sql`
    SELECT u.id, u.name, u.email, u.is_company_admin AS "isCompanyAdmin", u.is_worker AS "isWorker", u.active,
           u.password_hash IS NOT NULL AS "hasPassword",
           (SELECT json_build_object('name', un.name) FROM units un
             WHERE un.company_id = ${companyId}::int AND un.id = u.unit_id) AS unit,
           (SELECT coalesce(json_agg(json_build_object('name', h.name) ORDER BY h.id), '[]') FROM units h
             WHERE h.company_id = ${companyId}::int AND h.head_id = u.id) AS "headedUnits"
      FROM users u
     WHERE ${where}
     ORDER BY u.name, u.id
     LIMIT ${window.take} OFFSET ${window.skip}`;
  const count = Prisma.sql`SELECT count(*) FROM users u WHERE ${where}`;
  return pageWithTotal<PersonListRow>(db, count, page, Prisma.sql`p.name, p.id`);
}

export function findPerson(db: Db, companyId: number, id: number): Promise<PersonRow | null> {
  return db.user.findFirst({
    where: { id, companyId },
    select: {
      id: true,
      name: true,
      email: true,
      unitId: true,
      phone: true,
      isCompanyAdmin: true,
      isWorker: true,
      active: true,
      passwordHash: true,
      emailVerifiedAt: true,
      headedUnits: { select: { id: true } },
      anonymizedAt: true,
    },
  });
}

export function companyOf(db: Db, companyId: number): Promise<{ country: string; name: string; locale: string }> {
  return db.company.findUniqueOrThrow({
    where: { id: companyId },
    select: { country: true, name: true, locale: true },
  });
}

/** The kind of one of the company's units, or null when the company has no such unit. */
export async function unitKindOf(db: Db, companyId: number, unitId: number): Promise<UnitKind | null> {
  const unit = await db.unit.findFirst({ where: { id: unitId, companyId }, select: { kind: true } });
  return unit?.kind ?? null;
}

export function countUnitsAmong(db: Db, companyId: number, ids: number[]): Promise<number> {
  return db.unit.count({ where: { companyId, id: { in: ids } } });
}

export async function insertPerson(tx: Tx, companyId: number, data: PersonData & { email: string }) {
  const person = await tx.user.create({
    data: { companyId, ...data },
    select: { id: true, companyId: true, name: true, email: true, locale: true },
  });
  await registerLoginEmail(tx, person);
  return person;
}

/** Updates a person; a changed phone is unproven again (its verification is cleared). */
export async function updatePersonRow(
  tx: Tx,
  companyId: number,
  id: number,
  data: PersonData,
  phoneChanged: boolean,
): Promise<void> {
  await tx.user.updateMany({
    where: { id, companyId },
    data: phoneChanged ? { ...data, phoneVerifiedAt: null } : data,
  });
  if (phoneChanged) await tx.phoneVerification.deleteMany({ where: { companyId, userId: id } });
}

/** Makes `userId` head of exactly the units in `headOf` (other units keep their heads). */
export async function setHeadedUnits(tx: Tx, companyId: number, userId: number, headOf: number[]): Promise<void> {
  await tx.unit.updateMany({ where: { companyId, headId: userId, id: { notIn: headOf } }, data: { headId: null } });
  if (headOf.length) await tx.unit.updateMany({ where: { companyId, id: { in: headOf } }, data: { headId: userId } });
}

export async function setPersonActive(tx: Tx, companyId: number, id: number, active: boolean): Promise<void> {
  await tx.user.updateMany({ where: { id, companyId }, data: { active } });
}

/** Marks the person's open tickets as waiting for reassignment; returns how many. */
export async function flagOpenTicketsOf(tx: Tx, companyId: number, workerId: number): Promise<number> {
  const { count } = await tx.ticket.updateMany({
    where: { companyId, workerId, status: { in: ['ASSIGNED', 'IN_PROGRESS'] } },
    data: { needsReassignment: true },
  });
  return count;
}

export async function deleteUnusedTokensOf(tx: Tx, companyId: number, userId: number): Promise<void> {
  await tx.accountToken.deleteMany({ where: { companyId, userId, usedAt: null } });
}

/** The people as recipients of an account link (with their company's name and language). */
export function recipientsOf(db: Db, companyId: number, ids: number[]) {
  return db.user.findMany({ where: { companyId, id: { in: ids } }, select: recipientSelect });
}

export async function setUnitHead(tx: Tx, companyId: number, unitId: number, userId: number): Promise<void> {
  await tx.unit.updateMany({ where: { id: unitId, companyId }, data: { headId: userId } });
}

export function unitsForImport(db: Db, companyId: number): Promise<{ id: number; name: string; kind: UnitKind }[]> {
  return db.unit.findMany({ where: { companyId }, select: { id: true, name: true, kind: true }, take: 1000 });
}
