import type { Actor } from '../auth/index.js';

/** Company administrators register endpoints and read their log. */
export const canManageWebhooks = (actor: Actor) => actor.isCompanyAdmin;
