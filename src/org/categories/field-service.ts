// Use cases of the fields per category (issue 19): the admin defines them in the category's page; the request
// forms (signed-in and guest) read them through the organization's public entry.
import { auditActor, diff, recordAudit } from '../../audit/index.js';
import type { Actor } from '../../auth/index.js';
import type { Db } from '../../db/client.js';
import { NotFoundError } from '../../web/errors.js';
import type { FieldDefinition, FieldDefinitionInput } from './fields.js';
import { activeFields, deactivateField, findCategory, findField, insertField, updateField } from './queries.js';

interface Deps {
  db: Db;
}

/** The active fields of a category of the company (404 when the category is not the company's). */
export async function listCategoryFields(deps: Deps, actor: Actor, input: { categoryId: number }) {
  if (!(await findCategory(deps.db, actor.companyId, input.categoryId))) throw new NotFoundError();
  return activeFields(deps.db, actor.companyId, [input.categoryId]);
}

/** Adds a field to a category (no fieldId) or changes one; old requests keep the label and type they answered. */
export async function saveCategoryField(
  deps: Deps,
  actor: Actor,
  input: FieldDefinitionInput & { categoryId: number; fieldId: number | null },
): Promise<void> {
  const { companyId } = actor;
  const { categoryId, fieldId, ...data } = input;
  const category = await findCategory(deps.db, companyId, categoryId);
  if (!category) throw new NotFoundError();
  const existing = fieldId ? await findField(deps.db, companyId, categoryId, fieldId) : null;
  if (fieldId && !existing) throw new NotFoundError();
  const row = { ...data, options: data.type === 'LIST' ? data.options : [] };
  await deps.db.$transaction(async (tx) => {
    const id = existing ? existing.id : (await insertField(tx, companyId, categoryId, row)).id;
    if (existing) await updateField(tx, companyId, existing.id, row);
    await recordAudit(tx, companyId, auditActor(actor), {
      action: existing ? 'category.field.updated' : 'category.field.created',
      entityType: 'category',
      entityId: categoryId,
      summary: `${category.name}: ${row.label} (${id})`,
      changes: diff(existing ?? {}, row),
    });
  });
}

/** Removes a field from the category's forms; the requests that answered it keep their answer. */
export async function removeCategoryField(deps: Deps, actor: Actor, input: { categoryId: number; fieldId: number }) {
  const { companyId } = actor;
  const field = await findField(deps.db, companyId, input.categoryId, input.fieldId);
  if (!field) throw new NotFoundError();
  await deps.db.$transaction(async (tx) => {
    await deactivateField(tx, companyId, field.id);
    await recordAudit(tx, companyId, auditActor(actor), {
      action: 'category.field.removed',
      entityType: 'category',
      entityId: input.categoryId,
      summary: field.label,
      changes: null,
    });
  });
}

/** The fields of the categories a form offers, by category (read by the request forms of other features). */
export async function fieldsByCategory(
  db: Db,
  companyId: number,
  categoryIds: readonly number[],
): Promise<Map<number, FieldDefinition[]>> {
  const byCategory = new Map<number, FieldDefinition[]>();
  for (const f of await activeFields(db, companyId, categoryIds))
    byCategory.set(f.categoryId, [...(byCategory.get(f.categoryId) ?? []), f]);
  return byCategory;
}
