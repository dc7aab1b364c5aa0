import { describe, expect, it } from 'vitest';
import { browserSuite, pageErrors, runBrowserTests, signIn } from '../support/browser.js';

const NOW = new Date('2026-03-10T15:00:00Z');

describe.runIf(runBrowserTests)('browser: indicators dashboard', () => {
  const suite = browserSuite({ now: NOW });

  it('shows the demo admin the charts (rendered under the strict CSP) with their tables', async () => {
    const page = await suite.newPage();
    const errors = pageErrors(page);
    await page.goto(`${suite.url}/login`);
    await signIn(page, suite.url, 'admin@andina.demo');
    await page.getByRole('link', { name: /Indicadores/ }).click();
    await page.waitForURL(`${suite.url}/indicadores`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Indicadores');
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
    await page.context().close();
  });
});
