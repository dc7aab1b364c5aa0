import { describe, expect, it } from 'vitest';
import { browserSuite, pageErrors, runBrowserTests, signIn } from '../support/browser.js';

describe.runIf(runBrowserTests)('browser: sign-in with a demo account', () => {
  const suite = browserSuite();

  it('signs in and sees the Spanish home page with the roles of the account', async () => {
    const page = await suite.newPage();
    const errors = pageErrors(page);
    await page.goto(suite.url);
    // Anonymous visitors see the landing page, which leads to the sign-in page.
    await page.getByRole('link', { name: 'Iniciar sesión' }).first().click();
    await expect.poll(() => page.url()).toContain('/login');
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    await signIn(page, suite.url, 'jefe.servicios@andina.demo');
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
    await page.context().close();
  });

  it('shows a phone-sized layout with the menu behind a toggler', async () => {
    const page = await suite.signedIn('empleado@sanrafael.demo', { viewport: { width: 390, height: 844 } });
    const toggler = page.getByRole('button', { name: 'Menú' });
    expect(await toggler.isVisible()).toBe(true);
    await toggler.click();
    await page.getByRole('link', { name: /Inicio/ }).waitFor({ state: 'visible', timeout: 5000 });
    await page.context().close();
  });
});
