// "Notificaciones" for company admins (every delivery, retry of failed ones, the company's
// channels and provider credentials) and "Mis notificaciones" for everyone (preferences).
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { toE164 } from '../accounts/phone.js';
import { actorOf, requireRole } from '../auth/guards.js';
import { recordAudit } from '../audit/record.js';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { NotificationChannel } from '../generated/prisma/enums.js';
import { auditActor, pageOf, PAGE_SIZE } from '../org/admin/common.js';
import { isCompanyAdmin } from '../org/policy.js';
import { NotFoundError } from '../web/errors.js';
import { type FieldErrors } from '../web/forms.js';
import { fieldErrors } from '../web/fields.js';
import { flash } from '../web/flash.js';
import { encryptSecret } from './crypto.js';
import { NOTIFICATION_KINDS, type NotificationKind } from './events.js';
import { enqueueDeliveries } from './queue.js';
import { CHANNELS, companyChannels, preferencesOf, wants } from './settings.js';

const STATUSES = ['PENDING', 'SENT', 'FAILED'] as const;
const statusFilter = z.enum(STATUSES).optional().catch(undefined);

/** A notification id from the URL (bigint), else 404. */
function notificationId(value: unknown): bigint {
  if (typeof value !== 'string' || !/^\d{1,18}$/.test(value)) throw new NotFoundError();
  return BigInt(value);
}

export function notificationAdminRoutes(db: Db, config: Config) {
  const router = Router();
  router.use('/admin/notificaciones', requireRole(isCompanyAdmin));

  router.get('/admin/notificaciones', async (req, res) => {
    const { companyId } = actorOf(req);
    const status = statusFilter.parse(req.query.estado);
    const { page, skip, take } = pageOf(req);
    const where = { companyId, ...(status ? { status } : {}) };
    const [rows, total] = await Promise.all([
      db.notification.findMany({
        where,
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        skip,
        take,
        select: {
          id: true,
          channel: true,
          kind: true,
          role: true,
          address: true,
          status: true,
          attempts: true,
          lastError: true,
          nextAttemptAt: true,
          createdAt: true,
          sentAt: true,
          recipient: { select: { name: true } },
          request: { select: { id: true, number: true } },
        },
      }),
      db.notification.count({ where }),
    ]);
    res.render('notifications/admin', {
      title: req.t('notifications.admin.title'),
      rows,
      status: status ?? '',
      statuses: STATUSES,
      page,
      pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
      pagerBase: status ? `?estado=${status}&` : '?',
    });
  });

  router.post('/admin/notificaciones/:id/reintentar', async (req, res) => {
    const { companyId } = actorOf(req);
    const id = notificationId(req.params.id);
    const retried = await db.$transaction(async (tx) => {
      const n = await tx.notification.findFirst({ where: { companyId, id }, select: { status: true } });
      if (!n) throw new NotFoundError();
      // Only a failed delivery goes back to the queue; the conditional update makes a double click harmless.
      const { count } = await tx.notification.updateMany({
        where: { companyId, id, status: 'FAILED' },
        data: { status: 'PENDING', attempts: 0, nextAttemptAt: null },
      });
      if (count === 1) await enqueueDeliveries(tx, companyId, [id]);
      return count === 1;
    });
    flash(
      req,
      retried ? 'success' : 'warning',
      req.t(retried ? 'notifications.admin.retried' : 'notifications.admin.notFailed'),
    );
    res.redirect(303, '/admin/notificaciones');
  });

  router.use(channelSettingsRoutes(db, config));
  return router;
}

const phoneOrEmpty = z
  .string()
  .trim()
  .transform((v, ctx) => {
    if (v === '') return null;
    const e164 = toE164(v, null);
    if (!e164) ctx.addIssue({ code: 'custom', message: 'notifications.channelsAdmin.invalidPhone' });
    return e164;
  });

const channelsSchema = z.object({
  emailEnabled: z.boolean(),
  smsEnabled: z.boolean(),
  whatsappEnabled: z.boolean(),
  whatsappProvider: z.enum(['twilio', 'meta'], 'forms.invalidChoice'),
  twilioAccountSid: z
    .string()
    .trim()
    .refine((v) => v === '' || /^AC[0-9a-fA-F]{32}$/.test(v), 'notifications.channelsAdmin.invalidSid'),
  twilioAuthToken: z.string().trim().max(200, 'forms.tooLong'),
  twilioSmsFrom: phoneOrEmpty,
  twilioWhatsappFrom: phoneOrEmpty,
  metaPhoneNumberId: z
    .string()
    .trim()
    .max(40, 'forms.tooLong')
    .refine((v) => v === '' || /^\d+$/.test(v), 'forms.number'),
  metaAccessToken: z.string().trim().max(1000, 'forms.tooLong'),
  clearSecrets: z.boolean(),
});

