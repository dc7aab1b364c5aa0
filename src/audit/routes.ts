import { Router } from 'express';
import { actorOf } from '../auth/guards.js';
import type { Db } from '../db/client.js';
import { pageOf, PAGE_SIZE } from '../org/admin/common.js';

/** The company's audit log, newest first (mounted behind the company-admin guard). */
export function auditRoutes(db: Db) {
  const router = Router();
  router.get('/admin/auditoria', async (req, res) => {
    const { companyId } = actorOf(req);
    const { page, skip, take } = pageOf(req);
    const [entries, total] = await Promise.all([
      db.auditEntry.findMany({
        where: { companyId },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        skip,
        take,
        include: { actor: { select: { name: true } } },
      }),
      db.auditEntry.count({ where: { companyId } }),
    ]);
    res.render('audit/index', {
      title: req.t('audit.title'),
      entries,
      page,
      pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    });
  });
  return router;
}
