// Statements of replies by email (Prisma where it reads well, raw SQL where measured faster). A reply token names its
// company (`<company id>-<random>`): it is looked up within that company, and everything after is scoped by it.
import type { Db } from '../db/client.js';
import { rows } from '../db/sql.js';
import { Prisma } from '../generated/prisma/client.js';

/** What a reply address stands for: a request and the person it was mailed to (a guest: the request's guest). */
export interface ReplyTarget {
  companyId: number;
  requestId: number;
  userId: number;
  /** The request's guest (its requester is the company's stand-in): they reply as on the portal's status page. */
  isGuest: boolean;
  /** The address replies must come from: the person's, or the guest's as given on the portal. */
  email: string | null;
}

export async function replyTarget(db: Db, companyId: number, token: string): Promise<ReplyTarget | null> {
  const [row] = await rows<ReplyTarget>(
    db,
    Prisma.sql`
      SELECT t.company_id::int AS "companyId", t.request_id::int AS "requestId", t.user_id::int AS "userId",
             u.is_portal_guest AS "isGuest", CASE WHEN u.is_portal_guest THEN r.guest_email ELSE u.email END AS email
        FROM inbound_reply_tokens t
        JOIN users u ON u.company_id = t.company_id AND u.id = t.user_id
        JOIN requests r ON r.company_id = t.company_id AND r.id = t.request_id
       WHERE t.company_id = ${companyId}::int AND t.token = ${token}`,
  );
  return row ?? null;
}

/** Claims a message (by its id and the address it came to) for the company; false when it was taken already. */
export async function claimMessage(db: Db, companyId: number, messageId: string, recipient: string): Promise<boolean> {
  const { count } = await db.inboundMessage.createMany({
    data: [{ companyId, messageId, recipient }],
    skipDuplicates: true,
  });
  return count === 1;
}

/** Gives a claim back (the message was refused): the same message, sent again, is considered anew. */
export async function releaseMessage(db: Db, companyId: number, messageId: string, recipient: string): Promise<void> {
  await db.inboundMessage.deleteMany({ where: { companyId, messageId, recipient } });
}

/** Forgets the Message-IDs taken before `before`, in every company (the nightly clean-up). */
export async function forgetMessagesBefore(db: Db, before: Date): Promise<number> {
  const { count } = await db.inboundMessage.deleteMany({ where: { receivedAt: { lt: before } } });
  return count;
}
