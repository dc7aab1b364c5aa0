// Statements of the public portal (Prisma where it reads well, raw SQL where measured faster). Every statement is
// scoped by the company the portal's slug names; tokens are looked up by their hash within that company.
import type { Db } from '../db/client.js';
import { ownerOfEmail } from '../db/login-emails.js';
import { rows } from '../db/sql.js';
import { Prisma } from '../generated/prisma/client.js';
import type { Priority, RequestStatus } from '../generated/prisma/client.js';
import type { FieldValue } from '../org/index.js';
import type { NewFile } from '../requests/index.js';

/** The company behind a portal address, when its portal is switched on. */
export interface PortalCompany {
  id: number;
  name: string;
  slug: string;
  intro: string | null;
  locale: string;
  timezone: string;
  intakeApproverId: number | null;
}

export async function companyBySlug(db: Db, slug: string): Promise<PortalCompany | null> {
  // The address's company from the platform-wide register (one shard on Citus), then the company's own row.
  const [owner] = await rows<{ company_id: number }>(
    db,
    Prisma.sql`SELECT company_id FROM portal_slugs WHERE slug = ${slug}`,
  );
  if (!owner) return null;
  return portalCompany(db, owner.company_id, slug);
}

/** The company of that id, when its portal is switched on. */
export function portalById(db: Db, companyId: number): Promise<PortalCompany | null> {
  return portalCompany(db, companyId, null);
}

async function portalCompany(db: Db, id: number, slug: string | null): Promise<PortalCompany | null> {
  const [c] = await rows<PortalCompany>(
    db,
    Prisma.sql`
    SELECT c.id, c.name, c.portal_slug AS slug, c.portal_intro AS intro, c.locale, c.timezone,
           c.portal_intake_approver_id AS "intakeApproverId"
      FROM companies c
     WHERE c.id = ${id}::int AND c.portal_enabled AND c.active AND c.portal_slug IS NOT NULL
       AND (${slug}::text IS NULL OR c.portal_slug = ${slug}::text)`,
  );
  return c ?? null;
}

/** A service area of the catalogue with its active categories. */
export interface CatalogueArea {
  id: number;
  name: string;
  categories: { id: number; name: string; description: string | null }[];
}

/** The service catalogue the portal shows: active areas with their active categories and descriptions. */
export function catalogue(db: Db, companyId: number): Promise<CatalogueArea[]> {
  return rows<CatalogueArea>(
    db,
    Prisma.sql`
    SELECT a.id, a.name, c.categories
      FROM units a
     CROSS JOIN LATERAL (
           SELECT json_agg(json_build_object('id', k.id, 'name', k.name, 'description', k.description)
                           ORDER BY k.name) AS categories
             FROM (SELECT id, name, description FROM categories
                    WHERE company_id = ${companyId}::int AND service_area_id = a.id AND active
                    ORDER BY name LIMIT 200) k) c
     WHERE a.company_id = ${companyId}::int AND a.kind = 'SERVICE_AREA' AND a.active AND c.categories IS NOT NULL
     ORDER BY a.name
     LIMIT 100`,
  );
}

/** The company's active units a guest may say they belong to (regular ones: service areas are not requesters). */
export function guestUnits(db: Db, companyId: number): Promise<{ id: number; name: string }[]> {
  return db.unit.findMany({
    where: { companyId, active: true },
    select: { id: true, name: true },
    orderBy: { name: 'asc' },
    take: 500,
  });
}

export async function isActiveUnit(db: Db, companyId: number, unitId: number): Promise<boolean> {
  return (await db.unit.count({ where: { companyId, id: unitId, active: true } })) > 0;
}

/** What a guest's submission keeps until it is confirmed (JSON of portal_submissions.payload). */
export interface SubmissionPayload {
  name: string;
  email: string;
  phone: string | null;
  unitId: number | null;
  serviceAreaId: number;
  categoryId: number;
  title: string;
  description: string;
  location: string | null;
  fieldValues: FieldValue[];
  files: NewFile[];
  lang: string;
}

export async function insertSubmission(
  db: Db,
  s: { companyId: number; tokenHash: string; email: string; payload: SubmissionPayload; expiresAt: Date; now: Date },
): Promise<void> {
  await db.portalSubmission.create({
    data: {
      companyId: s.companyId,
      tokenHash: s.tokenHash,
      email: s.email,
      payload: s.payload as unknown as Prisma.InputJsonValue,
      expiresAt: s.expiresAt,
      createdAt: s.now,
    },
  });
}

/**
 * Claims an unconfirmed, unexpired submission of the company for its confirmation (a conditional update: of two
 * clicks at once exactly one gets it).
 */
