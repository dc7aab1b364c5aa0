// Statements of the organization's units (Prisma where it reads well, raw SQL where measured faster: here all Prisma).
import type { Db } from '../../db/client.js';
import type { Prisma, UnitKind } from '../../generated/prisma/client.js';

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

/** Every unit of the company with its head and its number of active members. */
export function companyUnits(db: Db, companyId: number): Promise<UnitRow[]> {
  return db.unit.findMany({
    where: { companyId },
    select: {
      id: true,
      name: true,
      kind: true,
      parentId: true,
      headId: true,
      active: true,
      head: { select: { name: true } },
      _count: { select: { members: { where: { active: true } } } },
    },
    orderBy: { name: 'asc' },
    take: MAX_UNITS,
  });
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
