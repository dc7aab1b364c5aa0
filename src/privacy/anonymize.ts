// Anonymizing a person who left: a stable pseudonym instead of the name, the address and phone erased, sessions and
// links ended. Their requests, steps and comments stay (by id), so indicators and histories do not change.
import { createHmac } from 'node:crypto';
import { endSessionsOf } from '../accounts/index.js';
import { auditActor, recordAudit } from '../audit/index.js';
import type { Actor } from '../auth/index.js';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { ConflictError, NotFoundError } from '../web/errors.js';
import { anonymizeRows, personToAnonymize } from './queries.js';

/** The same person always gets the same pseudonym (an HMAC of company and id with the server's secret). */
export function pseudonymOf(config: Config, who: { companyId: number; userId: number }) {
  const tag = createHmac('sha256', config.SESSION_SECRET)
    .update(`pseudonym:${who.companyId}:${who.userId}`)
    .digest('hex')
    .slice(0, 8)
    .toUpperCase();
  return { name: `Persona ${tag}`, email: `anonima-${tag.toLowerCase()}-${who.userId}@anonimo.invalid` };
}

export async function anonymizePerson(
  deps: { db: Db; config: Config; clock: () => Date },
  actor: Actor,
  input: { userId: number },
): Promise<{ name: string }> {
  const who = { companyId: actor.companyId, userId: input.userId };
  if (input.userId === actor.id) throw new ConflictError('privacy.notYourself');
  const pseudonym = pseudonymOf(deps.config, who);
  await deps.db.$transaction(async (tx) => {
    const person = await personToAnonymize(tx, who);
    if (!person) throw new NotFoundError();
    if (person.anonymizedAt) throw new ConflictError('privacy.alreadyAnonymized');
    await anonymizeRows(tx, who, { ...pseudonym, at: deps.clock() });
    await endSessionsOf(tx, input.userId);
    await recordAudit(tx, actor.companyId, auditActor(actor), {
      action: 'privacy.anonymized',
      entityType: 'user',
      entityId: input.userId,
      summary: pseudonym.name,
    });
  });
  return { name: pseudonym.name };
}
