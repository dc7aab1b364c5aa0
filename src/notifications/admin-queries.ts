// Statements of the notification pages (Prisma where it reads well, raw SQL where measured faster: here Prisma).
import type { Db } from '../db/client.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { NotificationStatus } from '../generated/prisma/enums.js';
import type { PreferenceChoice } from './admin-schemas.js';

type Tx = Prisma.TransactionClient;

const logSelect = {
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
} as const satisfies Prisma.NotificationSelect;

export type NotificationLogRow = Prisma.NotificationGetPayload<{ select: typeof logSelect }>;

const logWhere = (companyId: number, status: NotificationStatus | undefined) => ({
  companyId,
  ...(status ? { status } : {}),
});

export function countNotifications(db: Db, companyId: number, status?: NotificationStatus): Promise<number> {
  return db.notification.count({ where: logWhere(companyId, status) });
}

/** One page of the company's deliveries, newest first. */
export function notificationsPage(
  db: Db,
  companyId: number,
  status: NotificationStatus | undefined,
  window: { skip: number; take: number },
): Promise<NotificationLogRow[]> {
  return db.notification.findMany({
    where: logWhere(companyId, status),
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    ...window,
    select: logSelect,
  });
}

export async function notificationExists(tx: Tx, companyId: number, id: bigint): Promise<boolean> {
  return (await tx.notification.findFirst({ where: { companyId, id }, select: { id: true } })) !== null;
}

/** Puts a failed delivery back in the queue's state; false when it was not failed (a double click). */
export async function resetFailedNotification(tx: Tx, companyId: number, id: bigint): Promise<boolean> {
  const { count } = await tx.notification.updateMany({
    where: { companyId, id, status: 'FAILED' },
    data: { status: 'PENDING', attempts: 0, nextAttemptAt: null },
  });
  return count === 1;
}

export function channelSettingsOf(db: Db, companyId: number) {
  return db.companyNotificationSettings.findUnique({ where: { companyId } });
}

export interface ChannelSettingsData {
  emailEnabled: boolean;
  smsEnabled: boolean;
  whatsappEnabled: boolean;
  whatsappProvider: string;
  twilioAccountSid: string | null;
  twilioSmsFrom: string | null;
  twilioWhatsappFrom: string | null;
  metaPhoneNumberId: string | null;
  /** Sealed secrets: absent keeps the saved one, null removes it. */
  twilioAuthTokenEnc?: string | null;
  metaAccessTokenEnc?: string | null;
}

export async function upsertChannelSettings(tx: Tx, companyId: number, data: ChannelSettingsData): Promise<void> {
  await tx.companyNotificationSettings.upsert({
    where: { companyId },
    create: { companyId, ...data },
    update: data,
    select: { companyId: true },
  });
}

export function phoneOf(db: Db, companyId: number, userId: number) {
  return db.user.findFirstOrThrow({ where: { companyId, id: userId }, select: { phone: true, phoneVerifiedAt: true } });
}

/** Replaces every stored preference of the person with these choices. */
export async function replacePreferences(
  db: Db,
  companyId: number,
  userId: number,
  choices: PreferenceChoice[],
): Promise<void> {
  await db.$transaction([
    db.notificationPreference.deleteMany({ where: { companyId, userId } }),
    db.notificationPreference.createMany({ data: choices.map((c) => ({ companyId, userId, ...c })) }),
  ]);
}
