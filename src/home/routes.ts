import { Router } from 'express';
import { actorOf, authorizes, isServicesHead, isWorker } from '../auth/index.js';
import { homeOf, type HomeDeps } from './service.js';

export function homeRoutes(deps: HomeDeps) {
  const router = Router();
  router.get('/', async (req, res) => {
    const actor = actorOf(req);
    res.render('home/index', {
      title: req.t('home.title'),
      actor,
      // Which role sections the page draws (an empty one still says "nothing waits").
      sections: { authorize: authorizes(actor), decide: isServicesHead(actor), tickets: isWorker(actor) },
      ...(await homeOf(deps, actor)),
    });
  });
  return router;
}
