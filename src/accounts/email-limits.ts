import type { Request, RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Config } from '../config.js';
import { normalizeEmail } from '../auth/index.js';

/**
 * Limits pages that send an email to an address typed by anyone (resend verification,
 * forgotten password): per address and per IP, per hour. `reject` renders the page with a 429.
 */
export function emailSendLimiters(config: Config, reject: (req: Request, res: Response) => void): RequestHandler[] {
  const common = { windowMs: 3600_000, standardHeaders: 'draft-8' as const, legacyHeaders: false, handler: reject };
  return [
    rateLimit({ ...common, limit: config.ACCOUNT_EMAILS_PER_HOUR * 4 }),
    rateLimit({
      ...common,
      limit: config.ACCOUNT_EMAILS_PER_HOUR,
      keyGenerator: (req) => `email:${normalizeEmail(String(req.body?.email ?? ''))}`,
    }),
  ];
}
