// Statements of the followers ("Seguidores"): Prisma where it reads well, raw SQL where measured faster.
import type { Db } from '../db/client.js';
import { instant, nameOf, pageWithTotal, rows } from '../db/sql.js';
import { Prisma, type Priority, type RequestStatus } from '../generated/prisma/client.js';

/**
 * Adds the active person of the company with that email as a follower (nothing when they already follow): one
 * statement. `personId` null: no such colleague; `requester`: the email is the requester's own.
 */
export async function insertFollower(
  db: Db,
  f: { companyId: number; requestId: number; email: string; addedById: number; now: Date },
): Promise<{ personId: number | null; requester: boolean }> {
  const [row] = await rows<{ personId: number | null; requester: boolean }>(
    db,
    Prisma.sql`
    WITH person AS (
      SELECT u.id, u.id = r.requester_id AS requester FROM users u
        JOIN requests r ON r.company_id = ${f.companyId}::int AND r.id = ${f.requestId}::int
       WHERE u.company_id = ${f.companyId}::int AND u.email = ${f.email}::text AND u.active
    ), added AS (
      INSERT INTO request_followers (company_id, request_id, user_id, added_by_id, created_at)
      SELECT ${f.companyId}::int, ${f.requestId}::int, p.id, ${f.addedById}::int, ${f.now}::timestamptz
        FROM person p WHERE NOT p.requester
      ON CONFLICT DO NOTHING
      RETURNING user_id
    )
    SELECT (SELECT id FROM person)::int AS "personId", COALESCE((SELECT requester FROM person), false) AS requester`,
  );
  return row ?? { personId: null, requester: false };
}

export async function deleteFollower(db: Db, companyId: number, requestId: number, userId: number): Promise<void> {
  await db.requestFollower.deleteMany({ where: { companyId, requestId, userId } });
}

export interface FollowedRow {
  id: number;
  number: number;
  title: string;
  status: RequestStatus;
  priority: Priority;
  createdAt: Date;
  requesterName: string;
  responseDueAt: Date | null;
  resolutionDueAt: Date | null;
  onHoldSince: Date | null;
}

/**
 * One page of the requests a person follows, most recently followed first (the (company, user, created_at) index),
 * with how many they follow: one statement.
 */
export async function followingPage(
  db: Db,
  companyId: number,
  userId: number,
  { skip, take }: { skip: number; take: number },
): Promise<{ total: number; items: FollowedRow[] }> {
  const page = Prisma.sql`
    SELECT r.id, r.number, r.title, r.status::text AS status, r.priority::text AS priority, r.created_at AS "createdAt",
           ${nameOf('users', 'r', 'requester_id', companyId)} AS "requesterName", r.response_due_at AS "responseDueAt",
           r.resolution_due_at AS "resolutionDueAt", r.on_hold_since AS "onHoldSince", f.created_at AS followed_at
      FROM (SELECT request_id, created_at FROM request_followers
             WHERE company_id = ${companyId}::int AND user_id = ${userId}::int
             ORDER BY created_at DESC LIMIT ${take}::int OFFSET ${skip}::int) f
      JOIN requests r ON r.company_id = ${companyId}::int AND r.id = f.request_id`;
  const { total, items: found } = await pageWithTotal<JsonFollowed>(
    db,
    Prisma.sql`SELECT count(*) FROM request_followers
                WHERE company_id = ${companyId}::int AND user_id = ${userId}::int`,
    page,
    Prisma.sql`p.followed_at DESC`,
  );
  const items = found.map(({ followed_at: _followed, ...r }) => ({
    ...r,
    createdAt: instant(r.createdAt),
    responseDueAt: instant(r.responseDueAt),
    resolutionDueAt: instant(r.resolutionDueAt),
    onHoldSince: instant(r.onHoldSince),
  }));
  return { total, items };
}

/** A row of the page read as JSON: its instants are strings there. */
type JsonFollowed = Omit<FollowedRow, 'createdAt' | 'responseDueAt' | 'resolutionDueAt' | 'onHoldSince'> & {
  createdAt: string;
  responseDueAt: string | null;
  resolutionDueAt: string | null;
  onHoldSince: string | null;
  followed_at: string;
};
