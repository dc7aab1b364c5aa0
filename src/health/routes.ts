import { Router } from 'express';
import type { Db } from '../db/client.js';

/**
 * Liveness with a real database round trip: load balancers stop sending traffic while it answers 503
 * ({ database: "down" }), and send it again once the app has reconnected by itself.
 */
export function healthRoutes(db: Db) {
  const router = Router();
  router.get('/health', async (_req, res) => {
    try {
      await db.$queryRaw`SELECT 1`;
      res.json({ status: 'ok', database: 'up' });
    } catch {
      res.status(503).json({ status: 'unavailable', database: 'down' });
    }
  });
  return router;
}
