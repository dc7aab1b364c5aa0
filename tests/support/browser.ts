import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { DEMO_PASSWORD, seedDemoData } from '../../src/db/seed-demo.js';
import { buildApp } from './app.js';
import { createTestDatabase, type TestDatabase } from './database.js';

/** Debian's chromium; CI installs it (.ci/run). */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

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
 * A browser suite on the demo data: a database of its own, the app on a loopback port,
 * chromium, and `signedIn(email)` giving a page signed in with the demo password.
 */
export function demoBrowserSuite() {
  const suite = {} as {
    db: TestDatabase & { drop(): Promise<void> };
    server: Awaited<ReturnType<typeof listen>>;
    browser: Browser;
  };
  beforeAll(async () => {
    suite.db = await createTestDatabase();
    await seedDemoData(suite.db.prisma);
    suite.server = await listen(buildApp(suite.db));
    suite.browser = await launchBrowser();
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.server?.close();
    await suite.db?.drop();
  });
  return {
    get db() {
      return suite.db;
    },
    get url() {
      return suite.server.url;
    },
    async signedIn(email: string): Promise<Page> {
      const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${suite.server.url}/login`);
      await page.getByLabel('Correo electrónico').fill(email);
      await page.getByLabel('Contraseña').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Ingresar' }).click();
      await page.waitForURL(`${suite.server.url}/`);
      return page;
    },
  };
}
