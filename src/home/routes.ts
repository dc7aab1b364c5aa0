import { Router } from 'express';
import { actorOf } from '../auth/index.js';
import type { Db } from '../db/client.js';
import { homeOf } from './service.js';

export function homeRoutes(db: Db) {
  const router = Router();
  router.get('/', async (req, res) => {
    const actor = actorOf(req);
    res.render('home/index', { title: req.t('home.title'), actor, ...(await homeOf({ db }, actor)) });
  });
  return router;
}
