import { Router } from 'express';

/** The public landing page at / for anonymous visitors; signed-in people get their home page. */
export function landingRoutes() {
  const router = Router();
  router.get('/', (req, res, next) => {
    if (req.user) return next();
    res.render('landing/index', { title: req.t('landing.title') });
  });
  return router;
}
