import type { Db } from '../db/client.js';
import type { Actor } from '../org/actor.js';

/** Service areas of the company with their active categories, for the "Nueva solicitud" form. */
export async function loadRequestForm(db: Db, actor: Actor) {
  const areas = await db.unit.findMany({
    where: { companyId: actor.companyId, kind: 'SERVICE_AREA', active: true },
    select: {
      id: true,
      name: true,
      categories: { where: { active: true }, select: { id: true, name: true }, orderBy: { name: 'asc' } },
    },
    orderBy: { name: 'asc' },
    take: 100,
  });
  return { areas: areas.filter((a) => a.categories.length > 0) };
}
