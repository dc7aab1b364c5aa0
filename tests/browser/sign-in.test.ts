import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, seedDemoData } from '../../src/db/seed-demo.js';
import { buildApp } from '../support/app.js';
import { hasChromium, launchBrowser, listen } from '../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

// Runs wherever Debian's chromium is installed, and always in CI (where its absence fails the run).
describe.runIf(hasChromium || process.env.CI)('browser: sign-in with a demo account', () => {
  let db: TestDatabase & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof listen>>;
  let browser: Browser;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemoData(db.prisma);
    server = await listen(buildApp(db));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.drop();
  });

  it('signs in and sees the Spanish home page with the roles of the account', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(server.url);
    // Anonymous visitors see the landing page, which leads to the sign-in page.
    await page.getByRole('link', { name: 'Iniciar sesión' }).first().click();
    await expect.poll(() => page.url()).toContain('/login');
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    await page.getByLabel('Correo electrónico').fill('jefe.servicios@andina.demo');
    await page.getByLabel('Contraseña').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Ingresar' }).click();
    await page.waitForURL(`${server.url}/`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Hola, Jorge Martínez');
    expect(await page.getByTestId('roles').textContent()).toContain('Jefe de servicios');
    expect(await page.locator('main').getByText('Manufacturas Andinas S.A.S.').isVisible()).toBe(true);
    // Bootstrap's JavaScript loaded under the strict CSP: the account menu opens.
    await page
      .getByRole('button', { name: /Jorge Martínez/ })
      .or(page.getByRole('link', { name: /Jorge Martínez/ }))
      .click();
    await page.getByRole('button', { name: 'Cerrar sesión' }).waitFor({ state: 'visible', timeout: 5000 });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a phone-sized layout with the menu behind a toggler', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Correo electrónico').fill('empleado@sanrafael.demo');
    await page.getByLabel('Contraseña').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Ingresar' }).click();
    await page.waitForURL(`${server.url}/`);
    const toggler = page.getByRole('button', { name: 'Menú' });
    expect(await toggler.isVisible()).toBe(true);
    await toggler.click();
    await page.getByRole('link', { name: /Inicio/ }).waitFor({ state: 'visible', timeout: 5000 });
    await context.close();
  });
});
