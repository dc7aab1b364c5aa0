// Forms that can't post twice. Every state-changing form carries a one-time key (`_once`, a UUID drawn when the form
// is drawn). The first post of a key claims it; a repeated post — a double click, back-and-resubmit, a retry after a
// timeout — waits for the first to finish and is sent where the first went, writing nothing. A post that ended
// without a redirect (a form error, a refusal) frees its key, so the corrected form can be sent again.
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type pg from 'pg';
import { ConflictError } from '../web/errors.js';
import { claimKey, outcomeOf, pruneKeys, recordOutcome, releaseKey, type SubmissionKey } from './queries.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** How long a repeated post waits for the first one's answer. */
const WAIT_MS = 15_000;
const POLL_MS = 50;
const PRUNE_EVERY = 500;

/** The hidden field every state-changing form carries (with the CSRF token). */
export function onceField(): string {
  return `<input type="hidden" name="_once" value="${randomUUID()}">`;
}

/** Once the post is answered: a redirect is remembered for the repeats; anything else frees the key. */
function settleWhenAnswered(pool: pg.Pool, k: SubmissionKey, req: Request, res: Response) {
  const settle = () => {
    const location = res.statusCode >= 300 && res.statusCode < 400 ? res.getHeader('location') : undefined;
    const done = typeof location === 'string' ? recordOutcome(pool, k, location) : releaseKey(pool, k);
    done.catch((err: unknown) => req.log?.warn({ err }, 'form key not settled'));
  };
  // A client that went away before the answer leaves the key claimed: whether that post wrote is unknown, so
  // its repeats get an explanation rather than a second write (keys are pruned after a day).
  res.once('finish', settle);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function onceMiddleware(pool: pg.Pool) {
  let posts = 0;
  return async (req: Request, res: Response, next: NextFunction) => {
    const raw = (req.body as { _once?: unknown } | undefined)?._once;
    if (req.method !== 'POST' || !req.user || typeof raw !== 'string' || !UUID.test(raw)) return next();
    const k: SubmissionKey = { companyId: req.user.companyId, userId: req.user.id, key: raw.toLowerCase() };
    if (++posts % PRUNE_EVERY === 0) void pruneKeys(pool).catch(() => undefined);

    if (await claimKey(pool, k)) {
      settleWhenAnswered(pool, k, req, res);
      return next();
    }
    // A repeat: wait for the first post's answer and give the same one.
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const outcome = await outcomeOf(pool, k);
      if (outcome === null) {
        // The first post wrote nothing and freed the key: this one may try (and claims it, or waits again).
        if (await claimKey(pool, k)) {
          settleWhenAnswered(pool, k, req, res);
          return next();
        }
      } else if (outcome !== 'pending') {
        return res.redirect(303, outcome);
      }
      if (Date.now() > deadline) return next(new ConflictError('forms.stillWorking'));
      await sleep(POLL_MS);
    }
  };
}
