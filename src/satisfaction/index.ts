// The satisfaction feature's public entry: the signed survey link and its public page.
export { currentSurvey } from './queries.js';
export { ratingField } from './schemas.js';
export { satisfactionRoutes } from './routes.js';
export { parseSurveyToken, surveyKey, surveyPath, surveyToken, surveyTokenHash, type SurveyRef } from './token.js';
