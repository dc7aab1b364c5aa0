// One POST of a webhook message to the address resolveTarget checked (the URL's host still names the TLS server and
// the Host header), signed by the Standard Webhooks reference library.
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { Webhook } from 'standardwebhooks';
import type { Target } from './ssrf.js';

export interface SendResult {
  /** The HTTP status, or null when no answer came (refused, timed out…). */
  status: number | null;
  durationMs: number;
  /** The start of the answer's body, or the error. */
  excerpt: string;
}

const EXCERPT = 500;

export function signedHeaders(secret: string, msgId: string, at: Date, body: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': 'Solicitudes-Webhooks/1',
    'webhook-id': msgId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(msgId, at, body),
  };
}

export function send(
  target: Target,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<SendResult> {
  const started = Date.now();
  const pinned: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const client = target.url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const done = (status: number | null, excerpt: string) =>
      resolve({ status, durationMs: Date.now() - started, excerpt: excerpt.slice(0, EXCERPT) });
    const req = client.request(
      target.url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: pinned,
        timeout: timeoutMs,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (text.length < EXCERPT) text += chunk;
        });
        res.on('end', () => done(res.statusCode ?? null, text));
        res.on('error', (err) => done(res.statusCode ?? null, String(err)));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (err) => done(null, err.message));
    req.end(body);
  });
}
