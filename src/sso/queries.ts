// Statements of single sign-on. Prisma where it reads well, raw SQL where measured faster. A domain's company is found
// in the platform-wide register sso_domains, an address's person in login_emails (one shard each on Citus).
import type { Db } from '../db/client.js';
import { ownerOfEmail, registerLoginEmail } from '../db/login-emails.js';
import { Prisma } from '../generated/prisma/client.js';

export interface SsoOfDomain {
  companyId: number;
  providerName: string;
  required: boolean;
}

/** The active company whose SSO lists this email domain, if any. */
export async function ssoOfDomain(db: Db, domain: string): Promise<SsoOfDomain | null> {
  const owner = await db.ssoDomain.findUnique({ where: { domain }, select: { companyId: true } });
  if (!owner) return null;
  const [row] = await db.$queryRaw<SsoOfDomain[]>(Prisma.sql`
    SELECT s.company_id AS "companyId", s.provider_name AS "providerName", s.required
      FROM company_sso s JOIN companies c ON c.id = ${owner.companyId}::int AND c.active
     WHERE s.company_id = ${owner.companyId}::int AND s.domains @> ARRAY[${domain}]::text[]`);
  return row ?? null;
}

/** Other companies already claiming any of these domains. */
export async function domainsClaimedElsewhere(db: Db, companyId: number, domains: string[]): Promise<string[]> {
  const rows = await db.ssoDomain.findMany({
    where: { domain: { in: domains }, companyId: { not: companyId } },
    select: { domain: true },
  });
  return rows.map((r) => r.domain);
}

export function findSsoSettings(db: Pick<Db, 'companySso'>, companyId: number) {
  return db.companySso.findUnique({ where: { companyId } });
}

export type SsoSettingsRow = NonNullable<Awaited<ReturnType<typeof findSsoSettings>>>;

/**
 * Saves the settings and claims their domains in the register (sso_domains): a domain another company claimed in the
 * meantime is a unique violation.
 */
export async function upsertSsoSettings(
  tx: Prisma.TransactionClient,
  companyId: number,
  data: Omit<SsoSettingsRow, 'companyId' | 'updatedAt'>,
): Promise<void> {
  const before = (await findSsoSettings(tx, companyId))?.domains ?? [];
  await tx.companySso.upsert({ where: { companyId }, create: { companyId, ...data }, update: data });
  const dropped = before.filter((d) => !data.domains.includes(d));
  const added = data.domains.filter((d) => !before.includes(d));
  if (dropped.length) await tx.ssoDomain.deleteMany({ where: { domain: { in: dropped }, companyId } });
  if (added.length) await tx.ssoDomain.createMany({ data: added.map((domain) => ({ domain, companyId })) });
}

export async function deleteSsoSettings(tx: Prisma.TransactionClient, companyId: number): Promise<void> {
  const before = await findSsoSettings(tx, companyId);
  if (!before) return;
  await tx.ssoDomain.deleteMany({ where: { domain: { in: before.domains }, companyId } });
  await tx.companySso.deleteMany({ where: { companyId } });
}

/** A person by address (platform-wide unique: its owner first), with what SSO sign-in decides on. */
export async function findPersonByEmail(db: Db, email: string) {
  const owner = await ownerOfEmail(db, email);
  if (!owner) return null;
  return db.user.findUnique({
    where: { companyId_id: { companyId: owner.companyId, id: owner.userId } },
    select: {
      id: true,
      companyId: true,
      email: true,
      active: true,
      isCompanyAdmin: true,
      breakGlass: true,
      emailVerifiedAt: true,
    },
  });
}

/** The company's active units to choose where new people go (few rows: an organisation's units). */
export function unitChoices(db: Db, companyId: number) {
  return db.unit.findMany({
    where: { companyId, active: true },
    select: { id: true, name: true },
    orderBy: { name: 'asc' },
  });
}

export async function unitInCompany(db: Db, companyId: number, unitId: number): Promise<boolean> {
  return (await db.unit.count({ where: { companyId, id: unitId, active: true } })) === 1;
}

/** The company's administrators, with their break-glass mark. */
export function companyAdmins(db: Db, companyId: number) {
  return db.user.findMany({
    where: { companyId, isCompanyAdmin: true, active: true },
    select: { id: true, name: true, email: true, breakGlass: true },
    orderBy: { name: 'asc' },
    take: 200,
  });
}

/** Marks or unmarks an administrator of the company as break-glass; false when no such admin. */
export async function setBreakGlass(db: Pick<Db, 'user'>, companyId: number, userId: number, on: boolean) {
  const { count } = await db.user.updateMany({
    where: { companyId, id: userId, isCompanyAdmin: true },
    data: { breakGlass: on },
  });
  return count === 1;
}

export function adminName(db: Pick<Db, 'user'>, companyId: number, userId: number) {
  return db.user.findFirst({ where: { companyId, id: userId, isCompanyAdmin: true }, select: { email: true } });
}

/** Creates the person and claims the address platform-wide (login_emails), in the caller's transaction. */
export async function createPersonFromSso(
  tx: Prisma.TransactionClient,
  data: { companyId: number; email: string; name: string; unitId: number | null; at: Date },
) {
  const person = await tx.user.create({
    data: {
      companyId: data.companyId,
      email: data.email,
      name: data.name,
      unitId: data.unitId,
      emailVerifiedAt: data.at,
    },
    select: { id: true },
  });
  await registerLoginEmail(tx, { email: data.email, companyId: data.companyId, id: person.id });
  return person;
}

/** A sign-in through the provider also proves the address. */
export async function markSsoSignIn(db: Pick<Db, 'user'>, companyId: number, userId: number, at: Date) {
  await db.user.updateMany({ where: { companyId, id: userId }, data: { lastLoginAt: at } });
  await db.user.updateMany({ where: { companyId, id: userId, emailVerifiedAt: null }, data: { emailVerifiedAt: at } });
}
