import { describe, expect, it } from 'vitest';
import { isUniqueViolation } from '../../src/db/errors.js';
import { Prisma } from '../../src/generated/prisma/client.js';

describe('isUniqueViolation', () => {
  const prismaError = (code: string) =>
    new Prisma.PrismaClientKnownRequestError('unique', { code, clientVersion: 'test' });

  it("recognises Prisma's P2002 and PostgreSQL's 23505, also wrapped in .cause", () => {
    expect(isUniqueViolation(prismaError('P2002'))).toBe(true);
    expect(isUniqueViolation({ code: '23505' })).toBe(true);
    expect(isUniqueViolation(new Error('wrapped', { cause: { code: '23505' } }))).toBe(true);
  });

  it('refuses anything else, and a cycle of causes ends', () => {
    expect(isUniqueViolation(prismaError('P2025'))).toBe(false);
    expect(isUniqueViolation({ code: '23503' })).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
    expect(isUniqueViolation('23505')).toBe(false);
    const looping: { cause?: unknown } = {};
    looping.cause = looping;
    expect(isUniqueViolation(looping)).toBe(false);
  });
});
