// A person's own data, as one JSON document they download from "Mi cuenta".
import type { Actor } from '../auth/index.js';
import type { Db } from '../db/client.js';
import { ownComments, ownPreferences, ownProfile, ownRequests, ownSignIns } from './queries.js';

export async function ownData(deps: { db: Db }, actor: Actor) {
  const who = { companyId: actor.companyId, userId: actor.id };
  const [profile, requests, comments, signIns, preferences] = await Promise.all([
    ownProfile(deps.db, who),
    ownRequests(deps.db, who),
    ownComments(deps.db, who),
    ownSignIns(deps.db, who),
    ownPreferences(deps.db, who),
  ]);
  const { totpSecretEnc, company, unit, ...person } = profile;
  return {
    person: { ...person, company: company.name, unit: unit?.name ?? null, twoFactor: totpSecretEnc !== null },
    requests: requests.map(({ category, ...r }) => ({ ...r, category: category.name })),
    comments: comments.map(({ request, ...c }) => ({ ...c, requestNumber: request.number })),
    signIns,
    notificationPreferences: preferences,
  };
}
