// The one setup of the browser tests: per test file, a database of its own (with or without the demo data),
// the app on a loopback port, and one chromium shared by the file's tests.
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { chromium, type Browser, type Page } from 'playwright-core';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { DEMO_PASSWORD, seedDemoData } from '../../src/demo/seed.js';
import { buildApp } from './app.js';
import { createTestDatabase, renameDatabase, type TestDatabase } from './database.js';

/** Debian's chromium; CI installs it (.ci/run). */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
/** Browser suites run wherever Debian's chromium is installed, and always in CI (where its absence fails the run). */
export const runBrowserTests = hasChromium || Boolean(process.env.CI);

/** A locator that finds nothing fails within this, naming the locator, rather than at the test's timeout. */
const ACTION_TIMEOUT = 20_000;
const DESKTOP = { width: 1280, height: 900 };

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export async function listen(app: Express): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The name of a template database holding the demo data, seeded by the first browser suite that asks for it (the
 * others wait on an advisory lock) and dropped by the global teardown: each suite then clones it in milliseconds.
 */
async function demoTemplate(): Promise<string> {
  const name = `${inject('templateDb')}_demo`;
  const admin = new pg.Client({ connectionString: inject('adminUrl') });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      const db = await createTestDatabase();
      try {
        await seedDemoData(db.prisma);
      } catch (err) {
        await db.drop();
        throw err;
      }
      await db.close();
      // A template must have no connection while it is cloned: the seeded database, closed, is renamed into place
      // (retried while PostgreSQL is still ending the closed connections' backends).
      for (let attempt = 1; ; attempt++) {
        try {
          await renameDatabase(db.name, name);
          break;
        } catch (err) {
          if ((err as { code?: string }).code !== '55006' || attempt === 50) throw err;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    }
    return name;
  } finally {
    await admin.end();
  }
}

/** Fills the sign-in form on the current page and waits for the home page. */
export async function signIn(page: Page, baseUrl: string, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.getByLabel('Correo electrónico').fill(email);
  await page.getByLabel('Contraseña').fill(password);
  await page.getByRole('button', { name: 'Ingresar' }).click();
  await page.waitForURL(`${baseUrl}/`);
}

/** Collects the page's console errors and uncaught exceptions, to assert there are none. */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

export interface BrowserSuiteOptions {
  /** Seed the demo data (default true); `false` leaves the migrated database empty. */
  demo?: boolean;
  /** A fixed clock for the demo data and the app. */
  now?: Date;
  /** Environment settings for the app (e.g. PLATFORM_OPERATOR_EMAILS). */
  config?: Record<string, string>;
}

/**
 * Registers the file's beforeAll/afterAll: a database (seeded with the demo data unless `demo: false`), the app on a
 * loopback port and chromium, launched while the database is prepared.
 */
export function browserSuite({ demo = true, now, config = {} }: BrowserSuiteOptions = {}) {
  const state = {} as {
    db: TestDatabase & { drop(): Promise<void> };
    server: Awaited<ReturnType<typeof listen>>;
    browser: Browser;
  };
  beforeAll(async () => {
    const launching = launchBrowser();
    try {
      if (demo && now) {
        // Demo data dated from a fixed clock: seeded for this suite alone.
        state.db = await createTestDatabase();
        await seedDemoData(state.db.prisma, now);
      } else {
        state.db = await createTestDatabase(demo ? await demoTemplate() : undefined);
      }
      const app = buildApp(state.db, config, now ? () => now : undefined);
      // Templates compiled once, as in production: a page render then costs no EJS compilation.
      app.set('view cache', true);
      state.server = await listen(app);
    } finally {
      // Kept even when the database step failed, so afterAll closes it.
      state.browser = await launching;
    }
  });
  afterAll(async () => {
    await state.browser?.close();
    await state.server?.close();
    await state.db?.drop();
  });

  const suite = {
    get db() {
      return state.db;
    },
    get url() {
      return state.server.url;
    },
    get browser() {
      return state.browser;
    },
    /** A page in a fresh context (its own cookies), desktop-sized unless told otherwise. */
    async newPage(viewport = DESKTOP): Promise<Page> {
      const context = await state.browser.newContext({ viewport });
      context.setDefaultTimeout(ACTION_TIMEOUT);
      return context.newPage();
    },
    /** A page signed in through the sign-in form (with the demo password unless given). */
    async signedIn(email: string, { password = DEMO_PASSWORD, viewport = DESKTOP } = {}): Promise<Page> {
      const page = await suite.newPage(viewport);
      await page.goto(`${state.server.url}/login`);
      await signIn(page, state.server.url, email, password);
      return page;
    },
  };
  return suite;
}
