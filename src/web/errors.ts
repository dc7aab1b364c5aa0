// Typed domain errors; the one error middleware (error-handler.ts) maps them to HTTP.

export class HttpError extends Error {
  constructor(
    public readonly status: number,
    /** i18n key of the message shown to the person. */
    public readonly messageKey: string,
    public readonly params: Record<string, unknown> = {},
  ) {
    super(messageKey);
    this.name = new.target.name;
  }
}

/** Missing, or belonging to another company: both answer 404 so nothing leaks. */
export class NotFoundError extends HttpError {
  constructor(messageKey = 'errors.notFound.body') {
    super(404, messageKey);
  }
}

export class ForbiddenError extends HttpError {
  constructor(messageKey = 'errors.forbidden.body', params: Record<string, unknown> = {}) {
    super(403, messageKey, params);
  }
}

/** Someone else acted first (e.g. the request was already decided). */
export class ConflictError extends HttpError {
  constructor(messageKey: string, params: Record<string, unknown> = {}) {
    super(409, messageKey, params);
  }
}

/** Input that passed the form schema but not a rule of the domain (field → i18n key). */
export class ValidationError extends HttpError {
  constructor(public readonly fields: Record<string, string>) {
    super(422, 'validation.invalid');
  }
}
