// The ticket trays: a worker's own, and the services head's tray of their areas.
import { Router, type Request } from 'express';
import { z } from 'zod';
import { actorOf, requireRole } from '../auth/index.js';
import type { Db } from '../db/client.js';
import { isServicesHead, isWorker } from '../auth/index.js';
import { idFilter } from '../web/fields.js';
import { pageSchema, withQuery } from '../web/pagination.js';
import { areaTickets, myTickets } from './service.js';

const traySchema = z.object({
  tab: z.string().max(30).optional().catch(undefined),
  page: pageSchema.default(1),
  trabajador: idFilter,
  q: z.string().trim().max(100).optional().catch(undefined),
  orden: z.enum(['vence']).optional().catch(undefined),
});
const sortOf = (q: z.infer<typeof traySchema>) => (q.orden === 'vence' ? ('due' as const) : undefined);

const linkTo = (path: string, req: Request) => (changes: Record<string, string | number | null>) =>
  withQuery(path, req.query as Record<string, unknown>, changes);

export function ticketRoutes(db: Db, clock: () => Date) {
  const deps = { db, clock };
  const router = Router();

  router.get('/mis-tickets', requireRole(isWorker, 'requests.forbidden.lists.myTickets'), async (req, res) => {
    const q = traySchema.parse(req.query);
    const result = await myTickets(deps, actorOf(req), { tab: q.tab, page: q.page, q: q.q, sort: sortOf(q) });
    res.render('tickets/list', {
      title: req.t('tickets.mine'),
      mine: true,
      result,
      workers: [],
      workerId: undefined,
      q: q.q,
      orden: q.orden,
      path: '/mis-tickets',
      link: linkTo('/mis-tickets', req),
    });
  });

  router.get('/tickets', requireRole(isServicesHead, 'requests.forbidden.lists.tickets'), async (req, res) => {
    const q = traySchema.parse(req.query);
    const input = { tab: q.tab, page: q.page, q: q.q, sort: sortOf(q), workerId: q.trabajador };
    const { result, workers } = await areaTickets(deps, actorOf(req), input);
    res.render('tickets/list', {
      title: req.t('tickets.title'),
      mine: false,
      result,
      workers,
      workerId: q.trabajador,
      q: q.q,
      orden: q.orden,
      path: '/tickets',
      link: linkTo('/tickets', req),
    });
  });

  return router;
}
