import { Router } from 'express';
import { actorOf } from '../auth/index.js';
import type { Db } from '../db/client.js';
import { linkTo, requestedPage } from '../web/pagination.js';
import { listAuditLog } from './service.js';

const PATH = '/admin/auditoria';

/** The company's audit log, newest first (mounted behind the company-admin guard). */
export function auditRoutes(db: Db) {
  const router = Router();
  router.get(PATH, async (req, res) => {
    const { items, page } = await listAuditLog({ db }, actorOf(req), { page: requestedPage(req.query) });
    res.render('audit/index', {
      title: req.t('audit.title'),
      entries: items,
      page,
      link: linkTo(PATH, req.query),
    });
  });
  return router;
}
