// Failed sign-ins are limited in PostgreSQL, so every process of the app sees the same counts:
// - per account and IP: after LOGIN_FAILURES_BEFORE_DELAY failures, each new try waits 1 s, 2 s, 4 s… (capped)
//   after the previous failure — a guesser is slowed down, and nobody else is locked out by it;
// - per IP: LOGIN_MAX_FAILURES_PER_IP failures (any accounts) per LOGIN_WINDOW_MINUTES;
// - per account, from all IPs: LOGIN_MAX_FAILURES_PER_ACCOUNT failures per hour lock the account; its owner is
//   mailed a link that unlocks it for the browser that follows it.
// Only a wrong password (or an unknown address) counts: who knows the password never adds to the counts.
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import {
  clearAccountFailures,
  clearPairFailures,
  countLoginFailures,
  deleteLoginFailure,
  insertLoginFailure,
  pruneLoginFailures,
} from './queries.js';
import { TooManyAttemptsError } from './rate-limit.js';

const ACCOUNT_WINDOW_MS = 3600_000;

export interface LoginThrottleDeps {
  db: Db;
  config: Config;
  clock: () => Date;
  /** Called (without waiting) when an account reaches the ceiling: mails its owner the unlock link. */
  onAccountLocked: (email: string) => Promise<void>;
}

export interface LoginAttempt {
  id: bigint;
  email: string;
  ip: string;
  /** Failures of the account within the hour before this one. */
  accountFailures: number;
}

export type AttemptOutcome = 'signed-in' | 'wrong-password' | 'refused';

/** Seconds a pair still has to wait after its `failures` failures, the newest at `last`. */
export function pairDelaySeconds(config: Config, failures: number, last: Date | null, now: Date): number {
  if (!last || failures < config.LOGIN_FAILURES_BEFORE_DELAY) return 0;
  const exponent = Math.min(failures - config.LOGIN_FAILURES_BEFORE_DELAY, 30);
  const delayMs = Math.min(2 ** exponent, config.LOGIN_MAX_DELAY_SECONDS) * 1000;
  return Math.max(0, Math.ceil((last.getTime() + delayMs - now.getTime()) / 1000));
}

/**
 * Starts a sign-in attempt. It is written as a failure before the password is checked, so parallel guesses see
 * each other; throws TooManyAttemptsError (and forgets the attempt) while a limit holds. `unlockedFor` is the
 * address whose unlock link this browser followed: the account's ceiling does not apply to it.
 */
export async function beginLoginAttempt(
  deps: LoginThrottleDeps,
  who: { email: string; ip: string; unlockedFor?: string },
): Promise<LoginAttempt> {
  const { db, config } = deps;
  const now = deps.clock();
  const windowMs = config.LOGIN_WINDOW_MINUTES * 60_000;
  const id = await insertLoginFailure(db, who.email, who.ip, now);
  const counts = await countLoginFailures(db, {
    email: who.email,
    ip: who.ip,
    ownId: id,
    pairSince: new Date(now.getTime() - Math.max(windowMs, config.LOGIN_MAX_DELAY_SECONDS * 1000)),
    ipSince: new Date(now.getTime() - windowMs),
    accountSince: new Date(now.getTime() - ACCOUNT_WINDOW_MS),
  });
  const refuse = async (key: string, seconds: number) => {
    await deleteLoginFailure(db, id);
    throw new TooManyAttemptsError(key, seconds);
  };
  if (counts.account >= config.LOGIN_MAX_FAILURES_PER_ACCOUNT && who.unlockedFor !== who.email)
    await refuse('auth.accountLocked', ACCOUNT_WINDOW_MS / 1000);
  if (counts.ip >= config.LOGIN_MAX_FAILURES_PER_IP) await refuse('auth.tooManyIp', windowMs / 1000);
  const wait = pairDelaySeconds(config, counts.pair, counts.lastPair, now);
  if (wait > 0) await refuse('auth.tooManyPair', wait);
  return { id, email: who.email, ip: who.ip, accountFailures: counts.account };
}

/** Ends an attempt: only a wrong password stays counted; the one that reaches the ceiling has the owner mailed. */
export async function settleLoginAttempt(
  deps: LoginThrottleDeps,
  attempt: LoginAttempt,
  outcome: AttemptOutcome,
): Promise<void> {
  const { db } = deps;
  if (outcome === 'signed-in') return clearPairFailures(db, attempt.email, attempt.ip);
  if (outcome === 'refused') return deleteLoginFailure(db, attempt.id);
  const { config } = deps;
  const kept = Math.max(ACCOUNT_WINDOW_MS, config.LOGIN_MAX_DELAY_SECONDS * 1000, config.LOGIN_WINDOW_MINUTES * 60_000);
  await pruneLoginFailures(db, attempt.email, new Date(deps.clock().getTime() - kept));
  if (attempt.accountFailures + 1 === config.LOGIN_MAX_FAILURES_PER_ACCOUNT) {
    // Not awaited: the attempt that locks an existing account must not answer slower than any other.
    // The callback logs its own failures.
    deps.onAccountLocked(attempt.email).catch(() => undefined);
  }
}

/** The owner followed the unlock link: the account's failures are forgotten. */
export async function unlockAccount(db: Db, email: string): Promise<void> {
  await clearAccountFailures(db, email);
}
