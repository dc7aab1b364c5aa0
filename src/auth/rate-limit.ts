// Limits of actions anyone can repeat (company signup…), counted in PostgreSQL so every process of the app
// shares them: each attempt is written, then the attempts of its key within the window are counted.
import type { Db } from '../db/client.js';
import { AppError } from '../web/errors.js';
import { recordHit } from './queries.js';

/** A 429 carrying the seconds to wait (sent as Retry-After). */
export class TooManyAttemptsError extends AppError {
  constructor(
    messageKey: string,
    readonly retryAfterSeconds: number,
  ) {
    super('too_many_requests', messageKey, {
      seconds: retryAfterSeconds,
      minutes: Math.max(1, Math.ceil(retryAfterSeconds / 60)),
    });
  }
}

export interface AttemptLimit {
  /** What is limited and by what, e.g. 'signup-ip'. */
  bucket: string;
  key: string;
  limit: number;
  windowMs: number;
  messageKey: string;
}

/** Records an attempt under each limit; throws TooManyAttemptsError when one of them is over. */
export async function limitAttempts(db: Db, now: Date, limits: AttemptLimit[]): Promise<void> {
  for (const l of limits) {
    const count = await recordHit(db, l.bucket, l.key, new Date(now.getTime() - l.windowMs), now);
    if (count > l.limit) throw new TooManyAttemptsError(l.messageKey, Math.ceil(l.windowMs / 1000));
  }
}
