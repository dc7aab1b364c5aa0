import type { Request } from 'express';
import { serialize, type CookieSerializeOptions } from 'cookie';
import { signedCookie } from './signed-cookie.js';
import signature from 'cookie-signature';
import helmet from 'helmet';
import { csrfSync } from 'csrf-sync';

/** A strict Content-Security-Policy: only our own scripts, styles and fonts; no inline script. */
export function securityHeaders(isProduction: boolean) {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        ...(isProduction ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // Plain-http development on localhost must not be pinned to https.
    strictTransportSecurity: isProduction,
  });
}

/**
 * CSRF protection: every state-changing form carries a token in a hidden `_csrf` field, checked against the one kept
 * for the browser. A signed-in person's token is kept in their session (the synchronizer pattern). A visitor without
 * an account keeps it in a signed cookie instead (the signed double-submit pattern): a public page with a form (the
 * portal, the survey, the sign-in page, the language menu) then writes no session row, where each visit of it used
 * to store one for SESSION_MAX_AGE_HOURS (docs/benchmark.md, fourteenth stop). Another site can neither read that
 * cookie nor forge its signature; over https it is a `__Host-` cookie, which no subdomain can set.
 */
export function csrfProtection({ secret, secure }: { secret: string; secure: boolean }) {
  const name = secure ? '__Host-csrf' : 'csrf';
  const options: CookieSerializeOptions = { path: '/', httpOnly: true, sameSite: 'lax', secure };
  // A token issued while this request is answered: the cookie it came in with does not hold it yet.
  const issued = new WeakMap<Request, string>();
  const guestToken = (req: Request): string | undefined => {
    const fresh = issued.get(req);
    if (fresh !== undefined) return fresh;
    return signedCookie(req, name, secret) || undefined;
  };
  return csrfSync({
    // 32 random bytes is plenty; the default 128 puts 256 characters in every form of a page.
    size: 32,
    getTokenFromRequest: (req: Request) =>
      (typeof req.body?._csrf === 'string' ? req.body._csrf : undefined) ??
      (req.headers['x-csrf-token'] as string | undefined),
    getTokenFromState: (req: Request) => (req.user ? req.session?.csrfToken : guestToken(req)),
    storeTokenInState: (req: Request, token?: string | null) => {
      if (req.user) {
        req.session.csrfToken = token;
      } else if (token && req.res && !req.res.headersSent) {
        issued.set(req, token);
        req.res.append('Set-Cookie', serialize(name, signature.sign(token, secret), options));
      }
    },
  });
}
