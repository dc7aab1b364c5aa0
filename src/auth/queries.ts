// Statements of sign-in and its limits. Prisma where it reads well, raw SQL for the one counting statement (four
// counts over two indexes in one round trip).
import type { Db } from '../db/client.js';
import { ownerOfEmail } from '../db/login-emails.js';
import { rows } from '../db/sql.js';
import { Prisma } from '../generated/prisma/client.js';

type Raw = Pick<Db, '$queryRaw' | 'loginFailure' | 'rateLimitHit'>;

/** What checking a password needs to know about the account of an address (its owner first: one shard each). */
export async function findCredentials(db: Db, email: string) {
  const owner = await ownerOfEmail(db, email);
  if (!owner) return null;
  // Raw SQL: Prisma reads a relation through a lateral join on the outer row's column, which Citus cannot route.
  const [user] = await rows<{
    id: number;
    companyId: number;
    passwordHash: string | null;
    active: boolean;
    emailVerifiedAt: Date | null;
    companyActive: boolean;
  }>(
    db,
    Prisma.sql`SELECT u.id, u.company_id AS "companyId", u.password_hash AS "passwordHash", u.active,
                      u.email_verified_at AS "emailVerifiedAt", c.active AS "companyActive"
                 FROM users u JOIN companies c ON c.id = ${owner.companyId}::int
                WHERE u.company_id = ${owner.companyId}::int AND u.id = ${owner.userId}::int`,
  );
  return user ? { ...user, company: { active: user.companyActive } } : null;
}

/** One sign-in attempt on a known account, for its owner and the company's admins (kept 90 days). */
export interface SignInLogEntry {
  companyId: number;
  userId: number;
  email: string;
  ip: string;
  userAgent: string;
  method: 'password' | 'sso' | 'totp' | 'recovery';
  result: string;
}

export async function insertSignInLog(db: Pick<Db, 'signInLog'>, entry: SignInLogEntry, at: Date): Promise<void> {
  await db.signInLog.create({ data: { ...entry, userAgent: entry.userAgent.slice(0, 300), createdAt: at } });
}

export async function recordSignIn(db: Db, who: { companyId: number; id: number }, at: Date): Promise<void> {
  await db.user.updateMany({ where: { companyId: who.companyId, id: who.id }, data: { lastLoginAt: at } });
}

export interface FailureCounts {
  /** Failures of this account from this IP within the pair's window, and the newest of them. */
  pair: number;
  lastPair: Date | null;
  /** Failures from this IP (any account) within the IP's window. */
  ip: number;
  /** Failures of this account (from any IP) within the account's window. */
  account: number;
}

/** Writes an attempt as a failure (before the password is checked); returns its id. */
export async function insertLoginFailure(db: Raw, email: string, ip: string, at: Date): Promise<bigint> {
  const row = await db.loginFailure.create({ data: { email, ip, createdAt: at }, select: { id: true } });
  return row.id;
}

/** The counts that decide whether an attempt may go on (the attempt's own row left out). */
export async function countLoginFailures(
  db: Raw,
  q: { email: string; ip: string; ownId: bigint; pairSince: Date; ipSince: Date; accountSince: Date },
): Promise<FailureCounts> {
  const [row] = await db.$queryRaw<FailureCounts[]>(Prisma.sql`
    SELECT count(*) FILTER (WHERE ip = ${q.ip} AND created_at > ${q.pairSince})::int AS pair,
           max(created_at) FILTER (WHERE ip = ${q.ip} AND created_at > ${q.pairSince}) AS "lastPair",
           count(*) FILTER (WHERE created_at > ${q.accountSince})::int AS account,
           (SELECT count(*)::int FROM login_failures
             WHERE ip = ${q.ip} AND created_at > ${q.ipSince} AND id <> ${q.ownId}) AS ip
      FROM login_failures
     WHERE email = ${q.email} AND created_at > LEAST(${q.pairSince}::timestamptz, ${q.accountSince}::timestamptz)
       AND id <> ${q.ownId}`);
  return row!;
}

export async function deleteLoginFailure(db: Raw, id: bigint): Promise<void> {
  await db.loginFailure.deleteMany({ where: { id } });
}

/** After a successful sign-in: this account's failures from this IP no longer delay it. */
export async function clearPairFailures(db: Raw, email: string, ip: string): Promise<void> {
  await db.loginFailure.deleteMany({ where: { email, ip } });
}

/** The owner unlocked the account: its failures from every IP are forgotten. */
export async function clearAccountFailures(db: Raw, email: string): Promise<void> {
  await db.loginFailure.deleteMany({ where: { email } });
}

/** Rows no window looks at any more (per account, through its index). */
export async function pruneLoginFailures(db: Raw, email: string, before: Date): Promise<void> {
  await db.loginFailure.deleteMany({ where: { email, createdAt: { lt: before } } });
}

/** Records one attempt of a limited action and answers how many there were within the window (this one included). */
export async function recordHit(db: Raw, bucket: string, key: string, since: Date, at: Date): Promise<number> {
  await db.rateLimitHit.deleteMany({ where: { bucket, key, createdAt: { lt: since } } });
  await db.rateLimitHit.create({ data: { bucket, key, createdAt: at } });
  return db.rateLimitHit.count({ where: { bucket, key, createdAt: { gt: since } } });
}
