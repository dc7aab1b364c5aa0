import { z } from 'zod';
import { emailField, idField, nameField, optionalIdField } from '../../web/fields.js';

export const PERSON_FIELDS = ['name', 'email', 'unitId', 'phone', 'isCompanyAdmin', 'isWorker'] as const;

const checkbox = z.string().transform((v) => v === 'on');

const personFields = {
  name: nameField,
  unitId: optionalIdField,
  /** Read in the company's country by the use case (phoneField of accounts). */
  phone: z.string(),
  isCompanyAdmin: checkbox,
  isWorker: checkbox,
  /** The units this person heads (a multiple select). */
  headOf: z.array(idField),
};

export const invitePersonSchema = z.object({ ...personFields, email: emailField });
export const updatePersonSchema = z.object(personFields);

export type InvitePersonInput = z.output<typeof invitePersonSchema>;
export type UpdatePersonInput = z.output<typeof updatePersonSchema>;

/** The list's filters: free text on name or email (kept as typed: emails hold '@' and '.'), and the status. */
export const peopleFilterSchema = z.object({
  q: z
    .unknown()
    .transform((v) =>
      typeof v === 'string'
        ? v
            .replace(/\p{Cc}/gu, '')
            .trim()
            .slice(0, 100)
        : '',
    )
    .catch(''),
  status: z
    .unknown()
    .transform((v) => (v === 'inactivas' ? ('inactive' as const) : ('active' as const)))
    .catch('active' as const),
});
