// Who may act on a company's data.
import type { Actor } from '../auth/index.js';

/** Company admins export and delete their company and anonymize its people. */
export const managesCompanyData = (a: Actor) => a.isCompanyAdmin;
