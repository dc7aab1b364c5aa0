import { Router } from 'express';
import type { AccountLinkDeps } from '../../accounts/links.js';
import { requireRole } from '../../auth/guards.js';
import { auditRoutes } from '../../audit/routes.js';
import type { NavSection } from '../../web/navigation.js';
import { isCompanyAdmin } from '../policy.js';
import { categoryRoutes } from './categories.js';
import { importRoutes } from './people-import.js';
import { peopleRoutes } from './people.js';
import { settingsRoutes } from './settings.js';
import { unitRoutes } from './units.js';

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
  router.use(importRoutes(deps));
  router.use(peopleRoutes(deps));
  router.use(categoryRoutes(deps.db));
  router.use(settingsRoutes(deps.db));
  router.use(auditRoutes(deps.db));
  return router;
}
