import type { NextFunction, Request, Response } from 'express';
import type { TFunction } from 'i18next';
import { DEFAULT_LANGUAGE, isLanguage, translator, type Language } from './i18n.js';

declare module 'express-session' {
  interface SessionData {
    lang?: Language;
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      t: TFunction;
      lang: Language;
    }
  }
}

/** The language: chosen in this session, else the person's, else the company's, else Spanish. */
export function languageMiddleware(req: Request, res: Response, next: NextFunction) {
  const candidates = [req.session?.lang, req.user?.locale, req.user?.companyLocale];
  const lang = candidates.find(isLanguage) ?? DEFAULT_LANGUAGE;
  req.lang = lang;
  req.t = translator(lang);
  res.locals.t = req.t;
  res.locals.lang = lang;
  next();
}

/**
 * express-session sends a response's headers before the session is stored, so a browser
 * following a redirect could load the session before what was written to it (e.g. the
 * e-mail address of a sign-up) is saved. Redirects of a request that changed its session
 * wait for the save; the others (most form posts) write nothing.
 */
export function saveSessionBeforeRedirect(req: Request, res: Response, next: NextFunction) {
  const before = req.session ? JSON.stringify(req.session) : undefined;
  const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
  res.redirect = ((...args: unknown[]) => {
    // Nothing to keep: no session (e.g. destroyed at logout), or the session as it was loaded.
    if (!req.session || JSON.stringify(req.session) === before) return redirect(...args);
    req.session.save((err) => (err ? next(err) : redirect(...args)));
  }) as Response['redirect'];
  next();
}
