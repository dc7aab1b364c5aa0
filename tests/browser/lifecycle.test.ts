// One request through every role, one step per role; the steps share the file's browser and run in order,
// each taking the request where the previous one left it.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, runBrowserTests } from '../support/browser.js';

const TITLE = 'Fuga en el lavamanos del laboratorio';
const INSTRUCTIONS = 'Cambiar el empaque y revisar el sifón.';

describe.runIf(runBrowserTests)('browser: one request through every role', () => {
  const suite = browserSuite();
  let employee: Page;
  let requestUrl: string;

  it('employee submits from "Nueva solicitud"', async () => {
    employee = await suite.signedIn('empleado@andina.demo');
    await employee.getByRole('link', { name: /Mis solicitudes/ }).click();
    await employee.getByRole('link', { name: /Nueva solicitud/ }).click();
    await employee.getByLabel('Área de servicio').selectOption({ label: 'Servicios Generales' });
    await employee.getByLabel('Categoría').selectOption({ label: 'Plomería' });
    await employee.getByLabel('Título').fill(TITLE);
    await employee.getByLabel('Descripción').fill('El lavamanos gotea constantemente desde el lunes.');
    await employee.getByLabel('Prioridad').selectOption('HIGH');
    await employee.getByLabel('Ubicación').fill('Laboratorio, piso 1');
    await employee.getByRole('button', { name: 'Enviar solicitud' }).click();
    await employee.waitForURL(/\/solicitudes\/\d+$/);
    requestUrl = employee.url();
    expect(await employee.locator('.alert-success').textContent()).toMatch(/Solicitud SOL-\d{6} enviada/);
    expect(await employee.locator('[data-status]').textContent()).toContain('Pendiente');
  });

  it('unit head authorizes from the list, pending first', async () => {
    const head = await suite.signedIn('jefe.produccion@andina.demo');
    await head.getByRole('link', { name: /Autorizaciones/ }).click();
    const row = head.locator('tr', { hasText: TITLE });
    await row.getByRole('button', { name: 'Autorizar' }).click();
    await head.waitForLoadState();
    expect(await head.locator('.alert-success').textContent()).toMatch(/autorizada/);
    await head.context().close();
  });

  it('services head approves from the detail page, choosing a worker and writing instructions', async () => {
    const services = await suite.signedIn('jefe.servicios@andina.demo');
    await services.getByRole('link', { name: /Bandeja de entrada/ }).click();
    await services.getByRole('link', { name: TITLE }).click();
    const worker = services.getByLabel('Trabajador');
    const options = await worker.locator('option').allTextContents();
    expect(options.some((o) => /Pedro Castillo — \d+ abiertos/.test(o))).toBe(true);
    await worker.selectOption({ label: options.find((o) => o.startsWith('Pedro Castillo'))! });
    await services.getByLabel('Instrucciones').fill(INSTRUCTIONS);
    await services.getByRole('button', { name: 'Aprobar y asignar' }).click();
    await services.waitForLoadState();
    expect(await services.locator('[data-status]').textContent()).toContain('ticket asignado');
    await services.context().close();
  });

  it('worker starts from "Mis tickets" and finishes from the detail page', async () => {
    const pedro = await suite.signedIn('trabajador@andina.demo');
    await pedro.getByRole('link', { name: /Mis tickets/ }).click();
    const card = pedro.locator('article', { hasText: TITLE });
    expect(await card.textContent()).toContain(INSTRUCTIONS);
    await card.getByRole('button', { name: 'Iniciar trabajo' }).click();
    await pedro.waitForLoadState();
    await pedro.goto(requestUrl);
    await pedro.getByLabel('Nota de resolución').fill('Empaque cambiado; sin fugas.');
    await pedro.getByRole('button', { name: 'Finalizar ticket' }).click();
    await pedro.waitForLoadState();
    expect(await pedro.locator('[data-status]').textContent()).toContain('Finalizada');
    await pedro.context().close();
  });

  it('the employee sees the request finalized, with every step in the timeline', async () => {
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
  });
});
