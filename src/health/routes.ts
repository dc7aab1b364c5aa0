import { Router } from 'express';
import { databaseAnswers, type Db } from '../db/client.js';

/**
 * Liveness with a real database round trip: load balancers stop sending traffic while it answers 503
 * ({ database: "down" }), and send it again once the app has reconnected by itself.
 */
export function healthRoutes(db: Db) {
  const router = Router();
  router.get('/health', async (_req, res) => {
    if (await databaseAnswers(db)) res.json({ status: 'ok', database: 'up' });
    else res.status(503).json({ status: 'unavailable', database: 'down' });
  });
  return router;
}
