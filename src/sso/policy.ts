// Who may sign in with a password when the company requires its identity provider.

/** Break-glass administrators of the company itself keep their password (for when the provider is down). */
export const mayUsePassword = (
  sso: { companyId: number; required: boolean },
  person: { companyId: number; isCompanyAdmin: boolean; breakGlass: boolean } | null,
) => !sso.required || (!!person && person.companyId === sso.companyId && person.isCompanyAdmin && person.breakGlass);

export const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();
