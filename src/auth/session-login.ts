// Establishing the signed-in session, and the half-way state between the password (or nothing) and a second step.
import type { Request } from 'express';

/** A person who gave the right password and still owes a second step (a TOTP code, or enrolling one). */
export interface PendingSignIn {
  userId: number;
  companyId: number;
  email: string;
  step: 'verify' | 'enrol';
  next: string;
  /** Epoch ms when the password was accepted; the second step must follow within PENDING_SIGN_IN_MS. */
  since: number;
}

export const PENDING_SIGN_IN_MS = 10 * 60_000;

declare module 'express-session' {
  interface SessionData {
    pendingSignIn?: PendingSignIn;
  }
}

/** Signs `user` in on this browser; passport ≥ 0.6 regenerates the session id, so a planted id is useless. */
export function establishSession(req: Request, user: Express.User): Promise<void> {
  return new Promise<void>((resolve, reject) => req.login(user, (err) => (err ? reject(err) : resolve())));
}

/** The pending second step of this browser, if still fresh. */
export function pendingSignIn(req: Request, now: Date): PendingSignIn | null {
  const p = req.session.pendingSignIn;
  // One of an earlier version (without the company) is stale too: it is at most minutes old.
  if (!p?.companyId || now.getTime() - p.since > PENDING_SIGN_IN_MS) return null;
  return p;
}
