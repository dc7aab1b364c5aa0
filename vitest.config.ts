import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    pool: 'forks',
    // Every test and hook should end well within half of these, even on a loaded 2-core machine (the browser
    // tests are split into steps of a few seconds each; a slow one should be split, not given more time).
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Browser tests and HTTP suites share 2 cores (and PostgreSQL): keep it bounded.
    maxWorkers: 2,
  },
});
