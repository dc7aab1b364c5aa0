// Flash messages ("Solicitud SOL-000123 autorizada.") travel in a short-lived signed
// cookie set on the response that writes them — usually the redirect after a form post —
// and are shown and cleared by the next page. Kept in the session they cost a session
// write on every post and another on the page that showed them, and the redirect had to
// wait for the store.
import type { NextFunction, Request, Response } from 'express';
import { serialize, type CookieSerializeOptions } from 'cookie';
import { signedCookie } from './signed-cookie.js';
import signature from 'cookie-signature';

export type FlashType = 'success' | 'danger' | 'info' | 'warning';
export interface FlashMessage {
  type: FlashType;
  message: string;
}

const COOKIE = 'flash';
const TYPES: readonly string[] = ['success', 'danger', 'info', 'warning'];

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by flashMessages(): how this request signs the flash cookie. */
      flashCookie?: { secret: string; options: CookieSerializeOptions; out: FlashMessage[] };
    }
  }
}

/** Queues a message for the next page this browser loads. */
export function flash(req: Request, type: FlashType, message: string) {
  const state = req.flashCookie;
  if (!state || !req.res) throw new Error('flash() needs the flashMessages middleware');
  state.out.push({ type, message });
  const value = serialize(COOKIE, signature.sign(JSON.stringify(state.out), state.secret), state.options);
  replaceFlashCookie(req.res, value);
}

function replaceFlashCookie(res: Response, value: string) {
  const current = res.getHeader('Set-Cookie');
  const others = (Array.isArray(current) ? current : current === undefined ? [] : [String(current)]).filter(
    (c) => !c.startsWith(`${COOKIE}=`),
  );
  res.setHeader('Set-Cookie', [...others, value]);
}

function isMessages(value: unknown): value is FlashMessage[] {
  return (
    Array.isArray(value) &&
    value.every(
      (m) =>
        typeof m === 'object' &&
        m !== null &&
        TYPES.includes((m as FlashMessage).type) &&
        typeof (m as FlashMessage).message === 'string',
    )
  );
}

/** Reads (and clears) the messages the previous response left; `res.locals.flash` holds them for the views. */
export function flashMessages({ secret, secure }: { secret: string; secure: boolean }) {
  const options: CookieSerializeOptions = { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: 60 };
  return (req: Request, res: Response, next: NextFunction) => {
    req.flashCookie = { secret, options, out: [] };
    res.locals.flash = [];
    const payload = signedCookie(req, COOKIE, secret);
    if (payload !== undefined) {
      if (payload !== false) {
        try {
          const messages: unknown = JSON.parse(payload);
          if (isMessages(messages)) res.locals.flash = messages;
        } catch {
          /* a cookie we did not write: ignored */
        }
      }
      replaceFlashCookie(res, serialize(COOKIE, '', { ...options, maxAge: 0 }));
    }
    next();
  };
}
