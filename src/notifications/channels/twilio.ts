// Twilio Programmable Messaging: POST /2010-04-01/Accounts/{AccountSid}/Messages.json
// (form-encoded To, From, Body; HTTP basic auth with the account SID and auth token).
// WhatsApp goes through the same API with "whatsapp:+E164" addresses. Every attempt carries the notification's
// idempotency key in the I-Twilio-Idempotency-Token header, but Twilio does not document it as deduplicating message
// creation: nothing relies on it, and a send interrupted before its answer is recorded is not repeated
// (docs/notifications.md).
import type { Delivered } from './errors.js';
import { PermanentDeliveryError } from './errors.js';
import { postToProvider, providerError } from './http.js';

export interface TwilioCredentials {
  baseUrl: string;
  accountSid: string;
  authToken: string;
}

export async function sendTwilio(
  creds: TwilioCredentials,
  message: { to: string; from: string; body: string; idempotencyKey?: string },
  timeoutMs: number,
): Promise<Delivered> {
  const url = `${creds.baseUrl.replace(/\/$/, '')}/2010-04-01/Accounts/${encodeURIComponent(creds.accountSid)}/Messages.json`;
  const { status, body } = await postToProvider(url, {
    headers: {
      Authorization: `Basic ${Buffer.from(`${creds.accountSid}:${creds.authToken}`).toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json',
      ...(message.idempotencyKey ? { 'I-Twilio-Idempotency-Token': message.idempotencyKey } : {}),
    },
    body: new URLSearchParams({ To: message.to, From: message.from, Body: message.body }).toString(),
    timeoutMs,
  });
  const b = (body ?? {}) as { sid?: string; code?: number; message?: string };
  if (status >= 200 && status < 300) {
    if (!b.sid) throw new PermanentDeliveryError(`HTTP ${status}: answer without a message sid`);
    return { providerMessageId: b.sid };
  }
  throw providerError(status, `${b.code ?? ''} ${b.message ?? JSON.stringify(body)}`.trim());
}
