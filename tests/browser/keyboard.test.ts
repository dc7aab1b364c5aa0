// One request through its whole life with the keyboard alone: Tab to reach a control, Enter or Space to use it,
// typing to fill it; no click anywhere. Each role signs in through the form the same way.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/seed.js';
import { browserSuite, runBrowserTests } from '../support/browser.js';

const TITLE = 'Teclado: fuga en el baño del segundo piso';
const PHONE = { width: 390, height: 844 };

/** The accessible name of the focused element: its label for a field, its text (or aria-label) otherwise. */
const focusedName = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return '';
    const labelled = (el as HTMLInputElement).labels?.[0]?.textContent;
    const name = labelled || el.getAttribute('aria-label') || el.textContent || '';
    return name.replace(/\s+/g, ' ').trim();
  });

/** Presses Tab until the focused element's name matches, and fails naming what it passed by. */
async function tabTo(page: Page, name: RegExp, limit = 120): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const current = await focusedName(page);
    if (name.test(current)) return;
    seen.push(current);
  }
  throw new Error(`Tab never reached ${name}; passed: ${seen.join(' | ')}`);
}

/** Presses a key that navigates and waits for the next page (a sign-in hashes a password: slow when loaded). */
async function pressAndWait(page: Page, key: 'Enter' | 'Space') {
  await Promise.all([page.waitForNavigation({ timeout: 60_000 }), page.keyboard.press(key)]);
}

describe.runIf(runBrowserTests)('browser: the whole lifecycle with the keyboard only', () => {
  const suite = browserSuite();
  let requestUrl: string;

  async function signInByKeyboard(email: string, viewport?: { width: number; height: number }): Promise<Page> {
    const page = await suite.newPage(viewport);
    await page.goto(`${suite.url}/login`);
    await tabTo(page, /^Correo electrónico/);
    await page.keyboard.type(email);
    await tabTo(page, /^Contraseña/);
    await page.keyboard.type(DEMO_PASSWORD);
    await pressAndWait(page, 'Enter');
    expect(page.url()).toBe(`${suite.url}/`);
    return page;
  }

  it('the employee signs in, opens "Nueva solicitud" and submits', async () => {
    const page = await signInByKeyboard('empleado@andina.demo');
    await tabTo(page, /^Mis solicitudes/);
    await pressAndWait(page, 'Enter');
    await tabTo(page, /^Nueva solicitud/);
    await pressAndWait(page, 'Enter');
    await tabTo(page, /^Área de servicio/);
    await page.keyboard.type('Servicios');
    await tabTo(page, /^Categoría/);
    await page.keyboard.type('Plomer');
    await tabTo(page, /^Título/);
    await page.keyboard.type(TITLE);
    await tabTo(page, /^Descripción/);
    await page.keyboard.type('El lavamanos gotea desde el lunes.');
    await tabTo(page, /^Enviar solicitud/);
    await pressAndWait(page, 'Enter');
    expect(page.url()).toMatch(/\/solicitudes\/\d+$/);
    requestUrl = page.url();
    expect(await page.locator('[data-status]').textContent()).toContain('Pendiente');
    await page.context().close();
  });

  it('the unit head authorizes it from the list', async () => {
    const page = await signInByKeyboard('jefe.produccion@andina.demo');
    await tabTo(page, /^Autorizaciones/);
    await pressAndWait(page, 'Enter');
    await tabTo(page, new RegExp(`^${TITLE}`));
    await tabTo(page, /^Autorizar$/, 5);
    await pressAndWait(page, 'Space');
    expect(await page.locator('.alert-success').textContent()).toMatch(/autorizada/);
    await page.context().close();
  });

  it('the services head opens it from the inbox and approves it with a ticket', async () => {
    const page = await signInByKeyboard('jefe.servicios@andina.demo');
    await tabTo(page, /^Bandeja de entrada/);
    await pressAndWait(page, 'Enter');
    await tabTo(page, new RegExp(`^${TITLE}`));
    await pressAndWait(page, 'Enter');
    expect(page.url().split('?')[0]).toBe(requestUrl);
    await tabTo(page, /^Trabajador/);
    await page.keyboard.type('Pedro');
    await tabTo(page, /^Instrucciones/);
    await page.keyboard.type('Cambiar el empaque.');
    await tabTo(page, /^Aprobar y asignar/);
    await pressAndWait(page, 'Enter');
    expect(await page.locator('[data-status]').textContent()).toContain('ticket asignado');
    await page.context().close();
  });

  it('the worker, on a phone, starts it from "Mis tickets" and finishes it from the detail page', async () => {
    const page = await signInByKeyboard('trabajador@andina.demo', PHONE);
    // On a phone the menu is behind its toggle button.
    await tabTo(page, /^Menú/);
    await page.keyboard.press('Enter');
    await tabTo(page, /^Mis tickets/);
    await pressAndWait(page, 'Enter');
    await tabTo(page, new RegExp(`^${TITLE}`));
    await tabTo(page, /^Iniciar trabajo/, 5);
    await pressAndWait(page, 'Space');
    await tabTo(page, /^En ejecución/);
    await pressAndWait(page, 'Enter');
    await tabTo(page, new RegExp(`^${TITLE}`));
    await pressAndWait(page, 'Enter');
    expect(page.url().split('?')[0]).toBe(requestUrl);
    // The person's actions come first on a phone: the resolution is reached before the description and timeline.
    await tabTo(page, /^Nota de resolución/, 30);
    await page.keyboard.type('Empaque cambiado; sin fugas.');
    await tabTo(page, /^Finalizar ticket/, 3);
    await pressAndWait(page, 'Enter');
    expect(await page.locator('[data-status]').textContent()).toContain('Finalizada');
    await page.context().close();
  });
});
