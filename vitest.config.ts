import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    pool: 'forks',
    // Every test and hook ends well within half of these, even on a 2-core machine loaded 7-fold (the longest test
    // took 27 s there; the browser tests are split into steps of a few seconds each). A slow test should be split
    // or made faster, not given more time.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    // Browser tests and HTTP suites share 2 cores (and PostgreSQL): keep it bounded.
    maxWorkers: 2,
  },
});
