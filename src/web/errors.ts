// The one error family. Every error the app means to show carries a code; the one error middleware
// (error-handler.ts) maps the code to an HTTP status and renders the message key in the person's language.

export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  validation: 422,
  too_many_requests: 429,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Field name → i18n key (or already translated text) of the message shown next to that field. */
export type FieldMessages = Record<string, string>;

export class AppError extends Error {
  constructor(
    public readonly code: ErrorCode,
    /** i18n key of the message shown to the person. */
    public readonly messageKey: string,
    public readonly params: Record<string, unknown> = {},
    /** For `validation`: the fields at fault (field → i18n key). */
    public readonly fields: FieldMessages = {},
  ) {
    super(messageKey);
    this.name = new.target.name;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** Missing, or belonging to another company: both answer 404 so nothing leaks. */
export class NotFoundError extends AppError {
  constructor(messageKey = 'errors.notFound.body') {
    super('not_found', messageKey);
  }
}

export class ForbiddenError extends AppError {
  constructor(messageKey = 'errors.forbidden.body', params: Record<string, unknown> = {}) {
    super('forbidden', messageKey, params);
  }
}

/** Someone else acted first (e.g. the request was already decided). */
export class ConflictError extends AppError {
  constructor(messageKey: string, params: Record<string, unknown> = {}) {
    super('conflict', messageKey, params);
  }
}

/** Input that passed the form schema but not a rule of the domain (field → i18n key). */
export class ValidationError extends AppError {
  constructor(fields: FieldMessages, messageKey = 'validation.invalid', params: Record<string, unknown> = {}) {
    super('validation', messageKey, params, fields);
  }
}

/** Input the app can't read at all (malformed body, control characters…). */
export class BadRequestError extends AppError {
  constructor(messageKey = 'errors.badRequest.body', params: Record<string, unknown> = {}) {
    super('bad_request', messageKey, params);
  }
}

/** An API call without a valid token (missing, unknown, revoked or expired). */
export class UnauthorizedError extends AppError {
  constructor(messageKey = 'api.errors.unauthorized') {
    super('unauthorized', messageKey);
  }
}
