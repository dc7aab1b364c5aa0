import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, seedDemoData } from '../../src/db/seed-demo.js';
import { buildApp } from '../support/app.js';
import { hasChromium, launchBrowser, listen } from '../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const NOW = new Date('2026-03-10T15:00:00Z');

describe.runIf(hasChromium || process.env.CI)('browser: indicators dashboard', () => {
  let db: TestDatabase & { drop(): Promise<void> };
  let server: Awaited<ReturnType<typeof listen>>;
  let browser: Browser;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemoData(db.prisma, NOW);
    server = await listen(buildApp(db, {}, () => NOW));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.drop();
  });

  it('shows the demo admin the charts (rendered under the strict CSP) with their tables', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Correo electrónico').fill('admin@andina.demo');
    await page.getByLabel('Contraseña').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Ingresar' }).click();
    await page.waitForURL(`${server.url}/`);
    await page.getByRole('link', { name: /Indicadores/ }).click();
    await page.waitForURL(`${server.url}/indicadores`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Indicadores del servicio');
    // Chart.js attaches an instance to each canvas and paints it.
    await expect
      .poll(() =>
        page.evaluate(() =>
          Boolean((window as unknown as { Chart?: { getChart(id: string): unknown } }).Chart?.getChart('chart-daily')),
        ),
      )
      .toBe(true);
    expect(
      await page.evaluate(() =>
        Boolean((window as unknown as { Chart: { getChart(id: string): unknown } }).Chart.getChart('chart-backlog')),
      ),
    ).toBe(true);
    const painted = await page.evaluate(() => {
      const c = document.getElementById('chart-daily') as HTMLCanvasElement;
      const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      for (let i = 3; i < px.length; i += 4) if (px[i] !== 0) return true;
      return false;
    });
    expect(painted).toBe(true);
    for (const id of [
      'table-daily',
      'table-stages',
      'table-backlog',
      'table-byUnit',
      'table-byCategory',
      'table-sla',
    ]) {
      expect(await page.getByTestId(id).isVisible(), id).toBe(true);
    }
    expect(await page.getByTestId('table-daily').locator('tbody tr').count()).toBe(30);
    expect(errors).toEqual([]);
    await page.close();
  });
});
