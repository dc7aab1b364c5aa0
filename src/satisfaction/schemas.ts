import { z } from 'zod';
import { optionalTextField } from '../web/fields.js';

/** A rating from 1 to 5. */
export const ratingField = z.coerce
  .number({ error: 'satisfaction.errors.rating' })
  .int({ error: 'satisfaction.errors.rating' })
  .min(1, { error: 'satisfaction.errors.rating' })
  .max(5, { error: 'satisfaction.errors.rating' });

/** The survey's form: the rating and an optional comment. */
export const surveySchema = z.object({
  rating: ratingField,
  comment: optionalTextField(1000, { multiline: true }),
});
export type SurveyInput = z.infer<typeof surveySchema>;
