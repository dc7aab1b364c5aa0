// What a request's notification email carries besides its texts (issue 19): its Reply-To, a per-request, per-person
// address r+<token>@INBOUND_MAIL_DOMAIN that src/inbound-mail turns back into a comment, and for a guest a link to
// the portal's status page. Prisma where it reads well, raw SQL where measured faster.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/client.js';
import { rows } from '../db/sql.js';
import { Prisma } from '../generated/prisma/client.js';

/** The local part of every reply address, before `+<token>`. */
export const REPLY_LOCAL_PART = 'r';
/**
 * `<company id>-<96 random bits as 24 lowercase hex characters>`: mail servers may change a local part's case, never
 * its digits. The company id lets the token be found within its company (one shard on Citus, docs/citus.md).
 */
export const REPLY_TOKEN = /^([1-9][0-9]{0,9})-[0-9a-f]{24}$/;
/** How long a guest's status link in a progress email works (a status link asked on the portal works 24 h). */
export const GUEST_LINK_TTL_MS = 14 * 24 * 3600_000;

export const replyAddress = (domain: string, token: string) => `${REPLY_LOCAL_PART}+${token}@${domain}`;

/**
 * The reply token of a request for one person: made with the first email and reused by the next ones (one upsert on
 * the company's (request, person) key, so a stored token can be looked up, or revoked, by one indexed row).
 */
export async function replyTokenFor(db: Db, companyId: number, requestId: number, userId: number): Promise<string> {
  const fresh = `${companyId}-${randomBytes(12).toString('hex')}`;
  const [row] = await rows<{ token: string }>(
    db,
    Prisma.sql`
      INSERT INTO inbound_reply_tokens (company_id, request_id, user_id, token)
      VALUES (${companyId}::int, ${requestId}::int, ${userId}::int, ${fresh})
      ON CONFLICT (company_id, request_id, user_id) DO UPDATE SET token = inbound_reply_tokens.token
      RETURNING token`,
  );
  return row!.token;
}

/**
 * A status-page link of the portal for a guest's progress email: a new token whose SHA-256 is stored as the portal
 * stores those it mails (src/portal), working GUEST_LINK_TTL_MS.
 */
export async function guestStatusUrl(
  db: Db,
  appUrl: string,
  n: { companyId: number; requestId: number; slug: string },
  now: Date,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db.portalStatusLink.create({
    data: {
      companyId: n.companyId,
      requestId: n.requestId,
      tokenHash: createHash('sha256').update(token).digest('hex'),
      expiresAt: new Date(now.getTime() + GUEST_LINK_TTL_MS),
      createdAt: now,
    },
  });
  return `${appUrl}/p/${n.slug}/estado/${token}`;
}
