import { Router } from 'express';
import { z } from 'zod';
import { safeNext } from '../auth/routes.js';
import { LANGUAGES } from './i18n.js';

const schema = z.object({ lang: z.enum(LANGUAGES), next: z.string().optional() });

/** Switches the interface language for this session (Spanish is the default). */
export function languageRoutes() {
  const router = Router();
  router.post('/idioma', (req, res) => {
    const parsed = schema.safeParse(req.body);
    if (parsed.success) req.session.lang = parsed.data.lang;
    res.redirect(safeNext(parsed.success ? parsed.data.next : undefined));
  });
  return router;
}
