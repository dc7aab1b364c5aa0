// Statements of the accounts feature. Prisma where it reads well, raw SQL where Prisma cannot say it (sessions).
import type { Db } from '../db/client.js';
import { ownerOfEmail, ownersOfEmails } from '../db/login-emails.js';
import { rows } from '../db/sql.js';
import { Prisma } from '../generated/prisma/client.js';
import { NotFoundError } from '../web/errors.js';
import { recipientSelect } from './links.js';

type Who = { companyId: number; userId: number };

/** What "Mi cuenta" shows: the person's profile, their phone's state and the code waiting for it, in one statement. */
export async function readAccountPage(db: Db, who: Who) {
  const [row] = await rows<{
    name: string;
    email: string;
    phone: string | null;
    locale: string | null;
    phone_verified_at: Date | null;
    pending_phone: string | null;
    pending_expires_at: Date | null;
  }>(
    db,
    Prisma.sql`
    SELECT u.name, u.email, u.phone, u.locale, u.phone_verified_at,
           p.phone AS pending_phone, p.expires_at AS pending_expires_at
      FROM users u
      LEFT JOIN phone_verifications p ON p.company_id = ${who.companyId}::int AND p.user_id = u.id
     WHERE u.company_id = ${who.companyId}::int AND u.id = ${who.userId}::int`,
  );
  if (!row) throw new NotFoundError();
  const pending = row.pending_phone === null ? null : { phone: row.pending_phone, expiresAt: row.pending_expires_at! };
  return {
    account: { name: row.name, email: row.email, phone: row.phone, locale: row.locale },
    phone: { phone: row.phone, phoneVerifiedAt: row.phone_verified_at },
    pending,
  };
}

/** The signed-in person's own account, for "Mi cuenta". */
export function findOwnAccount(db: Db, who: Who) {
  return db.user.findFirstOrThrow({
    where: { id: who.userId, companyId: who.companyId },
    select: {
      id: true,
      name: true,
      email: true,
      phone: true,
      locale: true,
      passwordHash: true,
      company: { select: { country: true, name: true } },
    },
  });
}

export type OwnAccount = Awaited<ReturnType<typeof findOwnAccount>>;

export async function updateProfile(
  db: Db,
  who: Who,
  data: { name: string; locale: string | null; phone?: string | null },
): Promise<void> {
  if (data.phone === undefined) {
    await db.user.updateMany({ where: { id: who.userId, companyId: who.companyId }, data });
    return;
  }
  // A new number is unproven: SMS and WhatsApp stop until it is verified again.
  await db.$transaction([
    db.user.updateMany({
      where: { id: who.userId, companyId: who.companyId },
      data: { ...data, phoneVerifiedAt: null },
    }),
    db.phoneVerification.deleteMany({ where: { companyId: who.companyId, userId: who.userId } }),
  ]);
}

export async function updatePasswordHash(db: Pick<Db, 'user'>, who: Who, passwordHash: string): Promise<void> {
  await db.user.updateMany({ where: { id: who.userId, companyId: who.companyId }, data: { passwordHash } });
}

/** A person by address (platform-wide: addresses are unique), with what links and notices need. */
export async function findByEmail(db: Db, email: string) {
  const owner = await ownerOfEmail(db, email);
  if (!owner) return null;
  return db.user.findFirst({
    where: { companyId: owner.companyId, id: owner.userId },
    select: {
      ...recipientSelect,
      active: true,
      emailVerifiedAt: true,
      company: { select: { name: true, locale: true, active: true } },
    },
  });
}

/** Whether a person still has an unused, unexpired link of a purpose (e.g. an unlock link already mailed). */
export async function hasLiveToken(db: Db, who: Who, purpose: 'ACCOUNT_UNLOCK', now: Date): Promise<boolean> {
  const found = await db.accountToken.findFirst({
    where: { companyId: who.companyId, userId: who.userId, purpose, usedAt: null, expiresAt: { gt: now } },
    select: { id: true },
  });
  return found !== null;
}

/** The person a set-password link belongs to, with their company (to refuse links of suspended accounts). */
export function findLinkOwner(db: Pick<Db, 'user'>, who: Who) {
  return db.user.findFirst({
    where: { id: who.userId, companyId: who.companyId },
    select: { id: true, name: true, email: true, active: true, company: { select: { name: true, active: true } } },
  });
}

/** Sets the password chosen through an emailed link; following the link also proves the address. */
export async function setPasswordFromLink(
  db: Pick<Db, 'user'>,
  who: Who,
  passwordHash: string,
  now: Date,
): Promise<void> {
  const user = await db.user.findFirstOrThrow({
    where: { id: who.userId, companyId: who.companyId },
    select: { emailVerifiedAt: true },
  });
  await db.user.updateMany({
    where: { id: who.userId, companyId: who.companyId },
    data: { passwordHash, emailVerifiedAt: user.emailVerifiedAt ?? now },
  });
}

/** The company of each of these addresses that has an account. */
export function companiesOfEmails(db: Db, emails: string[]) {
  return ownersOfEmails(db, emails);
}

/**
 * Deletes the session rows of a person but one (raw SQL: the owner is inside the session's JSON, as
 * `<company id>:<user id>` or, from an earlier version, the bare user id).
 */
export function deleteSessionsOf(db: Pick<Db, '$executeRaw'>, userId: number, keepSid: string): Promise<number> {
  return db.$executeRaw`
    DELETE FROM "session"
     WHERE split_part(sess->'passport'->>'user', ':', -1) = ${String(userId)} AND sid <> ${keepSid}`;
}

// Phone verification (phone-verification.ts): one pending code per person.

export function findPhone(db: Db, who: Who) {
  return db.user.findFirstOrThrow({
    where: { companyId: who.companyId, id: who.userId },
    select: { phone: true, phoneVerifiedAt: true },
  });
}

export function findPendingCode(db: Db, who: Who) {
  return db.phoneVerification.findFirst({
    where: { companyId: who.companyId, userId: who.userId },
    select: { phone: true, codeHash: true, attempts: true, expiresAt: true, sentAt: true },
  });
}

export async function saveCode(
  db: Db,
  who: Who,
  data: { phone: string; codeHash: string; attempts: number; expiresAt: Date; sentAt: Date },
): Promise<void> {
  await db.phoneVerification.upsert({
    where: { companyId_userId: { companyId: who.companyId, userId: who.userId } },
    create: { ...who, ...data },
    update: data,
  });
}

export async function deleteCode(db: Db, who: Who): Promise<void> {
  await db.phoneVerification.deleteMany({ where: { companyId: who.companyId, userId: who.userId } });
}

/** Spends one attempt at a code (a conditional update: parallel guesses cannot exceed `max`); false when none left. */
export async function spendAttempt(db: Db, who: Who, max: number): Promise<boolean> {
  const { count } = await db.phoneVerification.updateMany({
    where: { companyId: who.companyId, userId: who.userId, attempts: { lt: max } },
    data: { attempts: { increment: 1 } },
  });
  return count === 1;
}

/** The code was right: the phone it went to is verified (if still the person's phone) and the code is spent. */
export async function markPhoneVerified(db: Db, who: Who, phone: string, at: Date): Promise<void> {
  await db.$transaction([
    db.user.updateMany({ where: { companyId: who.companyId, id: who.userId, phone }, data: { phoneVerifiedAt: at } }),
    db.phoneVerification.deleteMany({ where: { companyId: who.companyId, userId: who.userId } }),
  ]);
}
