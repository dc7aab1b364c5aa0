import { diff, recordAudit, auditActor } from '../../audit/index.js';
import type { Db } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { NotFoundError, ValidationError } from '../../web/errors.js';
import type { FieldMessages } from '../../web/errors.js';
import type { Actor } from '../../auth/index.js';
import { rerouteStuckRequests } from '../reroute-queries.js';
import { buildTree, chartRows, flattenTree, subtreeIds } from '../tree.js';
import {
  activePeople,
  companyUnits,
  countCategoriesOfArea,
  findUnit,
  insertUnit,
  isActivePerson,
  updateUnitRow,
} from './queries.js';
import type { UnitInput } from './schemas.js';

interface Deps {
  db: Db;
}

/** The units in display order (each after its parent, with its depth). */
export async function listUnits(deps: Deps, actor: Actor) {
  return flattenTree(buildTree(await companyUnits(deps.db, actor.companyId)));
}

/** The active units as the organization chart's rows (the forest in display order, see chartRows). */
export async function orgChart(deps: Deps, actor: Actor) {
  return chartRows(buildTree((await companyUnits(deps.db, actor.companyId)).filter((u) => u.active)));
}

/**
 * What the unit form offers: the unit being edited (404 when not the company's), the possible parents (never the
 * unit itself nor one below it) and the possible heads.
 */
export async function unitForm(deps: Deps, actor: Actor, input: { unitId: number | null }) {
  const [unit, units, heads] = await Promise.all([
    input.unitId ? findUnit(deps.db, actor.companyId, input.unitId) : null,
    companyUnits(deps.db, actor.companyId),
    activePeople(deps.db, actor.companyId),
  ]);
  if (input.unitId && !unit) throw new NotFoundError();
  const excluded = unit ? subtreeIds(units, unit.id) : new Set<number>();
  const parents = flattenTree(buildTree(units)).filter((u) => !excluded.has(u.id));
  return { unit, parents, heads };
}

/** The references of the form checked against this company's rows (field → i18n key). */
async function checkUnit(db: Db, actor: Actor, unitId: number | null, data: UnitInput): Promise<FieldMessages> {
  const errors: FieldMessages = {};
  if (data.parentId != null) {
    const units = await companyUnits(db, actor.companyId);
    const exists = units.some((u) => u.id === data.parentId);
    if (!exists || (unitId && subtreeIds(units, unitId).has(data.parentId))) errors.parentId = 'admin.units.badParent';
  }
  if (data.headId != null && !(await isActivePerson(db, actor.companyId, data.headId)))
    errors.headId = 'forms.invalidChoice';
  // A service area with categories cannot become a regular unit (its catalogue would be orphaned).
  if (unitId && data.kind === 'REGULAR' && (await countCategoriesOfArea(db, actor.companyId, unitId)) > 0)
    errors.kind = 'admin.units.hasCategories';
  return errors;
}

async function saveUnit<T>(deps: Deps, actor: Actor, unitId: number | null, data: UnitInput, write: () => Promise<T>) {
  const errors = await checkUnit(deps.db, actor, unitId, data);
  if (Object.keys(errors).length) throw new ValidationError(errors);
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err)) throw new ValidationError({ name: 'admin.units.nameTaken' });
    throw err;
  }
}

export function createUnit(deps: Deps, actor: Actor, input: UnitInput) {
  return saveUnit(deps, actor, null, input, () =>
    deps.db.$transaction(async (tx) => {
      const created = await insertUnit(tx, actor.companyId, input);
      await recordAudit(tx, actor.companyId, auditActor(actor), {
        action: 'unit.created',
        entityType: 'unit',
        entityId: created.id,
        summary: created.name,
        changes: diff({}, input),
      });
      return created;
    }),
  );
}

export async function updateUnit(deps: Deps, actor: Actor, input: UnitInput & { id: number }) {
  const { id, ...data } = input;
  const unit = await findUnit(deps.db, actor.companyId, id);
  if (!unit) throw new NotFoundError();
  await saveUnit(deps, actor, unit.id, data, () =>
    deps.db.$transaction(async (tx) => {
      await updateUnitRow(tx, actor.companyId, unit.id, data);
      // Without an active head (or deactivated), the unit's pending requests move up the chain.
      await rerouteStuckRequests(tx, actor.companyId, [unit.id], actor.id, new Date());
      await recordAudit(tx, actor.companyId, auditActor(actor), {
        action: 'unit.updated',
        entityType: 'unit',
        entityId: unit.id,
        summary: data.name,
        changes: diff(unit, data),
      });
    }),
  );
}
