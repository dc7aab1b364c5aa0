// Where a pending authorization goes when it escalates (issue 16): up the chain from the unit whose head did not act,
// passing over units headed by that same person (escalating to them again would change nothing).
import type { Db } from '../db/client.js';
import { nextAuthorizerAbove } from './authorizer.js';
import { readAuthorizerFacts } from './authorizer-queries.js';

/**
 * The unit whose head authorizes next (a number), the administrators (null), or undefined when nobody is above
 * `fromUnitId` on the requester's chain.
 */
export async function escalationTarget(
  db: Db,
  companyId: number,
  r: { requesterId: number; requesterUnitId: number; fromUnitId: number },
): Promise<number | null | undefined> {
  const facts = await readAuthorizerFacts(db, companyId, r.requesterUnitId, null);
  const input = {
    requesterId: r.requesterId,
    chain: facts.chain,
    categoryNeedsAuthorization: true,
    adminIds: facts.adminIds,
  };
  const passedOver = facts.chain.find((u) => u.id === r.fromUnitId)?.activeHeadId ?? null;
  let from = r.fromUnitId;
  for (;;) {
    const next = nextAuthorizerAbove(input, from);
    if (!next) return undefined;
    if (next.kind === 'admins') return null;
    if (next.kind !== 'head') return undefined;
    if (next.userId !== passedOver) return next.unitId;
    from = next.unitId;
  }
}
