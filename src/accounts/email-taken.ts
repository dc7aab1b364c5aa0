// Addresses are unique platform-wide, so inviting an address already in use must fail — without telling an
// administrator that the address has an account in ANOTHER company.
import { normalizeEmail } from '../auth/index.js';
import type { Db } from '../db/client.js';
import { companiesOfEmails } from './queries.js';

/** Same company: the person is already there. */
export const EMAIL_TAKEN_HERE = 'admin.people.emailTaken';
/** Another company (or a race): a neutral refusal. */
export const EMAIL_UNAVAILABLE = 'account.inviteUnavailable';

/**
 * The message key to show when inviting `email` into `companyId`, or null when the address is free. Only a
 * duplicate within the actor's own company is named as such.
 */
export async function emailTakenMessageKey(db: Db, companyId: number, email: string): Promise<string | null> {
  const keys = await emailsTakenMessageKeys(db, companyId, [email]);
  return keys.get(normalizeEmail(email)) ?? null;
}

/** The same for a list of addresses (the people import): normalized address → message key, free ones left out. */
export async function emailsTakenMessageKeys(
  db: Db,
  companyId: number,
  emails: string[],
): Promise<Map<string, string>> {
  const wanted = [...new Set(emails.map(normalizeEmail))];
  const users = await companiesOfEmails(db, wanted);
  return new Map(users.map((u) => [u.email, u.companyId === companyId ? EMAIL_TAKEN_HERE : EMAIL_UNAVAILABLE]));
}
