// A double click on "Enviar solicitud" sends one request: the button shows it is working and is disabled until the
// page answers; without scripts the browser does post twice, and the server keeps only the first (src/submissions).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, pageErrors, runBrowserTests, signIn } from '../support/browser.js';

describe.runIf(runBrowserTests)('browser: a form that cannot post twice', () => {
  const suite = browserSuite();

  async function fillNewRequest(page: Page, title: string) {
    await page.goto(`${suite.url}/solicitudes/nueva`);
    await page.getByLabel('Área de servicio').selectOption({ label: 'Servicios Generales' });
    await page.getByLabel('Categoría').selectOption({ label: 'Plomería' });
    await page.getByLabel('Título').fill(title);
    await page.getByLabel('Descripción').fill('El lavamanos gotea constantemente desde el lunes.');
  }

  it('double click: the button is busy and disabled while sending, and one request is created', async () => {
    const page = await suite.signedIn('empleado@andina.demo');
    const errors = pageErrors(page);
    const title = 'Doble clic con el botón ocupado';
    await fillNewRequest(page, title);
    const posts: string[] = [];
    page.on('request', (r) => r.method() === 'POST' && posts.push(r.url()));
    // What the button looks like while the form is being sent, reported by the page as it changes.
    const seen: { disabled: boolean; text: string; busy: string | null }[] = [];
    await page.exposeFunction('reportButton', (state: (typeof seen)[number]) => seen.push(state));
    await page.evaluate(() => {
      const form = document.querySelector('form[data-request-form]')!;
      const button = form.querySelector('button[type="submit"]') as HTMLButtonElement;
      const report = () =>
        (window as unknown as { reportButton(s: unknown): void }).reportButton({
          disabled: button.disabled,
          text: button.textContent ?? '',
          busy: form.getAttribute('aria-busy'),
        });
      new MutationObserver(report).observe(form, { attributes: true, subtree: true, childList: true });
    });
    await page.locator('form[data-request-form] button[type="submit"]').dblclick();
    await page.waitForURL(/\/solicitudes\/\d+$/);
    expect(await page.locator('.alert-success').textContent()).toMatch(/Solicitud SOL-\d{6} enviada/);
    expect(posts).toHaveLength(1);
    expect(seen.at(-1)).toEqual({ disabled: true, text: expect.stringContaining('Enviando…'), busy: 'true' });
    expect(await suite.db.prisma.request.count({ where: { title } })).toBe(1);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('double click without scripts: the browser posts twice, one request is created and shown', async () => {
    const context = await suite.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${suite.url}/login`);
    await signIn(page, suite.url, 'empleado@andina.demo');
    const title = 'Doble clic sin scripts';
    await fillNewRequest(page, title);
    await page.getByRole('button', { name: 'Enviar solicitud' }).dblclick();
    // The second post cancels the first one's navigation, which waitForURL may catch and report as net::ERR_ABORTED:
    // wait for the address the page lands on instead.
    await expect.poll(() => page.url(), { timeout: 20_000 }).toMatch(/\/solicitudes\/\d+$/);
    await page.waitForLoadState();
    expect(await page.locator('.alert-success').textContent()).toMatch(/Solicitud SOL-\d{6} enviada/);
    const rows = await suite.db.prisma.request.findMany({ where: { title } });
    expect(rows).toHaveLength(1);
    expect(page.url()).toBe(`${suite.url}/solicitudes/${rows[0]!.id}`);
    await context.close();
  });
});
