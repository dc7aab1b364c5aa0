// Where a webhook may be sent: never to a private, loopback, link-local or otherwise internal address (unless
// WEBHOOKS_ALLOW_PRIVATE), checked when the endpoint is registered and again at every delivery, where the connection
// goes to the very address that was checked (no second DNS answer can slip in between).
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

const internal = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  internal.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  internal.addSubnet(net, bits, 'ipv6');

/** Private, loopback, link-local, reserved or multicast (IPv4-mapped IPv6 addresses by their IPv4 part). */
export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return internal.check(mapped[1]!, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return internal.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export interface Target {
  url: URL;
  address: string;
  family: 4 | 6;
}

/** Thrown when a URL may not be called; `reason` is an i18n key. */
export class UnsafeUrl extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * The address to connect to for `raw`: an https URL (http too when private addresses are allowed, for tests and
 * development) whose host resolves only to public addresses.
 */
export async function resolveTarget(raw: string, allowPrivate: boolean): Promise<Target> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeUrl('webhooks.errors.url');
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:'))
    throw new UnsafeUrl('webhooks.errors.https');
  if (url.username || url.password) throw new UnsafeUrl('webhooks.errors.url');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: { address: string; family: number }[];
  try {
    addresses = isIP(host)
      ? [{ address: host, family: isIP(host) }]
      : await lookup(host, { all: true, verbatim: true });
  } catch {
    throw new UnsafeUrl('webhooks.errors.resolve');
  }
  if (addresses.length === 0) throw new UnsafeUrl('webhooks.errors.resolve');
  // Every address the name has must be public: the one connected to is one of them.
  if (!allowPrivate && addresses.some((a) => isInternalAddress(a.address)))
    throw new UnsafeUrl('webhooks.errors.private');
  const first = addresses[0]!;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
