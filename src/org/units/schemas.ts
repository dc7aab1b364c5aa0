import { z } from 'zod';
import { nameField, optionalIdField } from '../../web/fields.js';

export const UNIT_FIELDS = ['name', 'kind', 'parentId', 'headId'] as const;

export const unitSchema = z.object({
  name: nameField,
  kind: z.enum(['REGULAR', 'SERVICE_AREA'], 'forms.invalidChoice'),
  parentId: optionalIdField,
  headId: optionalIdField,
});

export type UnitInput = z.output<typeof unitSchema>;
