import type { NextFunction, Request, Response } from 'express';
import type { TFunction } from 'i18next';
import { DEFAULT_LANGUAGE, isLanguage, translator, type Language } from './i18n.js';

declare module 'express-session' {
  interface SessionData {
    lang?: Language;
    flash?: { type: 'success' | 'danger' | 'info' | 'warning'; message: string }[];
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

export function flash(req: Request, type: 'success' | 'danger' | 'info' | 'warning', message: string) {
  (req.session.flash ??= []).push({ type, message });
}

/** Moves pending flash messages into the view locals (and out of the session). */
export function flashMiddleware(req: Request, res: Response, next: NextFunction) {
  const pending = req.session?.flash;
  res.locals.flash = pending ?? [];
  if (pending) delete req.session.flash;
  next();
}

/**
 * express-session sends a response's headers before the session is stored, so a browser
 * following a redirect could load the session before the flash message (or language)
 * written with it is saved, and the message would be lost. Redirects wait for the save.
 */
export function saveSessionBeforeRedirect(req: Request, res: Response, next: NextFunction) {
  const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
  res.redirect = ((...args: unknown[]) => {
    // Nothing to keep: no session (e.g. destroyed at logout) or nothing but its cookie.
    if (!req.session || Object.keys(req.session).every((k) => k === 'cookie')) return redirect(...args);
    req.session.save((err) => (err ? next(err) : redirect(...args)));
  }) as Response['redirect'];
  next();
}
