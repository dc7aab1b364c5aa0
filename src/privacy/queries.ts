// Statements of data protection: a person's own data, anonymizing a person, the company export, the company's
// deletion. Prisma where it reads well, raw SQL where measured faster or where Prisma cannot say it (the catalogue of
// tables holding company_id, the sessions' JSON, the queue).
import type { Db } from '../db/client.js';
import { Prisma } from '../generated/prisma/client.js';

type Tx = Prisma.TransactionClient;
type Who = { companyId: number; userId: number };

/** Bound of every list of a person's own data (their requests, comments, sign-ins). */
const OWN_LIMIT = 10_000;

export function ownProfile(db: Db, who: Who) {
  return db.user.findFirstOrThrow({
    where: { id: who.userId, companyId: who.companyId },
    select: {
      name: true,
      email: true,
      phone: true,
      phoneVerifiedAt: true,
      locale: true,
      isCompanyAdmin: true,
      isWorker: true,
      createdAt: true,
      lastLoginAt: true,
      totpSecretEnc: true,
      company: { select: { name: true } },
      unit: { select: { name: true } },
    },
  });
}

export function ownRequests(db: Db, who: Who) {
  return db.request.findMany({
    where: { companyId: who.companyId, requesterId: who.userId },
    orderBy: { createdAt: 'desc' },
    take: OWN_LIMIT,
    select: {
      number: true,
      title: true,
      description: true,
      priority: true,
      location: true,
      status: true,
      createdAt: true,
      finalizedAt: true,
      category: { select: { name: true } },
    },
  });
}

export function ownComments(db: Db, who: Who) {
  return db.requestComment.findMany({
    where: { companyId: who.companyId, authorId: who.userId },
    orderBy: { createdAt: 'desc' },
    take: OWN_LIMIT,
    select: { body: true, internal: true, createdAt: true, request: { select: { number: true } } },
  });
}

export function ownSignIns(db: Db, who: Who) {
  return db.signInLog.findMany({
    where: { companyId: who.companyId, userId: who.userId },
    orderBy: { createdAt: 'desc' },
    take: OWN_LIMIT,
    select: { createdAt: true, ip: true, userAgent: true, method: true, result: true },
  });
}

export function ownPreferences(db: Db, who: Who) {
  return db.notificationPreference.findMany({
    where: { companyId: who.companyId, userId: who.userId },
    select: { kind: true, channel: true, enabled: true },
  });
}

// Anonymizing a person.

export function personToAnonymize(db: Pick<Db, 'user'>, who: Who) {
  return db.user.findFirst({
    where: { id: who.userId, companyId: who.companyId },
    select: { id: true, name: true, email: true, anonymizedAt: true },
  });
}

/** Replaces who the person was by a pseudonym and erases how to reach them; their requests and history stay. */
export async function anonymizeRows(tx: Tx, who: Who, data: { name: string; email: string; at: Date }) {
  const { companyId, userId } = who;
  // The platform-wide register follows the address (its key: on Citus a row moves shard by delete and insert).
  const before = await tx.user.findFirst({ where: { companyId, id: userId }, select: { email: true } });
  if (before) await tx.loginEmail.deleteMany({ where: { email: before.email, companyId, userId } });
  await tx.loginEmail.create({ data: { email: data.email, companyId, userId } });
  await tx.user.updateMany({
    where: { id: userId, companyId },
    data: {
      name: data.name,
      email: data.email,
      phone: null,
      phoneVerifiedAt: null,
      passwordHash: null,
      locale: null,
      totpSecretEnc: null,
      totpLastStep: null,
      breakGlass: false,
      active: false,
      anonymizedAt: data.at,
    },
  });
  await tx.accountToken.deleteMany({ where: who });
  await tx.recoveryCode.deleteMany({ where: who });
  await tx.phoneVerification.deleteMany({ where: who });
  await tx.notificationPreference.deleteMany({ where: who });
  await tx.formSubmission.deleteMany({ where: who });
  await tx.signInLog.updateMany({ where: who, data: { email: data.email, ip: '', userAgent: '' } });
  await tx.notification.updateMany({ where: { companyId, recipientId: userId }, data: { address: '' } });
  await tx.auditEntry.updateMany({ where: { companyId, actorId: userId }, data: { actorEmail: data.email } });
  await tx.auditEntry.updateMany({
    where: { companyId, entityType: 'user', entityId: userId },
    data: { summary: data.name, changes: Prisma.DbNull },
  });
}

