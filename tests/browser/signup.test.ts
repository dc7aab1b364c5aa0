// Zero-configuration mail: messages go to DATA_DIR/mail and are read on the local mail page.
// The steps share one page, each taking up where the previous one left it.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserSuite, runBrowserTests, signIn } from '../support/browser.js';

describe.runIf(runBrowserTests)('browser: a new company signs up and reaches its administration', () => {
  const suite = browserSuite({ demo: false });
  const PASSWORD = 'tornillos-y-tuercas-2031';
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    page = await suite.newPage();
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  });

  it('signup: a weak password is refused next to the field, the rest kept; then the company is created', async () => {
    await page.goto(suite.url);
    await page.getByRole('link', { name: 'Registrar mi empresa' }).first().click();
    await page.getByLabel('Nombre de la empresa').fill('Ferretería El Tornillo');
    await page.getByLabel('País').selectOption('CL');
    await page.getByLabel('Identificación tributaria').fill('76.086.428-5');
    await page.getByLabel('Tu nombre completo').fill('Camila Soto');
    await page.getByLabel('Correo electrónico').fill('camila@tornillo.test');
    await page.getByLabel('Teléfono celular').fill('9 6123 4567');
    await page.getByLabel('Contraseña').fill('corta');
    await page.getByLabel(/Acepto los términos/).check();
    await page.getByRole('button', { name: 'Crear mi empresa' }).click();
    expect(await page.locator('#f-password-error').textContent()).toContain('al menos 10 caracteres');
    expect(await page.getByLabel('Nombre de la empresa').inputValue()).toBe('Ferretería El Tornillo');
    await page.getByLabel('Contraseña').fill(PASSWORD);
    await page.getByLabel(/Acepto los términos/).check();
    await page.getByRole('button', { name: 'Crear mi empresa' }).click();
    await page.waitForURL(`${suite.url}/registro/verifica`);
    await page.getByText('camila@tornillo.test').first().waitFor();
  });

  it('verification link from the local mail page → sign-in', async () => {
    await page.getByRole('link', { name: 'Abrir el correo local' }).click();
    await page.getByRole('link', { name: /Confirma tu correo para activar Ferretería El Tornillo/ }).click();
    // The link points at APP_URL (localhost:3000 in tests); follow its path on this test server.
    const href = await page.getByRole('link', { name: /\/verificar\// }).getAttribute('href');
    await page.goto(suite.url + new URL(href!).pathname);
    await page.waitForURL(`${suite.url}/login`);
    await page.getByText('Tu correo quedó confirmado').waitFor();
    await signIn(page, suite.url, 'camila@tornillo.test', PASSWORD);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Hola, Camila Soto');
  });

  it('the admin pages: org chart and the starter catalogue', async () => {
    await page.getByRole('link', { name: /Administración/ }).click();
    await page.waitForURL(`${suite.url}/admin`);
    await page.getByRole('link', { name: /Organigrama/ }).click();
    await page.waitForURL(`${suite.url}/admin/organigrama`);
    expect(await page.getByTestId('org-chart').textContent()).toContain('Servicios Generales');
    expect(await page.getByTestId('org-chart').textContent()).toContain('Camila Soto');
    await page.getByRole('link', { name: /Catálogo de servicios/ }).click();
    await page.waitForURL(`${suite.url}/admin/categorias`);
    expect(await page.locator('main').textContent()).toContain('Soporte informático');
  });

  it("the new company's first request: its only administrator authorizes it by sending it", async () => {
    await page.getByRole('link', { name: /Mis solicitudes/ }).click();
    await page.getByRole('link', { name: /Nueva solicitud/ }).click();
    await page.waitForURL(`${suite.url}/solicitudes/nueva`);
    await page.getByLabel('Categoría').selectOption({ label: 'Soporte informático' });
    await page.getByLabel('Título').fill('Configurar la impresora de caja');
    await page.getByLabel('Descripción').fill('La impresora nueva de la caja no aparece en la red.');
    await page.getByRole('button', { name: 'Enviar solicitud' }).click();
    await page.waitForURL(/\/solicitudes\/\d+$/);
    await page.locator('.alert-success').waitFor();
    expect(await page.locator('.alert-success').textContent()).toContain('SOL-000001');
    expect(await page.locator('[data-status]').textContent()).toContain('Autorizada');
    // The only console error is the browser reporting the intended 422 of the refused password.
    expect(errors.filter((e) => !e.includes('422'))).toEqual([]);
  });
});
