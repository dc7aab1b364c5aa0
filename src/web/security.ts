import type { Request } from 'express';
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

/** Synchronizer-token CSRF protection: the token lives in the session and travels in a hidden `_csrf` field. */
export const csrf = csrfSync({
  // 32 random bytes is plenty; the default 128 puts 256 characters in every form of a page.
  size: 32,
  getTokenFromRequest: (req: Request) =>
    (typeof req.body?._csrf === 'string' ? req.body._csrf : undefined) ??
    (req.headers['x-csrf-token'] as string | undefined),
});
