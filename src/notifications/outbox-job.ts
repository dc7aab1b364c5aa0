// The one builder of an outbox row (job_outbox): the task and its payload, the company and
// the rows whose notifications the job sends. Writes run it inside their own statement or
// transaction, so a job exists if and only if its change committed.
import { Prisma } from '../generated/prisma/client.js';
import { TASK_COMMENT, TASK_FANOUT, type CommentPayload } from './queue.js';

export type OutboxJob =
  /** The fan-out of lifecycle events; `eventIds` is SQL giving their ids as a jsonb array of text. */
  | { companyId: number; eventIds: Prisma.Sql }
  /** The notifications of a new comment or internal note (its id, or SQL giving it in the same statement). */
  | (Omit<CommentPayload, 'commentId'> & { commentId: number | Prisma.Sql });

/** `INSERT INTO job_outbox … RETURNING id` of one job, inserted only `when` the condition holds. */
export function outboxInsert(job: OutboxJob, when: Prisma.Sql = Prisma.sql`true`): Prisma.Sql {
  const [task, payload] =
    'eventIds' in job
      ? [TASK_FANOUT, Prisma.sql`jsonb_build_object('companyId', ${job.companyId}::int, 'eventIds', ${job.eventIds})`]
      : [
          TASK_COMMENT,
          Prisma.sql`jsonb_build_object('companyId', ${job.companyId}::int, 'commentId', ${job.commentId}::int)`,
        ];
  return Prisma.sql`INSERT INTO job_outbox (task, payload) SELECT ${task}::text, ${payload} WHERE ${when} RETURNING id`;
}
