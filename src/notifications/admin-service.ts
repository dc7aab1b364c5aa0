// Use cases of "Notificaciones" for company admins: the log of deliveries, retrying a failed one, and the company's
// channels with its own provider credentials (sealed with ENCRYPTION_KEY).
import { auditActor, recordAudit } from '../audit/index.js';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { NotificationStatus } from '../generated/prisma/enums.js';
import type { Actor } from '../auth/index.js';
import { NotFoundError, ValidationError } from '../web/errors.js';
import { paginated } from '../web/pagination.js';
import {
  channelSettingsOf,
  countNotifications,
  notificationExists,
  notificationsPage,
  resetFailedNotification,
  upsertChannelSettings,
  type ChannelSettingsData,
} from './admin-queries.js';
import type { ChannelsInput } from './admin-schemas.js';
import { encryptSecret } from './crypto.js';
import { enqueueDeliveries } from './queue.js';
import { CHANNELS } from './settings.js';

interface Deps {
  db: Db;
}

export function listNotifications(deps: Deps, actor: Actor, input: { status?: NotificationStatus; page: number }) {
  return paginated(
    input.page,
    () => countNotifications(deps.db, actor.companyId, input.status),
    (window) => notificationsPage(deps.db, actor.companyId, input.status, window),
  );
}

/**
 * Sends a failed delivery again; false when it is not failed (already retried). Only a failed one goes back to the
 * queue: the conditional update makes a double click harmless.
 */
export async function retryNotification(deps: Deps, actor: Actor, input: { id: bigint }): Promise<boolean> {
  const { companyId } = actor;
  return deps.db.$transaction(async (tx) => {
    if (!(await notificationExists(tx, companyId, input.id))) throw new NotFoundError();
    const retried = await resetFailedNotification(tx, companyId, input.id);
    if (retried) await enqueueDeliveries(tx, companyId, [input.id]);
    return retried;
  });
}

/** The channel form as saved (secrets never leave: only whether one is saved), and what the platform provides. */
export async function channelSettingsForm(deps: Deps & { config: Config }, actor: Actor) {
  const { config } = deps;
  const s = await channelSettingsOf(deps.db, actor.companyId);
  return {
    values: {
      emailEnabled: s?.emailEnabled ?? true,
      smsEnabled: s?.smsEnabled ?? false,
      whatsappEnabled: s?.whatsappEnabled ?? false,
      whatsappProvider: s?.whatsappProvider ?? config.WHATSAPP_PROVIDER,
      twilioAccountSid: s?.twilioAccountSid ?? '',
      twilioSmsFrom: s?.twilioSmsFrom ?? '',
      twilioWhatsappFrom: s?.twilioWhatsappFrom ?? '',
      metaPhoneNumberId: s?.metaPhoneNumberId ?? '',
      clearSecrets: false,
    } as Record<string, string | boolean>,
    hasTwilioToken: Boolean(s?.twilioAuthTokenEnc),
    hasMetaToken: Boolean(s?.metaAccessTokenEnc),
    platformProviders: [
      config.TWILIO_ACCOUNT_SID && config.TWILIO_AUTH_TOKEN ? 'Twilio' : null,
      config.META_WHATSAPP_PHONE_NUMBER_ID && config.META_WHATSAPP_ACCESS_TOKEN ? 'Meta WhatsApp Cloud API' : null,
    ].filter(Boolean),
    canStoreSecrets: Boolean(config.ENCRYPTION_KEY),
  };
}

/**
 * Saves the company's channels and credentials. New secrets are stored encrypted (refused without ENCRYPTION_KEY);
 * a blank secret keeps the saved one and "clear" removes both. The audit log records only whether secrets changed.
 */
export async function saveChannelSettings(deps: Deps & { config: Config }, actor: Actor, input: ChannelsInput) {
  const key = deps.config.ENCRYPTION_KEY;
  const newSecrets = input.twilioAuthToken !== '' || input.metaAccessToken !== '';
  if (newSecrets && !key) throw new ValidationError({ twilioAuthToken: 'notifications.channelsAdmin.noEncryptionKey' });
  const seal = (v: string) => encryptSecret(key!, v);
  const data: ChannelSettingsData = {
    emailEnabled: input.emailEnabled,
    smsEnabled: input.smsEnabled,
    whatsappEnabled: input.whatsappEnabled,
    whatsappProvider: input.whatsappProvider,
    twilioAccountSid: input.twilioAccountSid || null,
    twilioSmsFrom: input.twilioSmsFrom,
    twilioWhatsappFrom: input.twilioWhatsappFrom,
    metaPhoneNumberId: input.metaPhoneNumberId || null,
    ...(input.clearSecrets ? { twilioAuthTokenEnc: null, metaAccessTokenEnc: null } : {}),
    ...(input.twilioAuthToken ? { twilioAuthTokenEnc: seal(input.twilioAuthToken) } : {}),
    ...(input.metaAccessToken ? { metaAccessTokenEnc: seal(input.metaAccessToken) } : {}),
  };
  const enabled = { EMAIL: input.emailEnabled, SMS: input.smsEnabled, WHATSAPP: input.whatsappEnabled };
  await deps.db.$transaction(async (tx) => {
    await upsertChannelSettings(tx, actor.companyId, data);
    await recordAudit(tx, actor.companyId, auditActor(actor), {
      action: 'notifications.channels.updated',
      entityType: 'company',
      entityId: actor.companyId,
      summary: CHANNELS.filter((c) => enabled[c]).join(', ') || '—',
      changes: { secretsChanged: [false, newSecrets || input.clearSecrets] },
    });
  });
}
