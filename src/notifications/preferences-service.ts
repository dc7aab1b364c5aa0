// Use cases of "Mis notificaciones": which kinds of event reach the person over which channels.
import type { Db } from '../db/client.js';
import type { NotificationChannel } from '../generated/prisma/enums.js';
import type { Actor } from '../auth/index.js';
import { ValidationError } from '../web/errors.js';
import { phoneOf, replacePreferences } from './admin-queries.js';
import type { PreferenceChoice } from './admin-schemas.js';
import { NOTIFICATION_KINDS, type NotificationKind } from './events.js';
import { CHANNELS, companyChannels, preferencesOf, wants } from './settings.js';

interface Deps {
  db: Db;
}

/** The grid of kinds × channels (the saved choices, or `chosen` when given), the company's channels, the phone. */
export async function preferencesForm(deps: Deps, actor: Actor, input: { chosen?: PreferenceChoice[] } = {}) {
  const [prefs, channels, user] = await Promise.all([
    preferencesOf(deps.db, actor.companyId, [actor.id]),
    companyChannels(deps.db, actor.companyId),
    phoneOf(deps.db, actor.companyId, actor.id),
  ]);
  const posted = new Map(input.chosen?.map((c) => [`${c.kind}.${c.channel}`, c.enabled]));
  const on = (kind: NotificationKind, channel: NotificationChannel) =>
    input.chosen ? posted.get(`${kind}.${channel}`) === true : wants(prefs, actor.id, kind, channel);
  return {
    grid: NOTIFICATION_KINDS.map((kind) => ({
      kind,
      channels: CHANNELS.map((channel) => ({ channel, on: on(kind, channel) })),
    })),
    companyChannels: channels,
    phone: user.phone,
    phoneVerified: Boolean(user.phone && user.phoneVerifiedAt),
  };
}

/** Saves the person's choices; SMS and WhatsApp go only to a phone the person proved is theirs. */
export async function savePreferences(deps: Deps, actor: Actor, input: { choices: PreferenceChoice[] }) {
  const user = await phoneOf(deps.db, actor.companyId, actor.id);
  if (!(user.phone && user.phoneVerifiedAt) && input.choices.some((c) => c.enabled && c.channel !== 'EMAIL'))
    throw new ValidationError({ _form: 'notifications.preferences.unverifiedPhone' });
  await replacePreferences(deps.db, actor.companyId, actor.id, input.choices);
}
