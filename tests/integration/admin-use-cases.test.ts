// The administration's use cases below HTTP, on the real database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptSecret } from '../../src/notifications/crypto.js';
import { saveChannelSettings } from '../../src/notifications/admin-service.js';
import { loadActor, type Actor } from '../../src/auth/index.js';
import { saveCategory } from '../../src/org/categories/service.js';
import { deactivatePerson, reactivatePerson, updatePerson } from '../../src/org/people/service.js';
import { createUnit } from '../../src/org/units/service.js';
import { setCompanyActive } from '../../src/platform/service.js';
import { NotFoundError, ForbiddenError, ValidationError } from '../../src/web/errors.js';
import { testConfig } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { makeOrg } from '../support/factories.js';

let db: TestDatabase & { drop(): Promise<void> };
let org: Awaited<ReturnType<typeof makeOrg>>;
let other: Awaited<ReturnType<typeof makeOrg>>;
let admin: Actor;
const KEY = 'a'.repeat(64);

beforeAll(async () => {
  db = await createTestDatabase();
  org = await makeOrg(db.prisma);
  other = await makeOrg(db.prisma);
  admin = (await loadActor(db.prisma, org.admin.id))!;
});
afterAll(() => db.drop());

const deps = () => ({ db: db.prisma });
const auditOf = (companyId: number, action: string) =>
  db.prisma.auditEntry.findMany({ where: { companyId, action }, orderBy: { id: 'asc' } });

describe('deactivatePerson', () => {
  it('ends sessions, flags open tickets, revokes unused links and audits; reactivatePerson undoes it', async () => {
    const request = await db.prisma.request.create({
      data: {
        companyId: org.companyId,
        number: 1,
        requesterId: org.employee.id,
        requesterUnitId: org.unit.id,
        serviceAreaId: org.area.id,
        categoryId: org.category.id,
        title: 'Fuga',
        description: 'Fuga en el baño',
        status: 'APPROVED',
      },
    });
    const ticket = await db.prisma.ticket.create({
      data: {
        companyId: org.companyId,
        number: 1,
        requestId: request.id,
        serviceAreaId: org.area.id,
        workerId: org.worker.id,
        assignedById: org.servicesHead.id,
        instructions: 'Revisar',
      },
    });
    await db.prisma.session.create({
      data: {
        sid: `s-${org.worker.id}`,
        sess: { cookie: {}, passport: { user: String(org.worker.id) } },
        expire: new Date(Date.now() + 3600_000),
      },
    });
    await db.prisma.accountToken.create({
      data: {
        companyId: org.companyId,
        userId: org.worker.id,
        purpose: 'PASSWORD_RESET',
        tokenHash: `hash-${org.worker.id}`,
        expiresAt: new Date(Date.now() + 3600_000),
      },
    });

    const result = await deactivatePerson(deps(), admin, { id: org.worker.id });

    expect(result).toEqual({ name: org.worker.name, flaggedTickets: 1 });
    expect((await db.prisma.user.findUniqueOrThrow({ where: { id: org.worker.id } })).active).toBe(false);
    expect((await db.prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).needsReassignment).toBe(true);
    expect(await db.prisma.session.count({ where: { sid: `s-${org.worker.id}` } })).toBe(0);
    expect(await db.prisma.accountToken.count({ where: { userId: org.worker.id, usedAt: null } })).toBe(0);
    const [entry] = await auditOf(org.companyId, 'user.deactivated');
    expect(entry).toMatchObject({ actorId: org.admin.id, entityId: org.worker.id, changes: { active: [true, false] } });

    await reactivatePerson(deps(), admin, { id: org.worker.id });
    expect((await db.prisma.user.findUniqueOrThrow({ where: { id: org.worker.id } })).active).toBe(true);
    expect(await auditOf(org.companyId, 'user.reactivated')).toHaveLength(1);
  });

  it('refuses to deactivate oneself', async () => {
    await expect(deactivatePerson(deps(), admin, { id: admin.id })).rejects.toBeInstanceOf(ForbiddenError);
    expect((await db.prisma.user.findUniqueOrThrow({ where: { id: admin.id } })).active).toBe(true);
  });

  it("answers NotFoundError for another company's person, and changes nothing", async () => {
    await expect(deactivatePerson(deps(), admin, { id: other.employee.id })).rejects.toBeInstanceOf(NotFoundError);
    await expect(reactivatePerson(deps(), admin, { id: other.employee.id })).rejects.toBeInstanceOf(NotFoundError);
    expect((await db.prisma.user.findUniqueOrThrow({ where: { id: other.employee.id } })).active).toBe(true);
    expect(await db.prisma.auditEntry.count({ where: { companyId: other.companyId } })).toBe(0);
  });
});

