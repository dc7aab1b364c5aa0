// Factories that make unique data, so tests never depend on each other's rows.
import { randomBytes } from 'node:crypto';
import { hashPassword } from '../../src/auth/passwords.js';
import type { Db } from '../../src/db/client.js';
import { registerLoginEmail } from '../../src/db/login-emails.js';

export const PASSWORD = 'clave-de-prueba-123';
let hash: Promise<string> | undefined;
// A low bcrypt cost keeps the suite fast; production uses 12.
const passwordHash = () => (hash ??= hashPassword(PASSWORD, 4));

const uid = () => randomBytes(5).toString('hex');

export async function makeCompany(db: Db, data: { name?: string; timezone?: string } = {}) {
  return db.company.create({
    data: { name: data.name ?? `Empresa ${uid()}`, timezone: data.timezone ?? 'America/Bogota' },
  });
}

export async function makeUnit(
  db: Db,
  companyId: number,
  data: { name?: string; kind?: 'REGULAR' | 'SERVICE_AREA'; headId?: number; parentId?: number } = {},
) {
  return db.unit.create({
    data: {
      companyId,
      name: data.name ?? `Unidad ${uid()}`,
      kind: data.kind ?? 'REGULAR',
      headId: data.headId,
      parentId: data.parentId,
    },
  });
}

export async function makeUser(
  db: Db,
  companyId: number,
  data: {
    name?: string;
    email?: string;
    unitId?: number;
    isCompanyAdmin?: boolean;
    isWorker?: boolean;
    active?: boolean;
  } = {},
) {
  const user = await db.user.create({
    data: {
      companyId,
      name: data.name ?? `Persona ${uid()}`,
      email: data.email ?? `persona-${uid()}@prueba.test`,
      passwordHash: await passwordHash(),
      unitId: data.unitId,
      isCompanyAdmin: data.isCompanyAdmin ?? false,
      isWorker: data.isWorker ?? false,
      active: data.active ?? true,
      emailVerifiedAt: new Date(),
    },
  });
  await registerLoginEmail(db, user);
  return user;
}

/** A small organisation: one regular unit with head and employee, a service area with head and two workers. */
export async function makeOrg(db: Db) {
  const company = await makeCompany(db);
  const companyId = company.id;
  const unit = await makeUnit(db, companyId);
  const area = await makeUnit(db, companyId, { kind: 'SERVICE_AREA', name: `Servicios ${uid()}` });
  const head = await makeUser(db, companyId, { unitId: unit.id, name: 'Jefa Unidad' });
  const employee = await makeUser(db, companyId, { unitId: unit.id, name: 'Empleado Uno' });
  const servicesHead = await makeUser(db, companyId, { unitId: area.id, name: 'Jefe Servicios' });
  const worker = await makeUser(db, companyId, { unitId: area.id, isWorker: true, name: 'Trabajador Uno' });
  const worker2 = await makeUser(db, companyId, { unitId: area.id, isWorker: true, name: 'Trabajador Dos' });
  const admin = await makeUser(db, companyId, { unitId: unit.id, isCompanyAdmin: true, name: 'Admin Empresa' });
  await db.unit.update({ where: { id: unit.id }, data: { headId: head.id } });
  await db.unit.update({ where: { id: area.id }, data: { headId: servicesHead.id } });
  const category = await db.category.create({
    data: { companyId, serviceAreaId: area.id, name: `Plomería ${uid()}`, resolutionHours: 48 },
  });
  return { company, companyId, unit, area, head, employee, servicesHead, worker, worker2, admin, category };
}

/**
 * Switches a company's portal on at a unique slug (its own row and the platform-wide register `portal_slugs`, as the
 * admin's form writes them), with the given intake approver.
 */
export async function openPortal(db: Db, companyId: number, intakeApproverId: number, prefix = 'portal') {
  const slug = `${prefix}-${++portalSeq}-${Date.now() % 100000}`;
  await db.company.update({
    where: { id: companyId },
    data: {
      portalEnabled: true,
      portalSlug: slug,
      portalIntro: 'Bienvenidos',
      portalIntakeApproverId: intakeApproverId,
    },
  });
  await db.portalSlug.create({ data: { slug, companyId } });
  return slug;
}
let portalSeq = 0;
