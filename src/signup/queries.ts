// Statements of company signup. Prisma where it reads well, raw SQL where measured faster (none needed here).
import { recordAudit } from '../audit/index.js';
import type { Db } from '../db/client.js';
import { ownerOfEmail, registerLoginEmail } from '../db/login-emails.js';
import type { SignupInput } from './schemas.js';
import { STARTER_CATEGORIES, STARTER_SERVICE_AREA } from './starter-catalogue.js';

export async function taxIdTaken(db: Db, input: Pick<SignupInput, 'country' | 'taxId'>): Promise<boolean> {
  const found = await db.companyTaxId.findUnique({
    where: { country_taxId: { country: input.country, taxId: input.taxId } },
    select: { companyId: true },
  });
  return found !== null;
}

/**
 * Inserts the company with its administrator (not yet verified), the service area "Servicios Generales" headed
 * by the administrator, and the starter catalogue — all or nothing.
 */
export function insertCompany(db: Db, input: SignupInput & { passwordHash: string; locale: string; timezone: string }) {
  return db.$transaction(async (tx) => {
    const company = await tx.company.create({
      data: {
        name: input.companyName,
        country: input.country,
        taxId: input.taxId,
        locale: input.locale,
        timezone: input.timezone,
      },
    });
    await tx.companyTaxId.create({ data: { country: input.country, taxId: input.taxId, companyId: company.id } });
    const admin = await tx.user.create({
      data: {
        companyId: company.id,
        name: input.adminName,
        email: input.email,
        phone: input.phone,
        passwordHash: input.passwordHash,
        isCompanyAdmin: true,
        locale: input.locale,
      },
    });
    const area = await tx.unit.create({
      data: { companyId: company.id, name: STARTER_SERVICE_AREA, kind: 'SERVICE_AREA', headId: admin.id },
    });
    await registerLoginEmail(tx, admin);
    await tx.user.update({ where: { id: admin.id }, data: { unitId: area.id } });
    await tx.category.createMany({
      data: STARTER_CATEGORIES.map((c) => ({ ...c, companyId: company.id, serviceAreaId: area.id })),
    });
    await recordAudit(
      tx,
      company.id,
      { id: admin.id, email: admin.email },
      { action: 'company.created', entityType: 'company', entityId: company.id, summary: company.name },
    );
    return { company, admin };
  });
}

/** Marks the address of the person a verification link belongs to as proven; returns it. */
export async function markEmailVerified(
  db: Pick<Db, 'user'>,
  who: { companyId: number; userId: number },
  now: Date,
): Promise<string> {
  await db.user.updateMany({
    where: { id: who.userId, companyId: who.companyId, emailVerifiedAt: null },
    data: { emailVerifiedAt: now },
  });
  const user = await db.user.findFirstOrThrow({
    where: { id: who.userId, companyId: who.companyId },
    select: { email: true },
  });
  return user.email;
}

/** A person by address, with what the verification mail and the existing-account notice need. */
export async function findSignupRecipient(db: Db, email: string) {
  const owner = await ownerOfEmail(db, email);
  if (!owner) return null;
  return db.user.findFirst({
    where: { companyId: owner.companyId, id: owner.userId },
    select: {
      id: true,
      companyId: true,
      email: true,
      name: true,
      locale: true,
      active: true,
      emailVerifiedAt: true,
      company: { select: { name: true, locale: true } },
    },
  });
}
