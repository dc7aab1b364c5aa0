import { Router } from 'express';
import { z } from 'zod';
import { safeNext } from './safe-next.js';
import { LANGUAGES } from './i18n.js';

const schema = z.object({ lang: z.enum(LANGUAGES), next: z.string().optional() });

/** Switches the interface language for this session (Spanish is the default). */
export function languageRoutes() {
  const router = Router();
  router.post('/idioma', (req, res) => {
    const parsed = schema.safeParse(req.body);
    const target = safeNext(parsed.success ? parsed.data.next : undefined);
    if (!parsed.success) return res.redirect(target);
    req.session.lang = parsed.data.lang;
    // Saved before redirecting, so the next page is already in the new language.
    req.session.save(() => res.redirect(target));
  });
  return router;
}
