import { auditActor, diff, recordAudit } from '../../audit/index.js';
import type { Db } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { NotFoundError, ValidationError } from '../../web/errors.js';
import type { Actor } from '../../auth/index.js';
import {
  catalogue,
  findCategory,
  insertCategory,
  isServiceArea,
  serviceAreas,
  updateCategoryRow,
  type CategoryRow,
} from './queries.js';
import type { CategoryInput } from './schemas.js';

interface Deps {
  db: Db;
}

/** The service catalogue: each service area with its categories. */
export function listCatalogue(deps: Deps, actor: Actor) {
  return catalogue(deps.db, actor.companyId);
}

/** What the category form offers: the category being edited (404 when not the company's) and the service areas. */
export async function categoryForm(deps: Deps, actor: Actor, input: { categoryId: number | null }) {
  const [category, areas] = await Promise.all([
    input.categoryId ? findCategory(deps.db, actor.companyId, input.categoryId) : null,
    serviceAreas(deps.db, actor.companyId),
  ]);
  if (input.categoryId && !category) throw new NotFoundError();
  return { category, areas };
}

/** Creates a category (no id) or updates one of the company's; its service area must be the company's. */
export async function saveCategory(deps: Deps, actor: Actor, input: CategoryInput & { id: number | null }) {
  const { id, noAuthorization, ...fields } = input;
  const data = { ...fields, needsAuthorization: !noAuthorization };
  const { companyId } = actor;
  let existing: CategoryRow | null = null;
  if (id) {
    existing = await findCategory(deps.db, companyId, id);
    if (!existing) throw new NotFoundError();
  }
  if (!(await isServiceArea(deps.db, companyId, data.serviceAreaId)))
    throw new ValidationError({ serviceAreaId: 'forms.invalidChoice' });
  try {
    return await deps.db.$transaction(async (tx) => {
      const entityId = existing ? existing.id : (await insertCategory(tx, companyId, data)).id;
      if (existing) await updateCategoryRow(tx, companyId, existing.id, data);
      await recordAudit(tx, companyId, auditActor(actor), {
        action: existing ? 'category.updated' : 'category.created',
        entityType: 'category',
        entityId,
        summary: data.name,
        changes: diff(existing ?? {}, data),
      });
      return { id: entityId };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ValidationError({ name: 'admin.categories.nameTaken' });
    throw err;
  }
}
