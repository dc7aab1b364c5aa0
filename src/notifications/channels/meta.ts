// Meta WhatsApp Cloud API: POST {base}/{phone-number-id}/messages with a bearer token.
// Business-initiated messages must be approved templates: a name, a language and the
// body's parameters in order.
import type { Delivered } from './errors.js';
import { PermanentDeliveryError } from './errors.js';
import { postToProvider, providerError } from './http.js';

export interface MetaCredentials {
  baseUrl: string;
  phoneNumberId: string;
  accessToken: string;
}

export interface TemplateMessage {
  /** E.164 number (the leading + is dropped, as the API expects digits). */
  to: string;
  template: string;
  language: string;
  parameters: string[];
}

/** Cloud API error codes worth retrying: throttling, pair rate limit, temporary failures. */
const TRANSIENT_CODES = new Set([1, 2, 4, 17, 80007, 130429, 131000, 131016, 131056, 133004]);

export async function sendMetaTemplate(
  creds: MetaCredentials,
  message: TemplateMessage,
  timeoutMs: number,
): Promise<Delivered> {
  const url = `${creds.baseUrl.replace(/\/$/, '')}/${encodeURIComponent(creds.phoneNumberId)}/messages`;
  const { status, body } = await postToProvider(url, {
    headers: { Authorization: `Bearer ${creds.accessToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: message.to.replace(/^\+/, ''),
      type: 'template',
      template: {
        name: message.template,
        language: { code: message.language },
        components: [{ type: 'body', parameters: message.parameters.map((text) => ({ type: 'text', text })) }],
      },
    }),
    timeoutMs,
  });
  const b = (body ?? {}) as { messages?: { id?: string }[]; error?: { code?: number; message?: string } };
  if (status >= 200 && status < 300) {
    const id = b.messages?.[0]?.id;
    if (!id) throw new PermanentDeliveryError(`HTTP ${status}: answer without a message id`);
    return { providerMessageId: id };
  }
  const code = b.error?.code;
  const transient = status === 429 || status >= 500 || (code !== undefined && TRANSIENT_CODES.has(code));
  throw providerError(status, `${code ?? ''} ${b.error?.message ?? JSON.stringify(body)}`.trim(), transient);
}
