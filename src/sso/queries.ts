// Statements of single sign-on. Prisma where it reads well, raw SQL where measured faster (the domain lookup uses the
// GIN index of company_sso.domains through @>).
import type { Db } from '../db/client.js';
import { Prisma } from '../generated/prisma/client.js';

export interface SsoOfDomain {
  companyId: number;
  providerName: string;
  required: boolean;
}

/** The active company whose SSO lists this email domain, if any. */
export async function ssoOfDomain(db: Db, domain: string): Promise<SsoOfDomain | null> {
  const [row] = await db.$queryRaw<SsoOfDomain[]>(Prisma.sql`
    SELECT s.company_id AS "companyId", s.provider_name AS "providerName", s.required
      FROM company_sso s JOIN companies c ON c.id = s.company_id AND c.active
     WHERE s.domains @> ARRAY[${domain}]::text[]
     LIMIT 1`);
  return row ?? null;
}

/** Other companies already claiming any of these domains. */
export async function domainsClaimedElsewhere(db: Db, companyId: number, domains: string[]): Promise<string[]> {
  const rows = await db.$queryRaw<{ domain: string }[]>(Prisma.sql`
    SELECT DISTINCT d AS domain FROM company_sso s, unnest(s.domains) d
     WHERE s.company_id <> ${companyId} AND s.domains && ${domains}::text[] AND d = ANY(${domains}::text[])`);
  return rows.map((r) => r.domain);
}

export function findSsoSettings(db: Pick<Db, 'companySso'>, companyId: number) {
  return db.companySso.findUnique({ where: { companyId } });
}

export type SsoSettingsRow = NonNullable<Awaited<ReturnType<typeof findSsoSettings>>>;

export async function upsertSsoSettings(
  db: Pick<Db, 'companySso'>,
  companyId: number,
  data: Omit<SsoSettingsRow, 'companyId' | 'updatedAt'>,
): Promise<void> {
  await db.companySso.upsert({ where: { companyId }, create: { companyId, ...data }, update: data });
}

export async function deleteSsoSettings(db: Pick<Db, 'companySso'>, companyId: number): Promise<void> {
  await db.companySso.deleteMany({ where: { companyId } });
}

/** A person by address (platform-wide unique), with what SSO sign-in decides on. */
export function findPersonByEmail(db: Db, email: string) {
  return db.user.findUnique({
    where: { email },
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

export function createPersonFromSso(
  db: Pick<Db, 'user'>,
  data: { companyId: number; email: string; name: string; unitId: number | null; at: Date },
) {
  return db.user.create({
    data: {
      companyId: data.companyId,
      email: data.email,
      name: data.name,
      unitId: data.unitId,
      emailVerifiedAt: data.at,
    },
    select: { id: true },
  });
}

/** A sign-in through the provider also proves the address. */
export async function markSsoSignIn(db: Pick<Db, 'user'>, companyId: number, userId: number, at: Date) {
  await db.user.updateMany({ where: { companyId, id: userId }, data: { lastLoginAt: at } });
  await db.user.updateMany({ where: { companyId, id: userId, emailVerifiedAt: null }, data: { emailVerifiedAt: at } });
}
