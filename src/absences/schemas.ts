import { z } from 'zod';
import { dateField, idField } from '../web/fields.js';

export const ABSENCE_FIELDS = ['userId', 'substituteId', 'startsOn', 'endsOn'] as const;

/** An absence: from–to (inclusive, local dates of the company) and who stands in. */
export const absenceSchema = z.object({
  substituteId: idField,
  startsOn: dateField,
  endsOn: dateField,
});

/** An administrator records an absence for any head. */
export const adminAbsenceSchema = absenceSchema.extend({ userId: idField });

export type AbsenceInput = z.output<typeof absenceSchema> & { userId: number };
