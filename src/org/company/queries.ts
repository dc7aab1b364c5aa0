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
