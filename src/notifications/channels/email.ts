import type { Mailer, MailMessage } from '../../mail/index.js';
import { PermanentDeliveryError, TransientDeliveryError, type Delivered } from './errors.js';

/**
 * Sends over the app's mailer. SMTP 5xx answers (unknown mailbox, rejected address) are
 * permanent; connection errors, timeouts and 4xx answers are worth retrying.
 */
export async function sendEmail(mailer: Mailer, message: MailMessage): Promise<Delivered> {
  try {
    await mailer.send(message);
    return { providerMessageId: message.messageId ?? null };
  } catch (err) {
    const e = err as { responseCode?: number; code?: string; message?: string };
    const text = `${e.code ?? 'ERROR'}${e.responseCode ? ` ${e.responseCode}` : ''}: ${e.message ?? String(err)}`.slice(
      0,
      500,
    );
    if (typeof e.responseCode === 'number' && e.responseCode >= 500) throw new PermanentDeliveryError(text);
    if (e.code === 'EENVELOPE' && e.responseCode === undefined) throw new PermanentDeliveryError(text);
    throw new TransientDeliveryError(text);
  }
}
