// Who may do what with API tokens, and what a token's scopes allow.
import type { Actor } from '../auth/index.js';
import type { Scope } from './schemas.js';

/** Company administrators create, list and revoke tokens. */
export const canManageTokens = (actor: Actor) => actor.isCompanyAdmin;

/** What a call needs: `read` for reading, `write` for changing requests, `admin` for the organisation. */
export function scopeAllows(scopes: readonly string[], needed: Scope): boolean {
  return scopes.includes(needed);
}

/** A person's token carries every scope: the person's own roles decide, as in the browser. */
export const PERSON_SCOPES: readonly Scope[] = ['read', 'write', 'admin'];