export async function claimSubmission(
  db: Db,
  companyId: number,
  tokenHash: string,
  now: Date,
): Promise<{ id: number; payload: SubmissionPayload } | null> {
  const [row] = await rows<{ id: number; payload: SubmissionPayload }>(
    db,
    Prisma.sql`
      UPDATE portal_submissions SET claimed_at = ${now}::timestamptz
       WHERE company_id = ${companyId}::int AND token_hash = ${tokenHash} AND claimed_at IS NULL
         AND expires_at > ${now}::timestamptz
      RETURNING id::int AS id, payload`,
  );
  return row ?? null;
}

/** Why a submission could not be claimed: the request it already became, expired, or no such link. */
export async function submissionState(db: Db, companyId: number, tokenHash: string) {
  const row = await db.portalSubmission.findFirst({
    where: { companyId, tokenHash },
    select: { requestId: true, claimedAt: true },
  });
  if (!row) return null;
  const request = row.requestId
    ? await db.request.findFirst({ where: { companyId, id: row.requestId }, select: { number: true } })
    : null;
  return { claimed: row.claimedAt !== null, number: request?.number ?? null };
}

export async function markSubmissionFiled(db: Db, companyId: number, id: number, requestId: number): Promise<void> {
  await db.portalSubmission.updateMany({ where: { companyId, id }, data: { requestId } });
}

/** Gives a claimed submission back (its request could not be filed): the link works again until it expires. */
export async function releaseSubmission(db: Db, companyId: number, id: number): Promise<void> {
  await db.portalSubmission.updateMany({ where: { companyId, id, requestId: null }, data: { claimedAt: null } });
}

/**
 * Deletes the expired submissions (at most `limit`) and the expired status links; returns the files of the
 * submissions that were never filed (to remove from the storage).
 */
export async function dropExpired(
  db: Db,
  now: Date,
  limit: number,
): Promise<{ deleted: number; dropped: number; files: NewFile[] }> {
  const dropped = await rows<{ files: NewFile[] | null; filed: boolean }>(
    db,
    Prisma.sql`
      DELETE FROM portal_submissions
       WHERE id IN (SELECT id FROM portal_submissions WHERE expires_at <= ${now}::timestamptz
                     ORDER BY expires_at LIMIT ${limit}::int)
      RETURNING payload -> 'files' AS files, request_id IS NOT NULL AS filed`,
  );
  await db.portalStatusLink.deleteMany({ where: { expiresAt: { lte: now } } });
  return {
    deleted: dropped.length,
    dropped: dropped.filter((d) => !d.filed).length,
    files: dropped.filter((d) => !d.filed).flatMap((d) => d.files ?? []),
  };
}

/** The active person of the company with this address (a guest who is one of its people). */
export async function knownPerson(db: Db, companyId: number, email: string) {
  // The address's owner platform-wide (login_emails, one shard on Citus), then the person if of this company.
  const owner = await ownerOfEmail(db, email.trim().toLowerCase());
  if (!owner || owner.companyId !== companyId) return null;
  return db.user.findFirst({
    where: { companyId, id: owner.userId, active: true, isPortalGuest: false },
    select: { id: true, unitId: true },
  });
}

/** The address of the company's stand-in requester of guests' requests (never a real mailbox: .invalid). */
export const guestStandInEmail = (companyId: number) => `portal-invitado-${companyId}@invitado.invalid`;

/** The company's stand-in requester of guests' requests, created on first use (inactive, without a password). */
export async function guestStandIn(db: Db, companyId: number, name: string): Promise<number> {
  const email = guestStandInEmail(companyId);
  return db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ id: number }[]>(Prisma.sql`
      INSERT INTO users (company_id, email, name, active, is_portal_guest)
      VALUES (${companyId}::int, ${email}, ${name}, false, true)
      ON CONFLICT (company_id, email) DO UPDATE SET is_portal_guest = true
      RETURNING id::int AS id`);
    // Its address is claimed platform-wide like any person's (it embeds the company's id: never another's).
    await tx.$executeRaw(Prisma.sql`
      INSERT INTO login_emails (email, company_id, user_id) VALUES (${email}, ${companyId}::int, ${row!.id}::int)
      ON CONFLICT (email) DO NOTHING`);
    return row!.id;
  });
}

/** The first active unit the person heads (the unit a "No sé" request is filed in, so that they authorize it). */
export async function headedUnit(db: Db, companyId: number, userId: number): Promise<number | null> {
  const unit = await db.unit.findFirst({
    where: { companyId, headId: userId, active: true, head: { companyId, active: true } },
    select: { id: true },
    orderBy: { id: 'asc' },
  });
  return unit?.id ?? null;
}

/** The company's first active regular unit (a "No sé" request when no intake approver heads a unit any more). */
export async function firstUnit(db: Db, companyId: number): Promise<number | null> {
  const unit = await db.unit.findFirst({
    where: { companyId, active: true, kind: 'REGULAR' },
    select: { id: true },
    orderBy: { id: 'asc' },
  });
  return unit?.id ?? null;
}

