// Use cases of a signed-in person's own account ("Mi cuenta"): profile and password.
import type { z } from 'zod';
import { hashPassword, verifyPassword } from '../auth/index.js';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { Actor } from '../auth/index.js';
import { ValidationError, type FieldMessages } from '../web/errors.js';
import { phoneStateOf } from './phone-verification.js';
import { findOwnAccount, readAccountPage, updatePasswordHash, updateProfile } from './queries.js';
import { newPasswordSchema, type ProfileInput } from './schemas.js';
import { endSessionsOf } from './sessions.js';

export interface AccountDeps {
  db: Db;
  config: Config;
  clock: () => Date;
}

/** The first message key of each field of a failed zod parse. */
export function issueKeys(error: z.ZodError): FieldMessages {
  const fields: FieldMessages = {};
  for (const issue of error.issues) fields[String(issue.path[0] ?? '_form')] ??= issue.message;
  return fields;
}

/** "Mi cuenta": the person's profile and their phone's verification state (one statement). */
export async function loadAccountPage(deps: Pick<AccountDeps, 'db'>, actor: Actor) {
  const page = await readAccountPage(deps.db, { companyId: actor.companyId, userId: actor.id });
  return { profile: page.account, phoneState: phoneStateOf(page.phone, page.pending) };
}

export function loadOwnAccount(deps: Pick<AccountDeps, 'db'>, actor: Actor) {
  return findOwnAccount(deps.db, { companyId: actor.companyId, userId: actor.id });
}

/** Saves name, language and phone; a changed phone is unverified again. */
export async function saveProfile(deps: Pick<AccountDeps, 'db'>, actor: Actor, input: ProfileInput): Promise<void> {
  const who = { companyId: actor.companyId, userId: actor.id };
  const me = await findOwnAccount(deps.db, who);
  const data = { name: input.name, locale: input.locale || null };
  await updateProfile(deps.db, who, input.phone === me.phone ? data : { ...data, phone: input.phone });
}

/**
 * Changes the password after checking the current one; the person's other sessions end (in every process
 * within a second). Returns how many sessions ended. Throws ValidationError (field → message key).
 */
export async function changePassword(
  deps: Pick<AccountDeps, 'db'>,
  actor: Actor,
  input: { current: string; password: string; confirm: string },
  keepSid: string,
): Promise<number> {
  const who = { companyId: actor.companyId, userId: actor.id };
  const me = await findOwnAccount(deps.db, who);
  if (!me.passwordHash || !(await verifyPassword(input.current, me.passwordHash)))
    throw new ValidationError({ current: 'account.wrongCurrent' });
  const parsed = newPasswordSchema([me.name, me.email, me.company.name]).safeParse(input);
  if (!parsed.success) throw new ValidationError(issueKeys(parsed.error));
  await updatePasswordHash(deps.db, who, await hashPassword(parsed.data.password));
  return endSessionsOf(deps.db, me.id, keepSid);
}