const TEXT_FIELDS = [
  'whatsappProvider',
  'twilioAccountSid',
  'twilioAuthToken',
  'twilioSmsFrom',
  'twilioWhatsappFrom',
  'metaPhoneNumberId',
  'metaAccessToken',
] as const;
const BOX_FIELDS = ['emailEnabled', 'smsEnabled', 'whatsappEnabled', 'clearSecrets'] as const;

function channelSettingsRoutes(db: Db, config: Config) {
  const router = Router();
  const platformProviders = [
    config.TWILIO_ACCOUNT_SID && config.TWILIO_AUTH_TOKEN ? 'Twilio' : null,
    config.META_WHATSAPP_PHONE_NUMBER_ID && config.META_WHATSAPP_ACCESS_TOKEN ? 'Meta WhatsApp Cloud API' : null,
  ].filter(Boolean);

  const render = async (
    req: Request,
    res: Response,
    values: Record<string, string | boolean>,
    errors: FieldErrors,
    status = 200,
  ) => {
    const saved = await db.companyNotificationSettings.findUnique({
      where: { companyId: actorOf(req).companyId },
      select: { twilioAuthTokenEnc: true, metaAccessTokenEnc: true },
    });
    res.status(status).render('notifications/channels', {
      title: req.t('notifications.channelsAdmin.title'),
      values,
      errors,
      hasTwilioToken: Boolean(saved?.twilioAuthTokenEnc),
      hasMetaToken: Boolean(saved?.metaAccessTokenEnc),
      platformProviders,
      canStoreSecrets: Boolean(config.ENCRYPTION_KEY),
    });
  };

  router.get('/admin/notificaciones/canales', async (req, res) => {
    const s = await db.companyNotificationSettings.findUnique({ where: { companyId: actorOf(req).companyId } });
    await render(
      req,
      res,
      {
        emailEnabled: s?.emailEnabled ?? true,
        smsEnabled: s?.smsEnabled ?? false,
        whatsappEnabled: s?.whatsappEnabled ?? false,
        whatsappProvider: s?.whatsappProvider ?? config.WHATSAPP_PROVIDER,
        twilioAccountSid: s?.twilioAccountSid ?? '',
        twilioSmsFrom: s?.twilioSmsFrom ?? '',
        twilioWhatsappFrom: s?.twilioWhatsappFrom ?? '',
        metaPhoneNumberId: s?.metaPhoneNumberId ?? '',
        clearSecrets: false,
      },
      {},
    );
  });

  router.post('/admin/notificaciones/canales', async (req, res) => {
    const { companyId } = actorOf(req);
    const body = req.body as Record<string, unknown>;
    const values: Record<string, string | boolean> = {};
    for (const f of TEXT_FIELDS) values[f] = typeof body[f] === 'string' ? (body[f] as string) : '';
    for (const f of BOX_FIELDS) values[f] = body[f] === 'on';
    const parsed = channelsSchema.safeParse(values);
    const errors: FieldErrors = parsed.success ? {} : fieldErrors(parsed.error, req.t);
    const newSecrets = values.twilioAuthToken !== '' || values.metaAccessToken !== '';
    if (newSecrets && !config.ENCRYPTION_KEY)
      errors.twilioAuthToken = req.t('notifications.channelsAdmin.noEncryptionKey');
    if (!parsed.success || Object.keys(errors).length) {
      values.twilioAuthToken = '';
      values.metaAccessToken = '';
      return render(req, res, values, errors, 422);
    }
    const d = parsed.data;
    const seal = (v: string) => encryptSecret(config.ENCRYPTION_KEY!, v);
    const data = {
      emailEnabled: d.emailEnabled,
      smsEnabled: d.smsEnabled,
      whatsappEnabled: d.whatsappEnabled,
      whatsappProvider: d.whatsappProvider,
      twilioAccountSid: d.twilioAccountSid || null,
      twilioSmsFrom: d.twilioSmsFrom,
      twilioWhatsappFrom: d.twilioWhatsappFrom,
      metaPhoneNumberId: d.metaPhoneNumberId || null,
      // A blank secret keeps the saved one; "clear" removes both.
      ...(d.clearSecrets ? { twilioAuthTokenEnc: null, metaAccessTokenEnc: null } : {}),
      ...(d.twilioAuthToken ? { twilioAuthTokenEnc: seal(d.twilioAuthToken) } : {}),
      ...(d.metaAccessToken ? { metaAccessTokenEnc: seal(d.metaAccessToken) } : {}),
    };
    await db.$transaction(async (tx) => {
      await tx.companyNotificationSettings.upsert({
        where: { companyId },
        create: { companyId, ...data },
        update: data,
      });
      const summary =
        CHANNELS.filter((c) => ({ EMAIL: d.emailEnabled, SMS: d.smsEnabled, WHATSAPP: d.whatsappEnabled })[c]).join(
          ', ',
        ) || '—';
      // Secrets never reach the audit log: only whether they changed.
      await recordAudit(tx, companyId, auditActor(req), {
        action: 'notifications.channels.updated',
        entityType: 'company',
        entityId: companyId,
        summary,
        changes: { secretsChanged: [false, newSecrets || d.clearSecrets] },
      });
    });
    flash(req, 'success', req.t('notifications.channelsAdmin.saved'));
    res.redirect(303, '/admin/notificaciones/canales');
  });
  return router;
}

