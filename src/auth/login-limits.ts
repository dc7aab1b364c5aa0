import type { Request, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Config } from '../config.js';
import { normalizeEmail } from './passport.js';

/**
 * Failed sign-ins are limited per account (guessing one person's password) and per
 * IP (trying many accounts). Successful sign-ins do not count.
 */
export function loginLimiters(config: Config) {
  const windowMs = config.LOGIN_WINDOW_MINUTES * 60_000;
  const minutes = Math.ceil(config.LOGIN_WINDOW_MINUTES);
  const reject = (messageKey: string) => (req: Request, res: Response) => {
    res.status(429).render('auth/login', {
      title: req.t('auth.title'),
      email: typeof req.body?.email === 'string' ? req.body.email : '',
      next: typeof req.body?.next === 'string' ? req.body.next : '',
      error: req.t(messageKey, { minutes }),
      notice: null,
    });
  };
  const common = {
    windowMs,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8' as const,
    legacyHeaders: false,
  };
  return [
    rateLimit({ ...common, limit: config.LOGIN_MAX_FAILURES_PER_IP, handler: reject('auth.tooManyIp') }),
    rateLimit({
      ...common,
      limit: config.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      keyGenerator: (req) => `account:${normalizeEmail(String(req.body?.email ?? ''))}`,
      handler: reject('auth.tooManyAccount'),
    }),
  ];
}
