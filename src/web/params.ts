import { NotFoundError } from './errors.js';

/** A positive int4 id from the URL; anything else is a 404, like a missing record. */
export function idParam(value: unknown): number {
  const id = Number(value);
  if (!Number.isSafeInteger(id) || id <= 0 || id > 2_147_483_647) throw new NotFoundError();
  return id;
}
