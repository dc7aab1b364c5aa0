import { describe, expect, it } from 'vitest';
import { parseSessionUser, sessionUser } from '../../src/auth/passport.js';
import { runsNotificationWorker } from '../../src/processes.js';

describe('app processes', () => {
  const base = { WORKER_IN_PROCESS: true, WEB_CONCURRENCY: 4, APP_PROCESS_INDEX: 1 };

  it('run the notification worker in every process unless WORKER_PROCESSES says how many', () => {
    expect([1, 2, 3, 4].map((i) => runsNotificationWorker({ ...base, APP_PROCESS_INDEX: i }))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    const two = [1, 2, 3, 4].map((i) => runsNotificationWorker({ ...base, WORKER_PROCESSES: 2, APP_PROCESS_INDEX: i }));
    expect(two).toEqual([true, true, false, false]);
    expect(runsNotificationWorker({ ...base, WORKER_IN_PROCESS: false })).toBe(false);
  });

  it('keep the company with the person in the session, and still read a bare user id', () => {
    expect(sessionUser({ companyId: 7, id: 42 })).toBe('7:42');
    expect(parseSessionUser('7:42')).toEqual({ companyId: 7, userId: 42 });
    expect(parseSessionUser(42)).toEqual({ companyId: undefined, userId: 42 });
    expect(parseSessionUser('x:1')).toBeNull();
  });
});
