// Statements of the corrections and the requester's edit (raw SQL where measured faster, like the lifecycle's: each
// write is ONE statement whose conditional update, event row and notification job commit together).
import type { Db } from '../db/client.js';
import { rows } from '../db/sql.js';
import { Prisma, type Priority, type RequestStatus } from '../generated/prisma/client.js';
import { outboxInsert } from '../notifications/index.js';
import type { NewFile } from './write-queries.js';

const sql = Prisma.sql;

/** A service area and a category as a correction names them (null: not the company's). */
export interface CorrectionTarget {
  area: { id: number; name: string; active: boolean; isServiceArea: boolean } | null;
  category: {
    id: number;
    name: string;
    serviceAreaId: number;
    active: boolean;
    responseHours: number | null;
    resolutionHours: number | null;
  } | null;
  /** The names of the request's current area and category (for the history). */
  fromAreaName: string;
  fromCategoryName: string;
}

/**
 * The target area (given, or the category's) and category of the company, and the names of the current ones: one
 * statement.
 */
export async function readCorrectionTarget(
  db: Db,
  companyId: number,
  input: { areaId: number | null; categoryId: number; fromAreaId: number; fromCategoryId: number },
): Promise<CorrectionTarget> {
  const [row] = await rows<CorrectionTarget>(
    db,
    sql`
    SELECT (SELECT json_build_object('id', u.id, 'name', u.name, 'active', u.active,
                                     'isServiceArea', u.kind = 'SERVICE_AREA')
              FROM units u
             WHERE u.company_id = ${companyId}::int
               AND u.id = COALESCE(${input.areaId}::int,
                                   (SELECT service_area_id FROM categories
                                     WHERE company_id = ${companyId}::int AND id = ${input.categoryId}::int))) AS area,
           (SELECT json_build_object('id', c.id, 'name', c.name, 'serviceAreaId', c.service_area_id,
                                     'active', c.active, 'responseHours', c.response_hours,
                                     'resolutionHours', c.resolution_hours)
              FROM categories c WHERE c.company_id = ${companyId}::int AND c.id = ${input.categoryId}::int) AS category,
           (SELECT name FROM units WHERE company_id = ${companyId}::int AND id = ${input.fromAreaId}::int)
             AS "fromAreaName",
           (SELECT name FROM categories WHERE company_id = ${companyId}::int AND id = ${input.fromCategoryId}::int)
             AS "fromCategoryName"`,
  );
  return row!;
}

/** What a correction writes, and the state it expects to find (else nothing is written). */
export interface CorrectionRow {
  companyId: number;
  requestId: number;
  actorId: number;
  onBehalfOfId: number | null;
  now: Date;
  action: 'TRANSFER' | 'CORRECT';
  expected: { status: RequestStatus; serviceAreaId: number; categoryId: number; priority: Priority };
  set: {
    serviceAreaId: number;
    categoryId: number;
    priority: Priority;
    responseDueAt: Date | null;
    resolutionDueAt: Date | null;
  };
  comment: string | null;
  data: Record<string, unknown>;
}

/**
 * Moves the request to another area and/or category and priority, if it is still as read and the category is an
 * active one of that active area; its event and notification job in the same statement. Null: nothing matched.
 */
