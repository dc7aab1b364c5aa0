// Who authorizes: the facts the rule needs (raw SQL: a recursive walk up the org tree in one statement).
// When a unit loses its head, its pending requests move up the chain: src/org/reroute-queries.ts.
import type { Db } from '../db/client.js';
import { rows } from '../db/sql.js';
import { Prisma } from '../generated/prisma/client.js';
import type { ChainUnit } from './authorizer.js';

const sql = Prisma.sql;

export interface AuthorizerFacts {
  /** The requester's unit first, then its parents; a head counts only while active (and the unit too). */
  chain: ChainUnit[];
  /** Active company administrators. */
  adminIds: number[];
  /** Whether the category needs the unit's authorization (null: no such category in the company). */
  needsAuthorization: boolean | null;
}

/** The chain from `unitId` up to the root, the active admins and the category's flag, in one statement. */
export async function readAuthorizerFacts(
  db: Db,
  companyId: number,
  unitId: number,
  categoryId: number | null,
): Promise<AuthorizerFacts> {
  const [row] = await rows<AuthorizerFacts>(
    db,
    sql`
    WITH RECURSIVE chain AS (
      SELECT u.id, u.parent_id, u.head_id, u.active, 1 AS depth FROM units u
       WHERE u.company_id = ${companyId}::int AND u.id = ${unitId}::int
      UNION ALL
      SELECT p.id, p.parent_id, p.head_id, p.active, chain.depth + 1 FROM units p
        JOIN chain ON p.company_id = ${companyId}::int AND p.id = chain.parent_id
       WHERE chain.depth < 100)
    SELECT COALESCE((SELECT json_agg(json_build_object('id', chain.id, 'activeHeadId', h.id) ORDER BY chain.depth)
                       FROM chain
                       LEFT JOIN users h ON h.company_id = ${companyId}::int AND h.id = chain.head_id AND h.active
                                        AND chain.active), '[]'::json) AS chain,
           COALESCE((SELECT json_agg(a.id ORDER BY a.id) FROM users a
                      WHERE a.company_id = ${companyId}::int AND a.is_company_admin AND a.active), '[]'::json)
             AS "adminIds",
           (SELECT c.needs_authorization FROM categories c
             WHERE c.company_id = ${companyId}::int AND c.id = ${categoryId}::int) AS "needsAuthorization"`,
  );
  return row!;
}
