import { PermanentDeliveryError, TransientDeliveryError } from './errors.js';

/** Throttling and server errors are retried; any other 4xx is the request's own fault. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 425 || status === 429 || status >= 500;
}

/** POSTs to a provider; network failures and timeouts become transient errors. */
export async function postToProvider(
  url: string,
  init: { headers: Record<string, string>; body: string; timeoutMs: number },
): Promise<{ status: number; body: unknown }> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: init.headers,
      body: init.body,
      signal: AbortSignal.timeout(init.timeoutMs),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    throw new TransientDeliveryError(`${cause ?? (err as Error).name}: ${(err as Error).message}`.slice(0, 500));
  }
  const text = await res.text().catch(() => '');
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  return { status: res.status, body };
}

export function providerError(status: number, detail: string, transient = isTransientStatus(status)): Error {
  const text = `HTTP ${status}: ${detail}`.slice(0, 500);
  return transient ? new TransientDeliveryError(text) : new PermanentDeliveryError(text);
}
