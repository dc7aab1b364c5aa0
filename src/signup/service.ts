import { hashPassword } from '../auth/passwords.js';
import { recordAudit } from '../audit/record.js';
import type { Db } from '../db/client.js';
import { Prisma } from '../generated/prisma/client.js';
import type { SignupInput } from './schema.js';
import { STARTER_CATEGORIES, STARTER_SERVICE_AREA } from './starter-catalogue.js';

export type SignupConflict = 'email' | 'taxId';

/** Which unique rule a failed insert broke (email of a user, or tax id of a company in its country). */
function conflictOf(err: unknown): SignupConflict | null {
  if (!(err instanceof Prisma.PrismaClientKnownRequestError) || err.code !== 'P2002') return null;
  const text = JSON.stringify(err.meta ?? {}) + err.message;
  return /tax_id|taxId/.test(text) ? 'taxId' : /email/.test(text) ? 'email' : null;
}

export async function findSignupConflict(
  db: Db,
  input: Pick<SignupInput, 'email' | 'country' | 'taxId'>,
): Promise<SignupConflict | null> {
  if (await db.user.findUnique({ where: { email: input.email }, select: { id: true } })) return 'email';
  if (await db.company.findFirst({ where: { country: input.country, taxId: input.taxId }, select: { id: true } }))
    return 'taxId';
  return null;
}

/**
 * Creates the company with its administrator (not yet verified), the service area
 * "Servicios Generales" headed by the administrator, and the starter catalogue — all
 * or nothing. The administrator cannot sign in until the email is verified.
 */
export async function createCompany(db: Db, input: SignupInput, locale: string) {
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.$transaction(async (tx) => {
      const company = await tx.company.create({
        data: {
          name: input.companyName,
          country: input.country,
          taxId: input.taxId,
          locale,
          timezone: timezoneFor(input.country),
        },
      });
      const admin = await tx.user.create({
        data: {
          companyId: company.id,
          name: input.adminName,
          email: input.email,
          phone: input.phone,
          passwordHash,
          isCompanyAdmin: true,
          locale,
        },
      });
      const area = await tx.unit.create({
        data: { companyId: company.id, name: STARTER_SERVICE_AREA, kind: 'SERVICE_AREA', headId: admin.id },
      });
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
      return { ok: true as const, company, admin };
    });
  } catch (err) {
    const conflict = conflictOf(err);
    if (conflict) return { ok: false as const, conflict };
    throw err;
  }
}

const zones: Record<string, string> = {
  CO: 'America/Bogota',
  AR: 'America/Argentina/Buenos_Aires',
  EC: 'America/Guayaquil',
  MX: 'America/Mexico_City',
  PE: 'America/Lima',
  CL: 'America/Santiago',
};

/** The company's time zone from its country (America/Bogota otherwise); editable in the settings. */
export const timezoneFor = (country: string) => zones[country] ?? 'America/Bogota';
