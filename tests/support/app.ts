import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import type { TestDatabase } from './database.js';

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    SESSION_SECRET: 'test-secret-test-secret-test-secret-42',
    DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'solicitudes-test-data-')),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...overrides,
  });
}

export function buildApp(db: TestDatabase, overrides: Record<string, string> = {}, clock?: () => Date) {
  const config = testConfig(overrides);
  return createApp({ config, db, logger: createLogger(config), clock });
}
