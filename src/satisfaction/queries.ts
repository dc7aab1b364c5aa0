// Statements of the satisfaction survey (Prisma where it reads well, raw SQL where measured faster: here Prisma).
import type { Db } from '../db/client.js';

export interface SurveyRow {
  id: number;
  companyId: number;
  round: number;
  expiresAt: Date;
  answeredAt: Date | null;
  rating: number | null;
  request: { id: number; number: number; title: string; reopenCount: number; status: string };
  company: { name: string; locale: string };
}

/** The survey a link's hash names, inside the company the link claims (null: none, the same 404 for every case). */
export function surveyByHash(db: Db, companyId: number, tokenHash: string): Promise<SurveyRow | null> {
  return db.satisfactionSurvey.findFirst({
    where: { companyId, tokenHash },
    select: {
      id: true,
      companyId: true,
      round: true,
      expiresAt: true,
      answeredAt: true,
      rating: true,
      request: { select: { id: true, number: true, title: true, reopenCount: true, status: true } },
      company: { select: { name: true, locale: true } },
    },
  });
}

/**
 * Records the answer once: a conditional update (not answered yet, not expired, the request not reopened since), so
 * of two posts of the same link exactly one counts. Returns whether this one did.
 */
export async function recordAnswer(
  db: Db,
  s: { companyId: number; id: number; round: number; rating: number; comment: string | null; now: Date },
): Promise<boolean> {
  const { count } = await db.satisfactionSurvey.updateMany({
    where: {
      companyId: s.companyId,
      id: s.id,
      answeredAt: null,
      expiresAt: { gt: s.now },
      request: { reopenCount: s.round },
    },
    data: { rating: s.rating, comment: s.comment, answeredAt: s.now },
  });
  return count === 1;
}

/** The survey of a request's current round, for its detail page (null: none yet). */
export function currentSurvey(db: Db, companyId: number, requestId: number, round: number) {
  return db.satisfactionSurvey.findFirst({
    where: { companyId, requestId, round },
    select: { rating: true, comment: true, answeredAt: true, expiresAt: true },
  });
}
