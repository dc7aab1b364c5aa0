// The survey's use cases through its signed link (no sign-in): read it, answer it once.
import type { Db } from '../db/client.js';
import { ConflictError, NotFoundError } from '../web/errors.js';
import { recordAnswer, surveyByHash, type SurveyRow } from './queries.js';
import type { SurveyInput } from './schemas.js';
import { parseSurveyToken } from './token.js';

export interface SurveyDeps {
  db: Db;
  clock: () => Date;
}

export type SurveyState = 'open' | 'answered' | 'expired';

/** The survey of a link and whether it may be answered; a malformed, tampered or unknown token is a 404. */
export async function loadSurvey(
  { db, clock }: SurveyDeps,
  token: string,
): Promise<SurveyRow & { state: SurveyState }> {
  const parsed = parseSurveyToken(token);
  const survey = parsed ? await surveyByHash(db, parsed.companyId, parsed.hash) : null;
  if (!survey) throw new NotFoundError();
  const state: SurveyState = survey.answeredAt
    ? 'answered'
    : survey.expiresAt <= clock() || survey.request.reopenCount !== survey.round
      ? 'expired'
      : 'open';
  return { ...survey, state };
}

/** Answers the survey of a link (once; a second answer or an expired link is a ConflictError with its state). */
export async function answerSurvey(deps: SurveyDeps, token: string, input: SurveyInput): Promise<SurveyRow> {
  const survey = await loadSurvey(deps, token);
  if (survey.state !== 'open') throw new ConflictError(`satisfaction.${survey.state}.body`, { state: survey.state });
  const done = await recordAnswer(deps.db, {
    companyId: survey.companyId,
    id: survey.id,
    round: survey.round,
    rating: input.rating,
    comment: input.comment,
    now: deps.clock(),
  });
  if (!done) throw new ConflictError('satisfaction.answered.body', { state: 'answered' });
  return survey;
}
