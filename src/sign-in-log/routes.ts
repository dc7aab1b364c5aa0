import { Router } from 'express';
import { actorOf, isCompanyAdmin, requireRole } from '../auth/index.js';
import type { Db } from '../db/client.js';
import { linkTo, requestedPage } from '../web/pagination.js';
import { listCompanySignIns, listOwnSignIns } from './service.js';

const OWN = '/cuenta/accesos';
const ADMIN = '/admin/accesos';

/** The person's own sign-in attempts, and the company's for admins. */
export function signInLogRoutes(db: Db) {
  const router = Router();
  router.get(OWN, async (req, res) => {
    const { items, page } = await listOwnSignIns({ db }, actorOf(req), { page: requestedPage(req.query) });
    res.render('sign-in-log/index', {
      title: req.t('signInLog.title'),
      entries: items,
      page,
      link: linkTo(OWN, req.query),
      admin: false,
    });
  });
  router.use(ADMIN, requireRole(isCompanyAdmin));
  router.get(ADMIN, async (req, res) => {
    const { items, page } = await listCompanySignIns({ db }, actorOf(req), { page: requestedPage(req.query) });
    res.render('sign-in-log/index', {
      title: req.t('signInLog.adminTitle'),
      entries: items,
      page,
      link: linkTo(ADMIN, req.query),
      admin: true,
    });
  });
  return router;
}
