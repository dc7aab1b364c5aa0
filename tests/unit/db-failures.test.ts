import { describe, expect, it } from 'vitest';
import { describeError, isConnectionError, isUniqueViolation } from '../../src/db/errors.js';
import { poolConfigFromUrl } from '../../src/db/schema-engine.js';

describe('isUniqueViolation', () => {
  it("recognises Prisma's P2002 and pg's 23505, also wrapped", () => {
    expect(isUniqueViolation({ code: 'P2002' })).toBe(true);
    expect(isUniqueViolation({ code: '23505' })).toBe(true);
    expect(isUniqueViolation(new Error('wrapped', { cause: { code: '23505' } }))).toBe(true);
    expect(isUniqueViolation({ meta: { driverAdapterError: { cause: { kind: 'postgres', code: '23505' } } } })).toBe(
      true,
    );
    expect(isUniqueViolation({ code: '23503' })).toBe(false);
    expect(isUniqueViolation(undefined)).toBe(false);
  });
});

describe('isConnectionError', () => {
  it('recognises a database that is away, however it is reported', () => {
    expect(isConnectionError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isConnectionError({ code: '57P01', message: 'terminating connection due to administrator command' })).toBe(
      true,
    );
    expect(isConnectionError({ code: '57P03', message: 'the database system is starting up' })).toBe(true);
    expect(isConnectionError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionError({ cause: { kind: 'DatabaseNotReachable' } })).toBe(true);
    expect(isConnectionError(new AggregateError([new Error('x'), { code: 'ECONNRESET' }]))).toBe(true);
  });

  it('leaves other errors alone', () => {
    expect(isConnectionError({ code: '23505' })).toBe(false);
    expect(isConnectionError(new Error('boom'))).toBe(false);
    expect(isConnectionError(null)).toBe(false);
  });
});

describe('describeError', () => {
  it('never says undefined', () => {
    expect(describeError(undefined)).not.toMatch(/^undefined$/);
    expect(describeError(new Error('lock file "postmaster.pid" already exists'))).toContain('postmaster.pid');
    expect(describeError({ a: 1 })).toBe('{"a":1}');
  });
});

describe('sslmode in DATABASE_URL', () => {
  const ssl = (mode: string) => poolConfigFromUrl(`postgresql://u:p@db.example:5432/x?sslmode=${mode}`).ssl;

  it('verifies the certificate for verify-full and verify-ca', () => {
    expect(ssl('verify-full')).toEqual({ rejectUnauthorized: true });
    expect(ssl('verify-ca')).toMatchObject({ rejectUnauthorized: true });
  });

  it('encrypts without verifying for require, and not at all by default', () => {
    expect(ssl('require')).toEqual({ rejectUnauthorized: false });
    expect(poolConfigFromUrl('postgresql://u:p@localhost/x').ssl).toBeUndefined();
  });
});
