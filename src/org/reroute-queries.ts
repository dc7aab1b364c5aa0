// When a unit loses its head (an admin clears it, or deactivates the head), the pending requests waiting on it
// move up the chain (the rule of src/requests/authorizer.ts, in SQL). Raw SQL: a recursive statement finds where.
import { Prisma } from '../generated/prisma/client.js';
import { outboxInsert } from '../notifications/index.js';

const sql = Prisma.sql;

/**
 * Pending requests waiting on the units `unitIds` whose unit has no active head any more move to the nearest unit
 * above with an active head other than the requester, else to the administrators (when there is an active admin
 * other than the requester), each with a REROUTE event by `actorId`. A unit whose (new) head is active keeps its
 * requests, so a new head sees them. Runs on the caller's transaction (its own $queryRaw): the recursive search,
 * the move and the events with their notification job, in three statements (Citus answers a recursive statement
 * from one shard only when it modifies nothing; the outbox is a coordinator table).
 */
export async function rerouteStuckRequests(
  tx: Prisma.TransactionClient,
  companyId: number,
  unitIds: number[],
  actorId: number,
  now: Date,
): Promise<number> {
  if (unitIds.length === 0) return 0;
  const c = companyId;
  const targets = await tx.$queryRaw<{ request_id: number; unit_id: number | null; admins: boolean }[]>(
    sql`
    WITH RECURSIVE stuck AS (
      SELECT r.id, r.requester_id, r.authorizer_unit_id AS unit_id FROM requests r
        JOIN units u ON u.company_id = ${c}::int AND u.id = r.authorizer_unit_id
        LEFT JOIN users h ON h.company_id = ${c}::int AND h.id = u.head_id AND h.active
       WHERE r.company_id = ${c}::int AND r.authorizer_unit_id = ANY(${unitIds}::int[]) AND r.status = 'PENDING'
         AND (h.id IS NULL OR NOT u.active OR h.id = r.requester_id)
    ), up AS (
      SELECT s.id AS request_id, s.requester_id, u.parent_id, 1 AS depth FROM stuck s
        JOIN units u ON u.company_id = ${c}::int AND u.id = s.unit_id
      UNION ALL
      SELECT up.request_id, up.requester_id, p.parent_id, up.depth + 1 FROM up
        JOIN units p ON p.company_id = ${c}::int AND p.id = up.parent_id
        LEFT JOIN users h ON h.company_id = ${c}::int AND h.id = p.head_id AND h.active AND p.active
       WHERE up.depth < 100 AND (h.id IS NULL OR h.id = up.requester_id)
    )
    -- The first unit above the stuck one whose head is active and not the requester (none: the admins).
    SELECT s.id::int AS request_id,
           (SELECT p.id FROM up JOIN units p ON p.company_id = ${c}::int AND p.id = up.parent_id
              JOIN users h ON h.company_id = ${c}::int AND h.id = p.head_id AND h.active AND p.active
             WHERE up.request_id = s.id AND h.id <> s.requester_id
             ORDER BY up.depth LIMIT 1)::int AS unit_id,
           EXISTS (SELECT 1 FROM users a WHERE a.company_id = ${c}::int AND a.is_company_admin AND a.active
                                           AND a.id <> s.requester_id) AS admins
      FROM stuck s`,
  );
  const movable = targets.filter((t) => t.unit_id !== null || t.admins);
  if (movable.length === 0) return 0;
  const moved = await tx.$queryRaw<{ id: number; unit_id: number | null }[]>(
    sql`
    UPDATE requests r SET authorizer_unit_id = t.unit_id, awaiting_admins = t.unit_id IS NULL,
                          updated_at = ${now}::timestamptz
      FROM unnest(${movable.map((t) => t.request_id)}::int[], ${movable.map((t) => t.unit_id)}::int[])
           AS t(request_id, unit_id)
     WHERE r.company_id = ${c}::int AND r.id = t.request_id AND r.status = 'PENDING'
    RETURNING r.id::int AS id, t.unit_id::int AS unit_id`,
  );
  if (moved.length === 0) return 0;
  await tx.$queryRaw(
    sql`
    WITH events AS (
      INSERT INTO request_events (company_id, request_id, actor_id, action, from_status, to_status, data, created_at)
      SELECT ${c}::int, m.id, ${actorId}::int, 'REROUTE', 'PENDING', 'PENDING',
             jsonb_build_object('authorizerUnitId', m.unit_id), ${now}::timestamptz
        FROM unnest(${moved.map((m) => m.id)}::int[], ${moved.map((m) => m.unit_id)}::int[]) AS m(id, unit_id)
      RETURNING id
    )
    ${outboxInsert({ companyId: c, eventIds: sql`(SELECT jsonb_agg(id::text ORDER BY id) FROM events)` })}`,
  );
  return moved.length;
}