export async function applyCorrection(db: Db, s: CorrectionRow): Promise<number | null> {
  const c = s.companyId;
  const [row] = await rows<{ number: number | null }>(
    db,
    sql`
    WITH category AS (
      SELECT cat.id FROM categories cat
        JOIN units area ON area.company_id = ${c}::int AND area.id = cat.service_area_id
                       AND area.active AND area.kind = 'SERVICE_AREA'
       WHERE cat.company_id = ${c}::int AND cat.id = ${s.set.categoryId}::int
         AND cat.service_area_id = ${s.set.serviceAreaId}::int AND cat.active
    ), moved AS (
      UPDATE requests
         SET service_area_id = ${s.set.serviceAreaId}::int, category_id = ${s.set.categoryId}::int,
             priority = ${s.set.priority}::text::"Priority", response_due_at = ${s.set.responseDueAt}::timestamptz,
             resolution_due_at = ${s.set.resolutionDueAt}::timestamptz, updated_at = ${s.now}::timestamptz
       WHERE company_id = ${c}::int AND id = ${s.requestId}::int
         AND status = ${s.expected.status}::text::"RequestStatus"
         AND service_area_id = ${s.expected.serviceAreaId}::int AND category_id = ${s.expected.categoryId}::int
         AND priority = ${s.expected.priority}::text::"Priority" AND EXISTS (SELECT 1 FROM category)
      RETURNING id, number, status
    ), events AS (
      INSERT INTO request_events (company_id, request_id, actor_id, action, from_status, to_status, comment, data,
                                  created_at, on_behalf_of_id)
      SELECT ${c}::int, moved.id, ${s.actorId}::int, ${s.action}::text::"EventAction", moved.status, moved.status,
             ${s.comment}::text, ${JSON.stringify(s.data)}::jsonb, ${s.now}::timestamptz, ${s.onBehalfOfId}::int
        FROM moved
      RETURNING id
    ), job AS (${outboxInsert(
      { companyId: c, eventIds: sql`(SELECT jsonb_agg(id::text ORDER BY id) FROM events)` },
      sql`EXISTS (SELECT 1 FROM events)`,
    )})
    SELECT (SELECT number FROM moved)::int AS number, (SELECT count(*) FROM job)::int AS jobs`,
  );
  return row?.number ?? null;
}

/** The requester's edit: the new texts (only those that changed), files, and the version it was made on. */
export interface EditRow {
  companyId: number;
  requestId: number;
  requesterId: number;
  now: Date;
  /** The request's updated_at when the form was drawn: the edit applies only if nothing changed it since. */
  version: Date;
  set: { title: string; description: string; location: string | null };
  files: readonly NewFile[];
  data: Record<string, unknown>;
}

/** Applies an edit while the request is still pending and unchanged; its event and files together. Null: stale. */
export async function applyEdit(db: Db, s: EditRow): Promise<number | null> {
  const c = s.companyId;
  const files = s.files.map((f) => ({
    file_name: f.fileName,
    mime_type: f.mimeType,
    size: f.size,
    storage_key: f.storageKey,
    thumbnail_key: f.thumbnailKey,
  }));
  const [row] = await rows<{ number: number | null }>(
    db,
    sql`
    WITH moved AS (
      UPDATE requests
         SET title = ${s.set.title}::text, description = ${s.set.description}::text,
             location = ${s.set.location}::text, updated_at = ${s.now}::timestamptz
       WHERE company_id = ${c}::int AND id = ${s.requestId}::int AND requester_id = ${s.requesterId}::int
         AND status = 'PENDING' AND updated_at = ${s.version}::timestamptz
      RETURNING id, number
    ), events AS (
      INSERT INTO request_events (company_id, request_id, actor_id, action, from_status, to_status, data, created_at)
      SELECT ${c}::int, moved.id, ${s.requesterId}::int, 'EDIT', 'PENDING', 'PENDING',
             ${JSON.stringify(s.data)}::jsonb, ${s.now}::timestamptz
        FROM moved
      RETURNING id
    ), files AS (
      INSERT INTO attachments (company_id, request_id, comment_id, uploader_id, internal, file_name, mime_type, size,
                               storage_key, thumbnail_key, created_at)
      SELECT ${c}::int, moved.id, NULL, ${s.requesterId}::int, false, f.file_name, f.mime_type, f.size,
             f.storage_key, f.thumbnail_key, ${s.now}::timestamptz
        FROM moved,
             jsonb_to_recordset(${JSON.stringify(files)}::jsonb)
               AS f(file_name text, mime_type text, size int, storage_key text, thumbnail_key text)
    )
    SELECT (SELECT number FROM moved)::int AS number`,
  );
  return row?.number ?? null;
}

/** The texts an edit starts from, with the version (updated_at) the form carries. */
export async function readEditable(db: Db, companyId: number, requestId: number) {
  return db.request.findFirst({
    where: { companyId, id: requestId },
    select: { title: true, description: true, location: true, updatedAt: true },
  });
}
