// Statements of the organization's units (Prisma where it reads well, raw SQL where measured faster: the list of
// every unit, which the chart, the units page and the people page read).
import type { Db } from '../../db/client.js';
import { nameOf, rows } from '../../db/sql.js';
import { Prisma, type UnitKind } from '../../generated/prisma/client.js';

type Tx = Prisma.TransactionClient;

/** Units of one company are few; this bound keeps every query finite. */
export const MAX_UNITS = 1000;

export interface UnitRow {
  id: number;
  name: string;
  kind: UnitKind;
  parentId: number | null;
  headId: number | null;
  active: boolean;
  head: { name: string } | null;
  _count: { members: number };
}

export type UnitData = {
  name: string;
  kind: UnitKind;
  parentId: number | null;
  headId: number | null;
};

/**
 * Every unit of the company with its head and its number of active members, by name. One statement through pg:
 * through Prisma the 300 units of a large company cost 5.8–7.4 ms of the app's CPU per read, so 4.0–4.7. The head's
 * name is a key probe (nameOf): joined, the generic plan read every person of the company for each unit (51 ms).
 */
export async function companyUnits(db: Db, companyId: number): Promise<UnitRow[]> {
  const found = await rows<Omit<UnitRow, 'head' | '_count'> & { headName: string | null; members: number }>(
    db,
    Prisma.sql`
    SELECT u.id, u.name, u.kind::text AS kind, u.parent_id AS "parentId", u.head_id AS "headId", u.active,
           ${nameOf('users', 'u', 'head_id', companyId)} AS "headName",
           (SELECT count(*)::int FROM users m
             WHERE m.company_id = ${companyId}::int AND m.unit_id = u.id AND m.active) AS members
      FROM units u
     WHERE u.company_id = ${companyId}::int
     ORDER BY u.name, u.id
     LIMIT ${MAX_UNITS}`,
  );
  return found.map(({ headName, members, ...u }) => ({
    ...u,
    head: headName === null ? null : { name: headName },
    _count: { members },
  }));
}

export function findUnit(db: Db, companyId: number, id: number): Promise<(UnitData & { id: number }) | null> {
  return db.unit.findFirst({
    where: { id, companyId },
    select: { id: true, name: true, kind: true, parentId: true, headId: true },
  });
}

/** The company's active people, who may head a unit. */
export function activePeople(db: Db, companyId: number): Promise<{ id: number; name: string }[]> {
  return db.user.findMany({
    where: { companyId, active: true },
    select: { id: true, name: true },
    orderBy: { name: 'asc' },
    take: 2000,
  });
}

export async function isActivePerson(db: Db, companyId: number, id: number): Promise<boolean> {
  return (await db.user.findFirst({ where: { id, companyId, active: true }, select: { id: true } })) !== null;
}

export function countCategoriesOfArea(db: Db, companyId: number, unitId: number): Promise<number> {
  return db.category.count({ where: { companyId, serviceAreaId: unitId } });
}

export function insertUnit(tx: Tx, companyId: number, data: UnitData): Promise<{ id: number; name: string }> {
  return tx.unit.create({ data: { companyId, ...data }, select: { id: true, name: true } });
}

export async function updateUnitRow(tx: Tx, companyId: number, id: number, data: UnitData): Promise<void> {
  await tx.unit.updateMany({ where: { id, companyId }, data });
}
