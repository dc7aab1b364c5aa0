// The API tokens' use cases: create (shown once, stored as its sha256), list, revoke (both in the audit log), and
// the check of every API call (authenticate: the live token, its call counted, its principal loaded).
import { createHash, randomBytes } from 'node:crypto';
import { auditActor, recordAudit } from '../audit/index.js';
import { loadActor, type Actor } from '../auth/index.js';
import type { Db } from '../db/client.js';
import { endOfLocalDay } from '../web/dates.js';
import { ForbiddenError, NotFoundError, UnauthorizedError, ValidationError } from '../web/errors.js';
import { paginated } from '../web/pagination.js';
import { canManageTokens, PERSON_SCOPES } from './policy.js';
import {
  activePeople,
  countTokens,
  insertToken,
  isActivePerson,
  revokeTokenRow,
  tokensPage,
  useToken,
} from './queries.js';
import type { NewTokenInput, Scope } from './schemas.js';

export interface TokenDeps {
  db: Db;
  clock: () => Date;
}

export const TOKEN_PREFIX = 'sol_';
const WINDOW_MS = 60_000;

export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** A new token: `sol_<company id>_<random>`. The company in it routes its lookup to one shard on Citus. */
export const newApiToken = (companyId: number) =>
  `${TOKEN_PREFIX}${companyId}_${randomBytes(32).toString('base64url')}`;

/** The company a token names; null for a token of an earlier version (`sol_<random>`), looked up by its hash only. */
const companyOfToken = (token: string): number | null => {
  const id = /^sol_([1-9]\d{0,9})_./.exec(token)?.[1];
  return id ? Number(id) : null;
};

function guard(actor: Actor) {
  if (!canManageTokens(actor)) throw new ForbiddenError();
}

export async function listTokens(deps: TokenDeps, actor: Actor, input: { page: number }) {
  guard(actor);
  const list = await paginated(
    input.page,
    () => countTokens(deps.db, actor.companyId),
    (window) => tokensPage(deps.db, actor.companyId, window),
  );
  return { ...list, people: await activePeople(deps.db, actor.companyId) };
}

/** Creates a token; the returned `token` is the only time it is seen. */
export async function createToken(deps: TokenDeps, actor: Actor, input: NewTokenInput) {
  guard(actor);
  const { db, clock } = deps;
  const userId = input.kind === 'person' ? input.userId : null;
  if (userId !== null && !(await isActivePerson(db, actor.companyId, userId)))
    throw new ValidationError({ userId: 'forms.invalidChoice' });
  const expiresAt = input.expiresOn ? endOfLocalDay(input.expiresOn, actor.timezone) : null;
  if (expiresAt && expiresAt <= clock()) throw new ValidationError({ expiresOn: 'apiTokens.errors.past' });
  const token = newApiToken(actor.companyId);
  const scopes = input.kind === 'person' ? [...PERSON_SCOPES] : [...new Set(input.scopes)];
  const created = await db.$transaction(async (tx) => {
    const row = await insertToken(tx, {
      companyId: actor.companyId,
      name: input.name,
      tokenHash: hashToken(token),
      hint: token.slice(-4),
      userId,
      scopes,
      rateLimit: input.rateLimit,
      expiresAt,
      createdById: actor.id,
    });
    await recordAudit(tx, actor.companyId, auditActor(actor), {
      action: 'api_token.created',
      entityType: 'api_token',
      entityId: row.id,
      summary: input.name,
      changes: { scopes: [null, scopes], userId: [null, userId], expiresAt: [null, expiresAt] },
    });
    return row;
  });
  return { id: created.id, token };
}

export async function revokeToken(deps: TokenDeps, actor: Actor, input: { id: number }) {
  guard(actor);
  await deps.db.$transaction(async (tx) => {
    const row = await revokeTokenRow(tx, actor.companyId, input.id, deps.clock());
    if (!row) throw new NotFoundError();
    await recordAudit(tx, actor.companyId, auditActor(actor), {
      action: 'api_token.revoked',
      entityType: 'api_token',
      entityId: row.id,
      summary: row.name,
    });
  });
}

/** Who an API call acts as: the principal (an Actor, as in the browser), the token's scopes, its rate window. */
export interface ApiPrincipal {
  actor: Actor;
  tokenId: number;
  scopes: Scope[];
  rate: { limit: number; remaining: number; resetSeconds: number; exceeded: boolean };
}

/**
 * The principal of a bearer token: the person it belongs to or, for an integration, the administrator who created
 * it. A missing, unknown, revoked or expired token, or one whose person is no longer active, is a 401.
 */
export async function authenticate(deps: TokenDeps, bearer: string | undefined): Promise<ApiPrincipal> {
  if (!bearer?.startsWith(TOKEN_PREFIX) || bearer.length > 200) throw new UnauthorizedError();
  const now = deps.clock();
  const window = new Date(Math.floor(now.getTime() / WINDOW_MS) * WINDOW_MS);
  const hash = hashToken(bearer);
  const named = companyOfToken(bearer);
  // A token of an earlier version may look like `sol_<digits>_…` by chance: not found in that company, it is looked
  // up by its hash alone (across companies on Citus; only for such tokens and unknown ones).
  const token =
    (await useToken(deps.db, named, hash, now, window)) ??
    (named !== null ? await useToken(deps.db, null, hash, now, window) : null);
  if (!token) throw new UnauthorizedError();
  const actor = await loadActor(deps.db, token.userId ?? token.createdById, {
    waiting: false,
    now,
    companyId: token.companyId,
  });
  if (!actor || actor.companyId !== token.companyId) throw new UnauthorizedError();
  return {
    actor,
    tokenId: token.id,
    scopes: token.scopes as Scope[],
    rate: {
      limit: token.rateLimit,
      remaining: Math.max(0, token.rateLimit - token.used),
      resetSeconds: Math.ceil((window.getTime() + WINDOW_MS - now.getTime()) / 1000),
      exceeded: token.used > token.rateLimit,
    },
  };
}
