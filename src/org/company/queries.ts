// Statements of the company's own settings (Prisma where it reads well, raw SQL where measured faster: here Prisma).
import type { Db } from '../../db/client.js';
import type { Prisma } from '../../generated/prisma/client.js';

type Tx = Prisma.TransactionClient;

export type CompanySettings = {
  name: string;
  timezone: string;
  locale: string;
  /** Days a finished request may be reopened (then it closes by itself). */
  reopenDays: number;
};

const settingsSelect = { name: true, timezone: true, locale: true, reopenDays: true } as const;

export function companySettings(db: Db | Tx, companyId: number): Promise<CompanySettings> {
  return db.company.findUniqueOrThrow({ where: { id: companyId }, select: settingsSelect });
}

export async function updateCompanySettings(
  tx: Tx,
  companyId: number,
  data: Omit<CompanySettings, 'reopenDays'> & { reopenDays?: number },
): Promise<void> {
  await tx.company.update({ where: { id: companyId }, data, select: { id: true } });
}

export type PortalSettings = {
  portalEnabled: boolean;
  portalSlug: string | null;
  portalIntro: string | null;
  portalIntakeApproverId: number | null;
};

const portalSelect = {
  portalEnabled: true,
  portalSlug: true,
  portalIntro: true,
  portalIntakeApproverId: true,
} as const;

export function portalSettings(db: Db | Tx, companyId: number): Promise<PortalSettings> {
  return db.company.findUniqueOrThrow({ where: { id: companyId }, select: portalSelect });
}

/**
 * Saves the portal settings and keeps the platform-wide register of addresses (portal_slugs, unique there: a slug
 * another company has is a unique violation) in step with the company's `portal_slug`.
 */
export async function updatePortalSettings(tx: Tx, companyId: number, data: PortalSettings): Promise<void> {
  const { portalSlug: before } = await tx.company.findUniqueOrThrow({
    where: { id: companyId },
    select: { portalSlug: true },
  });
  await tx.company.update({ where: { id: companyId }, data, select: { id: true } });
  if (before === data.portalSlug) return;
  if (before) await tx.portalSlug.deleteMany({ where: { slug: before, companyId } });
  if (data.portalSlug) await tx.portalSlug.create({ data: { slug: data.portalSlug, companyId } });
}

/** Active people of the company who head an active unit: who may receive the portal's "No sé" requests. */
export function unitHeads(db: Db, companyId: number): Promise<{ id: number; name: string }[]> {
  return db.user.findMany({
    where: { companyId, active: true, headedUnits: { some: { companyId, active: true } } },
    select: { id: true, name: true },
    orderBy: { name: 'asc' },
    take: 500,
  });
}