// The company export.

export async function insertExport(tx: Tx, who: Who): Promise<number> {
  const row = await tx.companyExport.create({
    data: { companyId: who.companyId, requestedById: who.userId },
    select: { id: true },
  });
  return row.id;
}

/** Queues a background job in the same transaction (graphile-worker's own function). */
export async function enqueueJob(tx: Tx, task: string, payload: Record<string, number>): Promise<void> {
  await tx.$executeRaw`SELECT graphile_worker.add_job(${task}, ${JSON.stringify(payload)}::json, max_attempts := 3)`;
}

export function countExports(db: Db, companyId: number) {
  return db.companyExport.count({ where: { companyId } });
}

const exportSelect = {
  id: true,
  status: true,
  progress: true,
  createdAt: true,
  finishedAt: true,
  expiresAt: true,
  requestedBy: { select: { name: true } },
} as const;

export function exportsPage(db: Db, companyId: number, window: { skip: number; take: number }) {
  return db.companyExport.findMany({
    where: { companyId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: exportSelect,
    ...window,
  });
}

export function findExport(db: Db, companyId: number, id: number) {
  return db.companyExport.findFirst({ where: { companyId, id }, select: exportSelect });
}

export function findExportByToken(db: Db, companyId: number, tokenHash: string) {
  return db.companyExport.findFirst({
    where: { companyId, tokenHash },
    select: { id: true, status: true, fileKey: true, expiresAt: true, createdAt: true },
  });
}

export async function updateExport(
  db: Pick<Db, 'companyExport'>,
  companyId: number,
  id: number,
  data: {
    status?: string;
    progress?: number;
    fileKey?: string;
    tokenHash?: string;
    expiresAt?: Date;
    finishedAt?: Date;
  },
): Promise<void> {
  await db.companyExport.updateMany({ where: { companyId, id }, data });
}

export function exportOwner(db: Db, companyId: number, id: number) {
  return db.companyExport.findFirst({
    where: { companyId, id },
    select: {
      requestedBy: { select: { id: true, email: true, name: true, locale: true } },
      company: { select: { name: true, locale: true } },
    },
  });
}

// What the export holds (each list read in pages by id, so memory stays flat whatever the company's size).

export function exportPeople(db: Db, companyId: number) {
  return db.user.findMany({
    where: { companyId },
    orderBy: { id: 'asc' },
    take: 100_000,
    select: {
      id: true,
      name: true,
      email: true,
      phone: true,
      unitId: true,
      isCompanyAdmin: true,
      isWorker: true,
      active: true,
      createdAt: true,
    },
  });
}

export function exportUnits(db: Db, companyId: number) {
  return db.unit.findMany({
    where: { companyId },
    orderBy: { id: 'asc' },
    take: 100_000,
    select: { id: true, name: true, kind: true, parentId: true, headId: true, active: true, createdAt: true },
  });
}

export function exportCategories(db: Db, companyId: number) {
  return db.category.findMany({
    where: { companyId },
    orderBy: { id: 'asc' },
    take: 100_000,
    select: {
      id: true,
      name: true,
      description: true,
      serviceAreaId: true,
      responseHours: true,
      resolutionHours: true,
      needsAuthorization: true,
      active: true,
    },
  });
}

export function countRequests(db: Db, companyId: number) {
  return db.request.count({ where: { companyId } });
}

/** A batch of requests after `afterId`, each with its steps, comments and attachments. */
export function requestBatch(db: Db, companyId: number, afterId: number, take: number) {
  return db.request.findMany({
    where: { companyId, id: { gt: afterId } },
    orderBy: { id: 'asc' },
    take,
    select: {
      id: true,
      number: true,
      title: true,
      description: true,
      priority: true,
      location: true,
      status: true,
      requesterId: true,
      requesterUnitId: true,
      serviceAreaId: true,
      categoryId: true,
      createdAt: true,
      authorizedAt: true,
      approvedAt: true,
      rejectedAt: true,
      rejectionReason: true,
      cancelledAt: true,
      cancelReason: true,
      finalizedAt: true,
      responseDueAt: true,
      resolutionDueAt: true,
      events: {
        orderBy: { createdAt: 'asc' },
        select: {
          action: true,
          fromStatus: true,
          toStatus: true,
          actorId: true,
          onBehalfOfId: true,
          comment: true,
          createdAt: true,
        },
      },
      comments: {
        orderBy: { createdAt: 'asc' },
        select: { id: true, authorId: true, internal: true, body: true, createdAt: true },
      },
      attachments: {
        orderBy: { createdAt: 'asc' },
        select: { id: true, commentId: true, fileName: true, mimeType: true, size: true, storageKey: true },
      },
    },
  });
}

// Deleting a company.

export async function setDeletionDue(db: Pick<Db, 'company'>, companyId: number, due: Date | null): Promise<string> {
  const c = await db.company.update({ where: { id: companyId }, data: { deletionDueAt: due }, select: { name: true } });
  return c.name;
}

export function companyDeletionState(db: Pick<Db, 'company'>, companyId: number) {
  return db.company.findUnique({ where: { id: companyId }, select: { id: true, name: true, deletionDueAt: true } });
}

export async function companiesDueForDeletion(db: Db, now: Date): Promise<number[]> {
  const rows = await db.company.findMany({
    where: { deletionDueAt: { lte: now } },
    select: { id: true },
    take: 100,
  });
  return rows.map((r) => r.id);
}

/** Every table with a company_id column (new tables are covered without a change here). */
export async function tablesWithCompanyId(db: Pick<Db, '$queryRaw'>): Promise<string[]> {
  const rows = await db.$queryRaw<{ table_name: string }[]>`
    SELECT c.table_name FROM information_schema.columns c
      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema = current_schema() AND c.column_name = 'company_id' AND t.table_type = 'BASE TABLE'
     ORDER BY c.table_name`;
  return rows.map((r) => r.table_name);
}

const REQUEST_TABLES_CHILDREN_FIRST = [
  'notification_attempts',
  'notifications',
  'attachments',
  'request_comments',
  'request_events',
  'reminders',
  'request_followers',
  'satisfaction_surveys',
  'portal_status_links',
  'tickets',
  'requests',
];

/**
 * Removes every row of a company: what no foreign key ties to it (sessions, sign-in failures, queued jobs), then the
 * company (its tenant rows go by cascade), then any row left in a table holding company_id.
 */
export async function deleteCompanyRows(tx: Tx, companyId: number): Promise<void> {
  // The people first (the company's shard), then the coordinator's tables by their ids and addresses: on Citus a
  // statement does not mix coordinator tables with sharded ones. A session keeps "<company>:<user>" (or the bare id).
  const people = await tx.user.findMany({ where: { companyId }, select: { id: true, email: true } });
  const ids = people.map((p) => String(p.id));
  const emails = people.flatMap((p) => [p.email, `2fa:${p.email}`]);
  await tx.$executeRaw`
    DELETE FROM "session" WHERE split_part(sess->'passport'->>'user', ':', -1) = ANY(${ids}::text[])`;
  await tx.$executeRaw`DELETE FROM login_failures WHERE email = ANY(${emails}::text[])`;
  await tx.$executeRaw`DELETE FROM job_outbox WHERE payload->>'companyId' = ${String(companyId)}`;
  // Queued jobs of the company: graphile-worker's own function removes those no worker holds (its public view has
  // no payload, so the ids come from its table; the package is pinned to an exact version).
  await tx.$queryRaw`
    SELECT count(*) FROM graphile_worker.complete_jobs(ARRAY(
      SELECT id FROM graphile_worker._private_jobs WHERE payload->>'companyId' = ${String(companyId)}))`;
  // Requests and tickets first (children before parents): their counter triggers write request_counts and
  // ticket_counts rows, which must still find the company; the company's cascade then takes everything else.
  for (const table of REQUEST_TABLES_CHILDREN_FIRST)
    await tx.$executeRaw(Prisma.sql`DELETE FROM ${Prisma.raw(table)} WHERE company_id = ${companyId}`);
  await tx.$executeRaw`DELETE FROM companies WHERE id = ${companyId}`;
  // Left: the platform-wide registers (login_emails, company_tax_ids, portal_slugs, sso_domains), sharded by their own
  // key on Citus: deleted by company across their shards, on purpose (a rare statement).
  for (const table of await tablesWithCompanyId(tx)) {
    await tx.$executeRaw(Prisma.sql`DELETE FROM ${Prisma.raw(`"${table}"`)} WHERE company_id = ${companyId}`);
  }
}