/** "Mis notificaciones": which kinds of event reach the person over which channels. */
export function notificationPreferenceRoutes(db: Db) {
  const router = Router();
  const phoneOf = (companyId: number, id: number) =>
    db.user.findFirstOrThrow({ where: { companyId, id }, select: { phone: true, phoneVerifiedAt: true } });

  /** The grid of kinds × channels: the saved choices, or the ones just refused (422). */
  const render = async (
    req: Request,
    res: Response,
    chosen: ((kind: NotificationKind, channel: NotificationChannel) => boolean) | null,
    error: string | null,
  ) => {
    const actor = actorOf(req);
    const [prefs, channels, user] = await Promise.all([
      preferencesOf(db, actor.companyId, [actor.id]),
      companyChannels(db, actor.companyId),
      phoneOf(actor.companyId, actor.id),
    ]);
    const on =
      chosen ?? ((kind: NotificationKind, channel: NotificationChannel) => wants(prefs, actor.id, kind, channel));
    const grid = NOTIFICATION_KINDS.map((kind) => ({
      kind,
      channels: CHANNELS.map((channel) => ({ channel, on: on(kind, channel) })),
    }));
    res.status(error ? 422 : 200).render('notifications/preferences', {
      title: req.t('notifications.preferences.title'),
      grid,
      companyChannels: channels,
      phone: user.phone,
      phoneVerified: Boolean(user.phone && user.phoneVerifiedAt),
      error,
    });
  };

  router.get('/cuenta/notificaciones', (req, res) => render(req, res, null, null));

  router.post('/cuenta/notificaciones', async (req, res) => {
    const actor = actorOf(req);
    const body = req.body as Record<string, unknown>;
    const chosen = (kind: NotificationKind, channel: NotificationChannel) => body[`${kind}.${channel}`] === 'on';
    const rows = NOTIFICATION_KINDS.flatMap((kind) =>
      CHANNELS.map((channel: NotificationChannel) => ({
        companyId: actor.companyId,
        userId: actor.id,
        kind,
        channel,
        enabled: chosen(kind, channel),
      })),
    );
    // SMS and WhatsApp go only to a phone the person proved is theirs.
    const user = await phoneOf(actor.companyId, actor.id);
    if (!(user.phone && user.phoneVerifiedAt) && rows.some((r) => r.enabled && r.channel !== 'EMAIL')) {
      return render(req, res, chosen, req.t('notifications.preferences.unverifiedPhone'));
    }
    await db.$transaction([
      db.notificationPreference.deleteMany({ where: { companyId: actor.companyId, userId: actor.id } }),
      db.notificationPreference.createMany({ data: rows }),
    ]);
    flash(req, 'success', req.t('notifications.preferences.saved'));
    res.redirect(303, '/cuenta/notificaciones');
  });
  return router;
}
