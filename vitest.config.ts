import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    pool: 'forks',
    // Browser tests on a loaded 2-core machine (three chromium suites in parallel) need the room.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    // Browser tests and HTTP suites share 2 cores (and PostgreSQL): keep it bounded.
    maxWorkers: 2,
  },
});
