// The platform-wide register of sign-in addresses (table login_emails, docs/citus.md). People are stored sharded by
// company; an address is unique across companies through this table, which is sharded by the address itself, so a
// lookup by address reads one row of one shard and then the person's own shard.
import type { Db } from './client.js';
import type { Prisma } from '../generated/prisma/client.js';

/** Claims `email` for a person, in the transaction that creates them; a taken address is a unique violation. */
export async function registerLoginEmail(
  tx: Pick<Prisma.TransactionClient, 'loginEmail'>,
  person: { email: string; companyId: number; id: number },
): Promise<void> {
  await tx.loginEmail.create({ data: { email: person.email, companyId: person.companyId, userId: person.id } });
}

/** The company and person an address belongs to, or null. */
export function ownerOfEmail(db: Pick<Db, 'loginEmail'>, email: string) {
  return db.loginEmail.findUnique({ where: { email }, select: { companyId: true, userId: true } });
}

/** The owners of several addresses (one statement; on Citus one task per shard holding any of them). */
export function ownersOfEmails(db: Pick<Db, 'loginEmail'>, emails: string[]) {
  return db.loginEmail.findMany({ where: { email: { in: emails } }, select: { email: true, companyId: true } });
}
