import { Router, type Request, type Response } from 'express';
import { actorOf, requireRole } from '../auth/index.js';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { ForbiddenError } from '../web/errors.js';
import { idParam } from '../web/fields.js';
import { flash } from '../web/flash.js';
import type { NavSection } from '../web/navigation.js';
import { linkTo, requestedPage } from '../web/pagination.js';
import { isPlatformOperator } from './policy.js';
import { listCompanies, setCompanyActive } from './service.js';

const HOME = '/plataforma';

export const platformNavSection = (config: Config): NavSection => ({
  visible: isPlatformOperator(config),
  item: () => ({ href: HOME, labelKey: 'platform.nav', icon: 'buildings' }),
});

/** The operator's view of every company: size, activity, and suspension. */
export function platformRoutes(db: Db, config: Config) {
  const deps = { db };
  const router = Router();
  router.use(HOME, requireRole(isPlatformOperator(config)));

  router.get(HOME, async (req, res) => {
    const actor = actorOf(req);
    const { items, page } = await listCompanies(deps, actor, { page: requestedPage(req.query) });
    res.render('platform/index', {
      title: req.t('platform.title'),
      companies: items,
      page,
      link: linkTo(HOME, req.query),
      ownCompanyId: actor.companyId,
    });
  });

  const setActive = (active: boolean) => async (req: Request, res: Response) => {
    try {
      const { name } = await setCompanyActive(deps, actorOf(req), {
        companyId: idParam(req.params.id),
        active,
        operatorLabel: req.t('platform.operator'),
      });
      flash(req, 'success', req.t(active ? 'platform.reactivated' : 'platform.suspended', { name }));
    } catch (err) {
      // Suspending one's own company is refused on the list, not as an error page.
      if (!(err instanceof ForbiddenError)) throw err;
      flash(req, 'danger', req.t(err.messageKey, err.params));
    }
    res.redirect(HOME);
  };
  router.post('/plataforma/empresas/:id/suspender', setActive(false));
  router.post('/plataforma/empresas/:id/reactivar', setActive(true));
  return router;
}
