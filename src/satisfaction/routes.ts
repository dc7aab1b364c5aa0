// The public survey page of the "finished" email's link: it works without signing in, in the company's language
// unless the visitor chose one. Every bad link (malformed, tampered, another company's) is the same 404.
import { Router, type Request, type Response } from 'express';
import { ConflictError } from '../web/errors.js';
import { fieldErrors } from '../web/fields.js';
import { formatNumber } from '../web/view-helpers.js';
import { answerSurvey, loadSurvey, type SurveyDeps } from './service.js';
import { surveySchema } from './schemas.js';

type Survey = Awaited<ReturnType<typeof loadSurvey>>;

function render(req: Request, res: Response, survey: Survey, view: Record<string, unknown> = {}) {
  res.render('satisfaction/survey', {
    title: req.t('satisfaction.title'),
    token: String(req.params.token),
    number: formatNumber('SOL', survey.request.number),
    requestTitle: survey.request.title,
    company: survey.company.name,
    state: survey.state,
    values: {},
    errors: {},
    ...view,
  });
}

export function satisfactionRoutes(deps: SurveyDeps) {
  const router = Router();
  router.get('/encuesta/:token', async (req, res) => {
    const survey = await loadSurvey(deps, String(req.params.token));
    // The email's rating links preselect a grade; nothing is recorded before the visitor sends the form.
    const preset = /^[1-5]$/.test(String(req.query.nota ?? '')) ? String(req.query.nota) : undefined;
    if (survey.state === 'expired') res.status(410);
    render(req, res, survey, { values: { rating: preset } });
  });

  router.post('/encuesta/:token', async (req, res) => {
    const token = String(req.params.token);
    const parsed = surveySchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      const survey = await loadSurvey(deps, token);
      res.status(422);
      return render(req, res, survey, { values: req.body ?? {}, errors: fieldErrors(parsed.error, req.t) });
    }
    try {
      const survey = await answerSurvey(deps, token, parsed.data);
      render(req, res, { ...survey, state: 'answered' }, { thanks: true });
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      const survey = await loadSurvey(deps, token);
      res.status(409);
      render(req, res, survey);
    }
  });
  return router;
}
