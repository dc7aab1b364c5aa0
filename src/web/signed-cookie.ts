import type { Request } from 'express';
import { parse } from 'cookie';
import signature from 'cookie-signature';

/**
 * The value of a cookie signed with `secret` (cookie-signature): undefined when the request has no such cookie, false
 * when its signature is not ours. The header is only parsed when it names the cookie.
 */
export function signedCookie(req: Request, name: string, secret: string): string | false | undefined {
  const header = req.headers.cookie;
  if (!header?.includes(`${name}=`)) return undefined;
  const raw = parse(header)[name];
  if (raw === undefined) return undefined;
  return raw ? signature.unsign(raw, secret) : false;
}
