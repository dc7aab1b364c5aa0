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

export async function updatePortalSettings(tx: Tx, companyId: number, data: PortalSettings): Promise<void> {
  await tx.company.update({ where: { id: companyId }, data, select: { id: true } });
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
