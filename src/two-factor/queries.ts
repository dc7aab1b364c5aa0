// Statements of two-factor sign-in. Prisma where it reads well, raw SQL where measured faster (here all Prisma).
import type { Db } from '../db/client.js';

type Who = { companyId: number; userId: number };

/** What the second step needs to know about a person (and their company's rule). */
export function findTwoFactor(db: Db, who: Who) {
  return db.user.findUnique({
    where: { companyId_id: { companyId: who.companyId, id: who.userId } },
    select: {
      id: true,
      companyId: true,
      email: true,
      isCompanyAdmin: true,
      totpSecretEnc: true,
      totpLastStep: true,
      company: { select: { name: true, twoFactorRule: true } },
    },
  });
}

export type TwoFactorState = NonNullable<Awaited<ReturnType<typeof findTwoFactor>>>;

/** Turns TOTP on with its secret, the step just used, and ten new recovery codes (replacing any). */
export async function saveTotp(db: Db, who: Who, secretEnc: string, step: number, hashes: string[]): Promise<void> {
  await db.$transaction([
    db.user.updateMany({
      where: { id: who.userId, companyId: who.companyId },
      data: { totpSecretEnc: secretEnc, totpLastStep: step },
    }),
    db.recoveryCode.deleteMany({ where: who }),
    db.recoveryCode.createMany({ data: hashes.map((codeHash) => ({ ...who, codeHash })) }),
  ]);
}

export async function replaceRecoveryCodes(db: Db, who: Who, hashes: string[]): Promise<void> {
  await db.$transaction([
    db.recoveryCode.deleteMany({ where: who }),
    db.recoveryCode.createMany({ data: hashes.map((codeHash) => ({ ...who, codeHash })) }),
  ]);
}

export async function clearTotp(db: Db, who: Who): Promise<void> {
  await db.$transaction([
    db.user.updateMany({
      where: { id: who.userId, companyId: who.companyId },
      data: { totpSecretEnc: null, totpLastStep: null },
    }),
    db.recoveryCode.deleteMany({ where: who }),
  ]);
}

/** Takes a time step: false when it (or a later one) was already used — a code works once (conditional update). */
export async function takeStep(db: Db, who: Who, step: number): Promise<boolean> {
  const { count } = await db.user.updateMany({
    where: {
      id: who.userId,
      companyId: who.companyId,
      OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }],
    },
    data: { totpLastStep: step },
  });
  return count === 1;
}

/** Spends a recovery code: false when no unused code has this hash. */
export async function useRecoveryCode(db: Db, who: Who, codeHash: string, at: Date): Promise<boolean> {
  const { count } = await db.recoveryCode.updateMany({
    where: { ...who, codeHash, usedAt: null },
    data: { usedAt: at },
  });
  return count === 1;
}

export function countRecoveryCodesLeft(db: Db, who: Who): Promise<number> {
  return db.recoveryCode.count({ where: { ...who, usedAt: null } });
}

export async function setTwoFactorRule(db: Pick<Db, 'company'>, companyId: number, rule: string): Promise<void> {
  await db.company.update({ where: { id: companyId }, data: { twoFactorRule: rule } });
}

export async function twoFactorRuleOf(db: Pick<Db, 'company'>, companyId: number): Promise<string> {
  const c = await db.company.findUniqueOrThrow({ where: { id: companyId }, select: { twoFactorRule: true } });
  return c.twoFactorRule;
}

/** The second step was passed: the person's last sign-in is now. */
export async function markSignedIn(db: Db, who: Who, at: Date): Promise<void> {
  await db.user.updateMany({ where: { id: who.userId, companyId: who.companyId }, data: { lastLoginAt: at } });
}
