// Statements of the service catalogue (Prisma where it reads well, raw SQL where measured faster: the active fields,
// read by the request form and by every submission).
import type { Db } from '../../db/client.js';
import { rows } from '../../db/sql.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { FieldDefinition } from './fields.js';

type Tx = Prisma.TransactionClient;

export interface CategoryData {
  name: string;
  serviceAreaId: number;
  responseHours: number | null;
  resolutionHours: number | null;
  description: string | null;
  active: boolean;
  needsAuthorization: boolean;
}

export type CategoryRow = CategoryData & { id: number };

const categorySelect = {
  id: true,
  name: true,
  serviceAreaId: true,
  responseHours: true,
  resolutionHours: true,
  description: true,
  active: true,
  needsAuthorization: true,
} as const;

/** The company's service areas (for the form's select). */
export function serviceAreas(db: Db, companyId: number): Promise<{ id: number; name: string }[]> {
  return db.unit.findMany({
    where: { companyId, kind: 'SERVICE_AREA' },
    select: { id: true, name: true },
    orderBy: { name: 'asc' },
    take: 200,
  });
}

/** Each service area with its head and its categories (the catalogue page). */
export function catalogue(db: Db, companyId: number) {
  return db.unit.findMany({
    where: { companyId, kind: 'SERVICE_AREA' },
    select: {
      id: true,
      name: true,
      head: { select: { name: true } },
      categories: { orderBy: { name: 'asc' }, take: 500, select: categorySelect },
    },
    orderBy: { name: 'asc' },
    take: 200,
  });
}

export async function isServiceArea(db: Db, companyId: number, unitId: number): Promise<boolean> {
  const area = await db.unit.findFirst({
    where: { id: unitId, companyId, kind: 'SERVICE_AREA' },
    select: { id: true },
  });
  return area !== null;
}

export function findCategory(db: Db, companyId: number, id: number): Promise<CategoryRow | null> {
  return db.category.findFirst({ where: { id, companyId }, select: categorySelect });
}

export function insertCategory(tx: Tx, companyId: number, data: CategoryData): Promise<{ id: number }> {
  return tx.category.create({ data: { companyId, ...data }, select: { id: true } });
}

export async function updateCategoryRow(tx: Tx, companyId: number, id: number, data: CategoryData): Promise<void> {
  await tx.category.updateMany({ where: { id, companyId }, data });
}

const fieldSelect = {
  id: true,
  categoryId: true,
  label: true,
  type: true,
  required: true,
  helpText: true,
  options: true,
  position: true,
} as const;

/** The active fields of these categories of the company, in their order. */
export async function activeFields(
  db: Db,
  companyId: number,
  categoryIds: readonly number[],
): Promise<FieldDefinition[]> {
  if (categoryIds.length === 0) return [];
  return rows<FieldDefinition>(
    db,
    Prisma.sql`
    SELECT f.id, f.category_id AS "categoryId", f.label, f.type, f.required, f.help_text AS "helpText", f.options,
           f.position
      FROM category_fields f
     WHERE f.company_id = ${companyId}::int AND f.category_id = ANY(${[...categoryIds]}::int[]) AND f.active
     ORDER BY f.position, f.id
     LIMIT 1000`,
  );
}

export function findField(db: Db, companyId: number, categoryId: number, id: number) {
  return db.categoryField.findFirst({ where: { companyId, categoryId, id, active: true }, select: fieldSelect });
}

export type FieldData = Omit<FieldDefinition, 'id' | 'categoryId'>;

export function insertField(tx: Tx, companyId: number, categoryId: number, data: FieldData): Promise<{ id: number }> {
  return tx.categoryField.create({ data: { companyId, categoryId, ...data }, select: { id: true } });
}

export async function updateField(tx: Tx, companyId: number, id: number, data: Partial<FieldData>): Promise<void> {
  await tx.categoryField.updateMany({ where: { companyId, id }, data });
}

/** A removed field is only switched off: requests keep their answers (with its label) either way. */
export async function deactivateField(tx: Tx, companyId: number, id: number): Promise<void> {
  await tx.categoryField.updateMany({ where: { companyId, id }, data: { active: false } });
}