describe('updatePerson', () => {
  const unchanged = (p: { name: string }) => ({
    name: p.name,
    unitId: org.unit.id,
    phone: '',
    isCompanyAdmin: false,
    isWorker: false,
    headOf: [],
  });

  it("field errors (i18n keys): another company's unit, a worker outside a service area, a bad phone", async () => {
    const input = { ...unchanged(org.employee), unitId: other.unit.id, isWorker: true, phone: '12' };
    const err = await updatePerson(deps(), admin, { id: org.employee.id, ...input }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).fields).toEqual({
      unitId: 'forms.invalidChoice',
      isWorker: 'admin.people.workerNeedsArea',
      phone: 'forms.phone',
    });
  });

  it('reads the phone in the company country and clears its verification when it changes', async () => {
    await db.prisma.user.update({ where: { id: org.employee.id }, data: { phoneVerifiedAt: new Date() } });
    await updatePerson(deps(), admin, { id: org.employee.id, ...unchanged(org.employee), phone: '3001234567' });
    const user = await db.prisma.user.findUniqueOrThrow({ where: { id: org.employee.id } });
    expect(user).toMatchObject({ phone: '+573001234567', phoneVerifiedAt: null });
    const [entry] = await auditOf(org.companyId, 'user.updated');
    expect(entry!.changes).toMatchObject({ phone: [null, '+573001234567'] });
  });
});

describe('units and categories', () => {
  it('a duplicate unit name is a field error; a category needs a service area of the company', async () => {
    await expect(
      createUnit(deps(), admin, { name: org.unit.name, kind: 'REGULAR', parentId: null, headId: null }),
    ).rejects.toMatchObject({ fields: { name: 'admin.units.nameTaken' } });
    const category = {
      name: 'Nueva',
      responseHours: null,
      resolutionHours: 8,
      description: null,
      active: true,
      noAuthorization: false,
    };
    await expect(
      saveCategory(deps(), admin, { id: null, serviceAreaId: other.area.id, ...category }),
    ).rejects.toMatchObject({ fields: { serviceAreaId: 'forms.invalidChoice' } });
    await expect(
      saveCategory(deps(), admin, { id: other.category.id, serviceAreaId: org.area.id, ...category }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('saveChannelSettings', () => {
  const input = {
    emailEnabled: true,
    smsEnabled: true,
    whatsappEnabled: false,
    whatsappProvider: 'twilio' as const,
    twilioAccountSid: 'AC' + 'b'.repeat(32),
    twilioAuthToken: 'secreto-de-twilio',
    twilioSmsFrom: '+15005550006',
    twilioWhatsappFrom: null,
    metaPhoneNumberId: '',
    metaAccessToken: '',
    clearSecrets: false,
  };

  it('stores the secret encrypted and audits only that secrets changed', async () => {
    await saveChannelSettings({ ...deps(), config: testConfig({ ENCRYPTION_KEY: KEY }) }, admin, input);
    const s = await db.prisma.companyNotificationSettings.findUniqueOrThrow({ where: { companyId: org.companyId } });
    expect(s).toMatchObject({ smsEnabled: true, twilioSmsFrom: '+15005550006', metaAccessTokenEnc: null });
    expect(s.twilioAuthTokenEnc).not.toContain('secreto');
    expect(decryptSecret(KEY, s.twilioAuthTokenEnc!)).toBe('secreto-de-twilio');
    const [entry] = await auditOf(org.companyId, 'notifications.channels.updated');
    expect(entry).toMatchObject({ summary: 'EMAIL, SMS', changes: { secretsChanged: [false, true] } });
    expect(JSON.stringify([entry!.summary, entry!.changes])).not.toContain('secreto');

    // A blank secret keeps the saved one.
    await saveChannelSettings({ ...deps(), config: testConfig({ ENCRYPTION_KEY: KEY }) }, admin, {
      ...input,
      twilioAuthToken: '',
    });
    const kept = await db.prisma.companyNotificationSettings.findUniqueOrThrow({ where: { companyId: org.companyId } });
    expect(kept.twilioAuthTokenEnc).toBe(s.twilioAuthTokenEnc);
  });

  it('refuses a new secret without ENCRYPTION_KEY', async () => {
    const config = { ...testConfig(), ENCRYPTION_KEY: undefined };
    await expect(saveChannelSettings({ ...deps(), config }, admin, input)).rejects.toMatchObject({
      fields: { twilioAuthToken: 'notifications.channelsAdmin.noEncryptionKey' },
    });
  });
});

describe('setCompanyActive', () => {
  it("suspends another company and records the operator in that company's log; never the operator's own", async () => {
    await expect(
      setCompanyActive(deps(), admin, { companyId: admin.companyId, active: false, operatorLabel: 'operador' }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await setCompanyActive(deps(), admin, { companyId: other.companyId, active: false, operatorLabel: 'operador' });
    expect((await db.prisma.company.findUniqueOrThrow({ where: { id: other.companyId } })).active).toBe(false);
    const [entry] = await auditOf(other.companyId, 'company.suspended');
    expect(entry).toMatchObject({ actorId: null, actorEmail: `${admin.email} (operador)` });
    await expect(
      setCompanyActive(deps(), admin, { companyId: 2_000_000_000, active: true, operatorLabel: 'operador' }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});
