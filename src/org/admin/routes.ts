import { Router } from 'express';
import type { AccountLinkDeps } from '../../accounts/index.js';
import { auditRoutes } from '../../audit/index.js';
import { requireRole } from '../../auth/index.js';
import { calendarRoutes } from '../../calendar/index.js';
import type { NavSection } from '../../web/navigation.js';
import { categoryRoutes } from '../categories/routes.js';
import { settingsRoutes } from '../company/routes.js';
import { peopleRoutes } from '../people/routes.js';
import { isCompanyAdmin } from '../../auth/index.js';
import { unitRoutes } from '../units/routes.js';

export const adminNavSection = (): NavSection => ({
  visible: isCompanyAdmin,
  item: () => ({ href: '/admin', labelKey: 'admin.nav', icon: 'gear' }),
});

/** Organization administration, for company administrators only (403 for anyone else). */
export function adminRoutes(deps: AccountLinkDeps) {
  const router = Router();
  router.use('/admin', requireRole(isCompanyAdmin));
  router.get('/admin', (req, res) => res.render('admin/index', { title: req.t('admin.title') }));
  router.use(unitRoutes(deps.db));
  router.use(peopleRoutes(deps));
  router.use(categoryRoutes(deps.db));
  router.use(settingsRoutes(deps.db));
  router.use(calendarRoutes(deps));
  router.use(auditRoutes(deps.db));
  return router;
}
