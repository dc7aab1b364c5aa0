// Who authorizes a request (DESIGN §1, "who authorizes is a rule"): the head of the requester's unit; when that
// unit has no active head, or its head is the requester, the head of the nearest parent unit that has one; at the
// top, the company's administrators. A category may skip the unit's authorization altogether.

/** A unit on the way from the requester's unit up to the root of the org tree. */
export interface ChainUnit {
  id: number;
  /** The head, when there is one and the person is active. */
  activeHeadId: number | null;
}

export type Authorizer =
  /** Authorized on submit: the category needs no unit authorization. */
  | { kind: 'none-needed' }
  /** A head of a unit on the chain (`unitId` is whose head acts). */
  | { kind: 'head'; userId: number; unitId: number }
  /** Nobody on the chain: the company's administrators (other than the requester). */
  | { kind: 'admins'; userIds: number[] }
  /**
   * The requester is an administrator and nobody else could authorize (e.g. a new company's only person): their own
   * authority, recorded as such, authorizes it on submit.
   */
  | { kind: 'self' }
  /** Nobody at all could authorize: the request can't be submitted. */
  | { kind: 'nobody' };

export interface AuthorizerInput {
  requesterId: number;
  /** The requester's unit first, then its parent, up to the root. */
  chain: readonly ChainUnit[];
  categoryNeedsAuthorization: boolean;
  /** Active company administrators. */
  adminIds: readonly number[];
}

export function authorizerOf(input: AuthorizerInput): Authorizer {
  if (!input.categoryNeedsAuthorization) return { kind: 'none-needed' };
  for (const unit of input.chain) {
    if (unit.activeHeadId !== null && unit.activeHeadId !== input.requesterId) {
      return { kind: 'head', userId: unit.activeHeadId, unitId: unit.id };
    }
  }
  const admins = input.adminIds.filter((id) => id !== input.requesterId);
  if (admins.length) return { kind: 'admins', userIds: admins };
  return input.adminIds.includes(input.requesterId) ? { kind: 'self' } : { kind: 'nobody' };
}

/**
 * The next authorizer up the chain from the one now expected (escalation): the head of a unit above `fromUnitId`,
 * else the administrators; null when there is nobody further up.
 */
export function nextAuthorizerAbove(input: AuthorizerInput, fromUnitId: number): Authorizer | null {
  const at = input.chain.findIndex((u) => u.id === fromUnitId);
  if (at < 0) return null;
  const above = authorizerOf({ ...input, chain: input.chain.slice(at + 1) });
  return above.kind === 'head' || above.kind === 'admins' ? above : null;
}