/** The request of that number whose guest (or requester) used that address; null otherwise. */
export async function requestOfPair(db: Db, companyId: number, number: number, email: string) {
  const [row] = await rows<{ id: number }>(
    db,
    Prisma.sql`
      SELECT r.id::int AS id FROM requests r
        JOIN users u ON u.company_id = ${companyId}::int AND u.id = r.requester_id
       WHERE r.company_id = ${companyId}::int AND r.number = ${number}::int
         AND (lower(r.guest_email) = lower(${email}) OR (NOT u.is_portal_guest AND lower(u.email) = lower(${email})))`,
  );
  return row ?? null;
}

export async function insertStatusLink(
  db: Db,
  l: { companyId: number; requestId: number; tokenHash: string; expiresAt: Date; now: Date },
): Promise<void> {
  const { now, ...link } = l;
  await db.portalStatusLink.create({ data: { ...link, createdAt: now } });
}

/** The request a status link of the company shows, while the link works. */
export async function requestOfLink(db: Db, companyId: number, tokenHash: string, now: Date) {
  const [link] = await rows<{ requestId: number; expiresAt: Date }>(
    db,
    Prisma.sql`
    SELECT request_id AS "requestId", expires_at AS "expiresAt" FROM portal_status_links
     WHERE company_id = ${companyId}::int AND token_hash = ${tokenHash} AND expires_at > ${now}::timestamptz`,
  );
  return link ?? null;
}

export interface GuestView {
  id: number;
  number: number;
  title: string;
  description: string;
  status: RequestStatus;
  priority: Priority;
  location: string | null;
  createdAt: Date;
  onHoldSince: Date | null;
  requesterId: number;
  serviceAreaId: number;
  guestName: string | null;
  category: string;
  serviceArea: string;
  fieldValues: unknown;
  events: { action: string; toStatus: string; createdAt: Date }[];
  comments: { id: number; body: string; createdAt: Date; author: string; mine: boolean }[];
}

/** What the guest sees of a request: its state, history and public comments (never internal notes). */
export async function guestView(db: Db, companyId: number, requestId: number): Promise<GuestView | null> {
  const [row] = await rows<GuestView>(
    db,
    Prisma.sql`
      SELECT r.id::int AS id, r.number::int AS number, r.title, r.description, r.status::text AS status,
             r.priority::text AS priority, r.location, r.created_at AS "createdAt", r.on_hold_since AS "onHoldSince",
             r.requester_id::int AS "requesterId", r.service_area_id::int AS "serviceAreaId",
             r.guest_name AS "guestName", c.name AS category, a.name AS "serviceArea", r.field_values AS "fieldValues",
             COALESCE((SELECT json_agg(json_build_object('action', e.action, 'toStatus', e.to_status,
                                                         'createdAt', e.created_at) ORDER BY e.id)
                         FROM request_events e WHERE e.company_id = ${companyId}::int AND e.request_id = r.id), '[]')
               AS events,
             COALESCE((SELECT json_agg(json_build_object('id', m.id, 'body', m.body, 'createdAt', m.created_at,
                                                         'author', p.name, 'mine', m.author_id = r.requester_id)
                                       ORDER BY m.created_at, m.id)
                         FROM request_comments m
                         JOIN users p ON p.company_id = ${companyId}::int AND p.id = m.author_id
                        WHERE m.company_id = ${companyId}::int AND m.request_id = r.id AND NOT m.internal), '[]')
               AS comments
        FROM requests r
        JOIN categories c ON c.company_id = ${companyId}::int AND c.id = r.category_id
        JOIN units a ON a.company_id = ${companyId}::int AND a.id = r.service_area_id
       WHERE r.company_id = ${companyId}::int AND r.id = ${requestId}::int`,
  );
  if (!row) return null;
  return {
    ...row,
    events: row.events.map((e) => ({ ...e, createdAt: new Date(e.createdAt) })),
    comments: row.comments.map((c) => ({ ...c, createdAt: new Date(c.createdAt) })),
  };
}

/** The company's own portal address, when it is switched on (the admin's posters). */
export async function ownPortal(db: Db, companyId: number): Promise<{ slug: string; name: string } | null> {
  const c = await db.company.findFirst({
    where: { id: companyId, portalEnabled: true },
    select: { portalSlug: true, name: true },
  });
  return c?.portalSlug ? { slug: c.portalSlug, name: c.name } : null;
}

/** Whether the category is an active category of that active service area of the company (the portal's catalogue). */
export async function isPortalCategory(db: Db, companyId: number, serviceAreaId: number, categoryId: number) {
  const found = await db.category.count({
    where: {
      companyId,
      id: categoryId,
      serviceAreaId,
      active: true,
      serviceArea: { companyId, active: true, kind: 'SERVICE_AREA' },
    },
  });
  return found > 0;
}
