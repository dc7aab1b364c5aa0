import { Router } from 'express';
import { z } from 'zod';
import { actorOf, requireRole } from '../auth/guards.js';
import type { Db } from '../db/client.js';
import { isServicesHead, isWorker } from '../org/policy.js';
import { pageSchema, withQuery } from '../web/pagination.js';
import { areaTickets, areaWorkers, myTickets } from './queries.js';

const traySchema = z.object({
  tab: z.string().max(30).optional().catch(undefined),
  page: pageSchema.default(1),
  trabajador: z.coerce.number().int().positive().optional().catch(undefined),
  q: z.string().trim().max(100).optional().catch(undefined),
});

export function ticketRoutes(db: Db) {
  const router = Router();

  router.get('/mis-tickets', requireRole(isWorker, 'requests.forbidden.start'), async (req, res) => {
    const actor = actorOf(req);
    const q = traySchema.parse(req.query);
    const result = await myTickets(db, actor, q.tab, q.page, q.q);
    res.render('tickets/list', {
      title: req.t('tickets.mine'),
      mine: true,
      result,
      workers: [],
      workerId: undefined,
      q: q.q,
      path: '/mis-tickets',
      link: (changes: Record<string, string | number | null>) =>
        withQuery('/mis-tickets', req.query as Record<string, unknown>, changes),
    });
  });

  router.get('/tickets', requireRole(isServicesHead, 'requests.forbidden.reassign'), async (req, res) => {
    const actor = actorOf(req);
    const q = traySchema.parse(req.query);
    const [result, workers] = await Promise.all([
      areaTickets(db, actor, q.tab, q.page, q.trabajador, q.q),
      areaWorkers(db, actor),
    ]);
    res.render('tickets/list', {
      title: req.t('tickets.title'),
      mine: false,
      result,
      workers,
      workerId: q.trabajador,
      q: q.q,
      path: '/tickets',
      link: (changes: Record<string, string | number | null>) =>
        withQuery('/tickets', req.query as Record<string, unknown>, changes),
    });
  });

  return router;
}
