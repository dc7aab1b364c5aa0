import { Router } from 'express';
import { actorOf, requireRole } from '../auth/guards.js';
import { recordAudit } from '../audit/record.js';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { Actor } from '../org/actor.js';
import { pageOf, PAGE_SIZE } from '../org/admin/common.js';
import { idParam } from '../web/fields.js';
import { NotFoundError } from '../web/errors.js';
import type { NavSection } from '../web/navigation.js';
import { flash } from '../web/flash.js';

/** Platform operators are the people whose email is listed in PLATFORM_OPERATOR_EMAILS. */
export const isPlatformOperator = (config: Config) => (a: Actor) =>
  config.PLATFORM_OPERATOR_EMAILS.includes(a.email.toLowerCase());

export const platformNavSection = (config: Config): NavSection => ({
  visible: isPlatformOperator(config),
  item: () => ({ href: '/plataforma', labelKey: 'platform.nav', icon: 'buildings' }),
});

/** The operator's view of every company: size, activity, and suspension. */
export function platformRoutes(db: Db, config: Config) {
  const router = Router();
  router.use('/plataforma', requireRole(isPlatformOperator(config)));

  router.get('/plataforma', async (req, res) => {
    const { page, skip, take } = pageOf(req);
    const [companies, total] = await Promise.all([
      db.company.findMany({
        orderBy: { id: 'asc' },
        skip,
        take,
        select: {
          id: true,
          name: true,
          country: true,
          taxId: true,
          active: true,
          createdAt: true,
          _count: { select: { users: { where: { active: true } }, units: true, requests: true } },
        },
      }),
      db.company.count(),
    ]);
    const ids = companies.map((c) => c.id);
    // Activity: the newest request and the newest sign-in of each company on this page.
    const [lastRequests, lastLogins] = await Promise.all([
      db.request.groupBy({ by: ['companyId'], where: { companyId: { in: ids } }, _max: { createdAt: true } }),
      db.user.groupBy({ by: ['companyId'], where: { companyId: { in: ids } }, _max: { lastLoginAt: true } }),
    ]);
    const lastRequest = new Map(lastRequests.map((r) => [r.companyId, r._max.createdAt]));
    const lastLogin = new Map(lastLogins.map((r) => [r.companyId, r._max.lastLoginAt]));
    res.render('platform/index', {
      title: req.t('platform.title'),
      companies: companies.map((c) => ({
        ...c,
        lastRequest: lastRequest.get(c.id) ?? null,
        lastLogin: lastLogin.get(c.id) ?? null,
      })),
      page,
      pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
      ownCompanyId: actorOf(req).companyId,
    });
  });

  const setActive = (active: boolean) => async (req: import('express').Request, res: import('express').Response) => {
    const actor = actorOf(req);
    const id = idParam(req.params.id);
    if (id === actor.companyId && !active) {
      flash(req, 'danger', req.t('platform.notOwn'));
      return res.redirect('/plataforma');
    }
    const company = await db.company.findUnique({ where: { id }, select: { id: true, name: true } });
    if (!company) throw new NotFoundError();
    await db.$transaction(async (tx) => {
      await tx.company.update({ where: { id }, data: { active } });
      // The operator is not a member of that company: only their email is recorded.
      await recordAudit(
        tx,
        id,
        { id: null, email: `${actor.email} (${req.t('platform.operator')})` },
        {
          action: active ? 'company.reactivated' : 'company.suspended',
          entityType: 'company',
          entityId: id,
          summary: company.name,
          changes: { active: [!active, active] },
        },
      );
    });
    flash(req, 'success', req.t(active ? 'platform.reactivated' : 'platform.suspended', { name: company.name }));
    res.redirect('/plataforma');
  };
  router.post('/plataforma/empresas/:id/suspender', setActive(false));
  router.post('/plataforma/empresas/:id/reactivar', setActive(true));
  return router;
}
