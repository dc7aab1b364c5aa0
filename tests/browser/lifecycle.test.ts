import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoBrowserSuite, hasChromium } from '../support/browser.js';

describe.runIf(hasChromium || process.env.CI)('browser: one request through every role', () => {
  const suite = demoBrowserSuite();

  async function signedIn(email: string): Promise<Page> {
    const page = await suite.signedIn(email);
    // Fail with the locator's name rather than the test's timeout.
    page.context().setDefaultTimeout(20_000);
    return page;
  }

  it('employee submits, unit head authorizes, services head approves and assigns, worker starts and finishes', async () => {
    // Employee: "Nueva solicitud".
    const employee = await signedIn('empleado@andina.demo');
    await employee.getByRole('link', { name: /Mis solicitudes/ }).click();
    await employee.getByRole('link', { name: /Nueva solicitud/ }).click();
    await employee.getByLabel('Área de servicio').selectOption({ label: 'Servicios Generales' });
    await employee.getByLabel('Categoría').selectOption({ label: 'Plomería' });
    await employee.getByLabel('Título').fill('Fuga en el lavamanos del laboratorio');
    await employee.getByLabel('Descripción').fill('El lavamanos gotea constantemente desde el lunes.');
    await employee.getByLabel('Prioridad').selectOption('HIGH');
    await employee.getByLabel('Ubicación').fill('Laboratorio, piso 1');
    await employee.getByRole('button', { name: 'Enviar solicitud' }).click();
    await employee.waitForURL(/\/solicitudes\/\d+$/);
    const requestUrl = employee.url();
    expect(await employee.locator('.alert-success').textContent()).toMatch(/Solicitud SOL-\d{6} enviada/);
    expect(await employee.locator('[data-status]').textContent()).toContain('Pendiente');

    // Unit head: authorizes from the list, pending first.
    const head = await signedIn('jefe.produccion@andina.demo');
    await head.getByRole('link', { name: /Autorizaciones/ }).click();
    const row = head.locator('tr', { hasText: 'Fuga en el lavamanos del laboratorio' });
    await row.getByRole('button', { name: 'Autorizar' }).click();
    await head.waitForLoadState();
    expect(await head.locator('.alert-success').textContent()).toMatch(/autorizada/);

    // Services head: approves from the detail page choosing a worker and writing instructions.
    const services = await signedIn('jefe.servicios@andina.demo');
    await services.getByRole('link', { name: /Bandeja de entrada/ }).click();
    await services.getByRole('link', { name: 'Fuga en el lavamanos del laboratorio' }).click();
    const worker = services.getByLabel('Trabajador');
    const options = await worker.locator('option').allTextContents();
    expect(options.some((o) => /Pedro Castillo — \d+ abiertos/.test(o))).toBe(true);
    await worker.selectOption({ label: options.find((o) => o.startsWith('Pedro Castillo'))! });
    await services.getByLabel('Instrucciones').fill('Cambiar el empaque y revisar el sifón.');
    await services.getByRole('button', { name: 'Aprobar y asignar' }).click();
    await services.waitForLoadState();
    expect(await services.locator('[data-status]').textContent()).toContain('ticket asignado');

    // Worker: starts from "Mis tickets", finishes from the detail page.
    const pedro = await signedIn('trabajador@andina.demo');
    await pedro.getByRole('link', { name: /Mis tickets/ }).click();
    const card = pedro.locator('article', { hasText: 'Fuga en el lavamanos del laboratorio' });
    expect(await card.textContent()).toContain('Cambiar el empaque y revisar el sifón.');
    await card.getByRole('button', { name: 'Iniciar trabajo' }).click();
    await pedro.waitForLoadState();
    await pedro.goto(requestUrl);
    await pedro.getByLabel('Nota de resolución').fill('Empaque cambiado; sin fugas.');
    await pedro.getByRole('button', { name: 'Finalizar ticket' }).click();
    await pedro.waitForLoadState();
    expect(await pedro.locator('[data-status]').textContent()).toContain('Finalizada');

    // The employee sees the request finalized, with every step in the timeline.
    await employee.goto(requestUrl);
    expect(await employee.locator('[data-status]').textContent()).toContain('Finalizada');
    const steps = await employee
      .locator('[data-timeline] [data-event]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-event')));
    expect(steps).toEqual(['SUBMIT', 'AUTHORIZE', 'APPROVE', 'START', 'FINISH']);
    const timeline = await employee.locator('[data-timeline]').textContent();
    expect(timeline).toContain('Carlos Ramírez');
    expect(timeline).toContain('aprobó y asignó el ticket a Pedro Castillo');
    expect(timeline).toContain('Empaque cambiado; sin fugas.');
  }, 120_000);
});
