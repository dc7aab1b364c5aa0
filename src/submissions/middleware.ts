// Forms that can't post twice. Every state-changing form of a signed-in page carries a one-time key (`_once`, a UUID
// drawn when the form is drawn). The first post of a key claims it; a repeated post — a double click, back and
// resubmit, a retry after a timeout — waits for the first to be answered and is sent where the first went (with the
// same flash messages), writing nothing. A post answered without a redirect (a form error, a refusal, a failure)
// frees its key, so the corrected form can be sent again.
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type pg from 'pg';
import { ConflictError } from '../web/errors.js';
import { flash } from '../web/flash.js';
import { escapeHtml } from '../web/view-helpers.js';
import { claimKey, outcomeOf, pruneKeys, recordOutcome, releaseKey, type SubmissionKey } from './queries.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** How long a repeated post waits for the first one's answer before it is told the form is still being processed. */
const WAIT_MS = 15_000;
const FIRST_POLL_MS = 20;
const MAX_POLL_MS = 250;
const PRUNE_EVERY = 500;

/** The hidden one-time key of a form: a fresh one per form drawn. */
export function onceField(): string {
  return `<input type="hidden" name="_once" value="${randomUUID()}">`;
}

/** Both hidden fields of a state-changing form of a signed-in page: its CSRF token and its own one-time key. */
export function formKeys(csrfToken: string): string {
  return `<input type="hidden" name="_csrf" value="${escapeHtml(csrfToken)}">${onceField()}`;
}

/**
 * The outcome is settled when the route answers (res.end), not when the answer has reached the client: a browser
 * cancels the first post of a double click, and that post's 'finish' never comes although it wrote. The answer
 * leaves only once the outcome is stored, so a client that has it and posts again is redirected at once.
 */
function settleOnAnswer(pool: pg.Pool, k: SubmissionKey, req: Request, res: Response) {
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  res.end = ((...args: unknown[]) => {
    const location = res.statusCode >= 300 && res.statusCode < 400 ? res.getHeader('location') : undefined;
    const settled =
      typeof location === 'string'
        ? recordOutcome(pool, k, { location, messages: req.flashCookie?.out ?? [] })
        : releaseKey(pool, k);
    void settled.catch((err: unknown) => req.log?.warn({ err }, 'form key not settled')).then(() => end(...args));
    return res;
  }) as Response['end'];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Mounted after authentication and the CSRF check: posts of signed-in people that carry a key. */
export function onceMiddleware(pool: pg.Pool) {
  let posts = 0;
  return async (req: Request, res: Response, next: NextFunction) => {
    const raw = (req.body as { _once?: unknown } | undefined)?._once;
    if (req.method !== 'POST' || !req.user || typeof raw !== 'string' || !UUID.test(raw)) return next();
    const k: SubmissionKey = { companyId: req.user.companyId, userId: req.user.id, key: raw.toLowerCase() };
    if (++posts % PRUNE_EVERY === 0) void pruneKeys(pool).catch(() => undefined);

    // A repeat waits for the first post's answer and gets the same one. A key left claimed by a post whose process
    // died is never taken over: whether that post wrote is unknown, so its repeats are told so (keys last a day).
    const deadline = Date.now() + WAIT_MS;
    for (let pause = FIRST_POLL_MS; ; pause = Math.min(pause * 2, MAX_POLL_MS)) {
      if (await claimKey(pool, k)) {
        settleOnAnswer(pool, k, req, res);
        return next();
      }
      const outcome = await outcomeOf(pool, k);
      if (outcome !== 'pending' && outcome !== null) {
        for (const m of outcome.messages) flash(req, m.type, m.message);
        return res.redirect(303, outcome.location);
      }
      if (Date.now() > deadline) throw new ConflictError('forms.stillWorking');
      // null: the first post wrote nothing and freed the key, so this one claims it on the next turn.
      if (outcome === 'pending') await sleep(pause);
    }
  };
}
