import { describe, expect, it } from 'vitest';
import { authorizerOf, nextAuthorizerAbove, type AuthorizerInput } from '../../src/requests/authorizer.js';

const REQUESTER = 10;
const base = (chain: AuthorizerInput['chain'], over: Partial<AuthorizerInput> = {}): AuthorizerInput => ({
  requesterId: REQUESTER,
  chain,
  categoryNeedsAuthorization: true,
  adminIds: [90, 91],
  ...over,
});

describe('who authorizes', () => {
  it.each([
    ['the head of the unit', [{ id: 1, activeHeadId: 20 }], { kind: 'head', userId: 20, unitId: 1 }],
    [
      'the parent head when the unit has no head',
      [
        { id: 1, activeHeadId: null },
        { id: 2, activeHeadId: 30 },
      ],
      { kind: 'head', userId: 30, unitId: 2 },
    ],
    [
      'the parent head when the head is the requester',
      [
        { id: 1, activeHeadId: REQUESTER },
        { id: 2, activeHeadId: 30 },
      ],
      { kind: 'head', userId: 30, unitId: 2 },
    ],
    [
      'three levels up past an inactive head (given as no head) and the requester',
      [
        { id: 1, activeHeadId: null },
        { id: 2, activeHeadId: REQUESTER },
        { id: 3, activeHeadId: 40 },
      ],
      { kind: 'head', userId: 40, unitId: 3 },
    ],
    [
      'the administrators at the top',
      [
        { id: 1, activeHeadId: null },
        { id: 2, activeHeadId: null },
      ],
      { kind: 'admins', userIds: [90, 91] },
    ],
  ] as const)('%s', (_name, chain, expected) => {
    expect(authorizerOf(base(chain))).toEqual(expected);
  });

  it('needs nobody when the category skips authorization', () => {
    expect(authorizerOf(base([{ id: 1, activeHeadId: 20 }], { categoryNeedsAuthorization: false }))).toEqual({
      kind: 'none-needed',
    });
  });

  it('never names the requester among the admins; a lone admin authorizes their own; else nobody', () => {
    const chain = [{ id: 1, activeHeadId: REQUESTER }];
    expect(authorizerOf(base(chain, { adminIds: [REQUESTER, 91] }))).toEqual({ kind: 'admins', userIds: [91] });
    expect(authorizerOf(base(chain, { adminIds: [REQUESTER] }))).toEqual({ kind: 'self' });
    expect(authorizerOf(base(chain, { adminIds: [] }))).toEqual({ kind: 'nobody' });
    expect(authorizerOf(base([], { adminIds: [] }))).toEqual({ kind: 'nobody' });
  });

  it('escalates to the next head up, then to the administrators, then to nobody', () => {
    const input = base([
      { id: 1, activeHeadId: 20 },
      { id: 2, activeHeadId: null },
      { id: 3, activeHeadId: 40 },
    ]);
    expect(nextAuthorizerAbove(input, 1)).toEqual({ kind: 'head', userId: 40, unitId: 3 });
    expect(nextAuthorizerAbove(input, 3)).toEqual({ kind: 'admins', userIds: [90, 91] });
    expect(nextAuthorizerAbove(base([{ id: 1, activeHeadId: 20 }], { adminIds: [] }), 1)).toBeNull();
  });
});
