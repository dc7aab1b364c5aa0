import { Router } from 'express';
import { actorOf } from '../auth/guards.js';
import type { Db } from '../db/client.js';
import { roleKeys } from '../org/policy.js';

export function homeRoutes(db: Db) {
  const router = Router();
  router.get('/', async (req, res) => {
    const actor = actorOf(req);
    const companyId = actor.companyId;
    const [units, serviceAreas, people, requests] = await Promise.all([
      db.unit.count({ where: { companyId, active: true, kind: 'REGULAR' } }),
      db.unit.count({ where: { companyId, active: true, kind: 'SERVICE_AREA' } }),
      db.user.count({ where: { companyId, active: true } }),
      db.request.count({ where: { companyId } }),
    ]);
    res.render('home/index', {
      title: req.t('home.title'),
      actor,
      roles: roleKeys(actor),
      summary: { units, serviceAreas, people, requests },
    });
  });
  return router;
}
