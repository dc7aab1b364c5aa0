// The signed one-click link of a satisfaction survey: `<company>.<request>.<round>.<signature>`, the signature an
// HMAC-SHA256 of the rest under a key derived from SESSION_SECRET. The survey row stores only the token's SHA-256
// (like account tokens, src/accounts/tokens.ts), and the link is looked up by company and that hash: a tampered or
// another company's token finds nothing. Nothing is kept in clear: the fan-out and the mail signs it again.
import { createHash, createHmac } from 'node:crypto';

export interface SurveyRef {
  companyId: number;
  requestId: number;
  /** The request's reopen count when it was finished (one survey per finish). */
  round: number;
}

/** The signing key, derived from the session secret (one purpose, one key). */
export const surveyKey = (sessionSecret: string) =>
  createHmac('sha256', sessionSecret).update('satisfaction-survey-v1').digest('base64url');

export function surveyToken(key: string, ref: SurveyRef): string {
  const body = `${ref.companyId}.${ref.requestId}.${ref.round}`;
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
}

export const surveyTokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/** The company a token claims and its hash; null when it is not even shaped like one. */
export function parseSurveyToken(token: string): { companyId: number; hash: string } | null {
  const m = /^([1-9]\d{0,9})\.[1-9]\d{0,9}\.\d{1,4}\.[A-Za-z0-9_-]{43}$/.exec(token);
  if (!m) return null;
  const companyId = Number(m[1]);
  return companyId > 2_147_483_647 ? null : { companyId, hash: surveyTokenHash(token) };
}

/** The public page of a survey. */
export const surveyPath = (token: string) => `/encuesta/${token}`;
