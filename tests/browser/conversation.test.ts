// A photo attached on submission travels with the request: the worker sees its thumbnail and downloads it;
// an internal note stays out of the requester's sight. The steps share the file's browser and run in order.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loadActor } from '../../src/auth/actor.js';
import { applyTransition } from '../../src/requests/service.js';
import { browserSuite, runBrowserTests } from '../support/browser.js';
import { png } from '../support/files.js';

describe.runIf(runBrowserTests)('browser: conversation with a photo and an internal note', () => {
  const suite = browserSuite();
  const photo = png(64, 48, [20, 120, 220]);
  let employee: Page;
  let worker: Page;
  let requestUrl: string;
  let requestId: number;

  async function actor(email: string) {
    const user = await suite.db.prisma.user.findFirstOrThrow({ where: { email } });
    return (await loadActor(suite.db.prisma, user.id))!;
  }

  it('employee attaches a photo on submission and sees its thumbnail', async () => {
    employee = await suite.signedIn('empleado@andina.demo');
    await employee.goto(`${suite.url}/solicitudes/nueva`);
    await employee.getByLabel('Área de servicio').selectOption({ label: 'Servicios Generales' });
    await employee.getByLabel('Categoría').selectOption({ label: 'Mantenimiento eléctrico' });
    await employee.getByLabel('Título').fill('Toma corriente quemado en recepción');
    await employee.getByLabel('Descripción').fill('La toma junto al escritorio huele a quemado. Foto adjunta.');
    await employee
      .getByLabel('Fotos o documentos (opcional)')
      .setInputFiles({ name: 'toma-quemada.png', mimeType: 'image/png', buffer: photo });
    await employee.getByRole('button', { name: 'Enviar solicitud' }).click();
    await employee.waitForURL(/\/solicitudes\/\d+$/);
    requestUrl = employee.url();
    requestId = Number(/(\d+)$/.exec(requestUrl)![1]);
    const thumb = employee.locator('[data-attachments] img.attachment-thumb');
    await expect
      .poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBeGreaterThan(0);
  });

  it('once assigned, the worker sees the thumbnail and downloads the photo', async () => {
    // The unit head authorizes and the services head assigns Pedro (the lifecycle itself is tested elsewhere).
    const clock = () => new Date();
    await applyTransition(
      { db: suite.db.prisma, clock, surveyKey: 'test' },
      await actor('jefe.produccion@andina.demo'),
      requestId,
      {
        action: 'authorize',
        comment: '',
      },
    );
    const pedro = await suite.db.prisma.user.findFirstOrThrow({ where: { email: 'trabajador@andina.demo' } });
    await applyTransition(
      { db: suite.db.prisma, clock, surveyKey: 'test' },
      await actor('jefe.servicios@andina.demo'),
      requestId,
      {
        action: 'approve',
        workerId: pedro.id,
        instructions: 'Cambiar la toma.',
      },
    );

    worker = await suite.signedIn('trabajador@andina.demo');
    await worker.goto(requestUrl);
    const workerThumb = worker.locator('[data-attachments] img.attachment-thumb');
    await expect
      .poll(() => workerThumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBeGreaterThan(0);
    const href = await worker.locator('[data-attachments] a.attachment-name').getAttribute('href');
    const download = await worker.request.get(`${suite.url}${href}`);
    expect(download.status()).toBe(200);
    expect(download.headers()['content-type']).toBe('image/png');
    expect(Buffer.compare(await download.body(), photo)).toBe(0);
  });

  it('the worker leaves an internal note and a comment with a link', async () => {
    await worker.getByLabel('Mensaje').fill('Hay que pedir una toma nueva a bodega; la de repuesto está dañada.');
    await worker.getByLabel('Nota interna').check();
    await worker.getByRole('button', { name: 'Publicar' }).click();
    await worker.waitForURL(/#comentario-\d+$/);
    expect(await worker.locator('[data-timeline] [data-comment][data-internal]').textContent()).toContain(
      'Nota interna',
    );
    await worker
      .getByLabel('Mensaje')
      .fill('Paso mañana a las 9; ¿puede estar alguien en recepción? Ver https://ejemplo.com/horario');
    await worker.getByRole('button', { name: 'Publicar' }).click();
    await worker.waitForURL(/#comentario-\d+$/);
  });

  it("the requester sees the worker's question with its link, and no trace of the note", async () => {
    await employee.goto(requestUrl);
    const timeline = (await employee.locator('[data-timeline]').textContent())!;
    expect(timeline).toContain('Paso mañana a las 9');
    expect(await employee.locator('[data-timeline] a[href="https://ejemplo.com/horario"]').getAttribute('rel')).toBe(
      'noopener noreferrer nofollow',
    );
    expect(timeline).not.toContain('bodega');
    expect(await employee.locator('[data-internal]').count()).toBe(0);
    expect(await employee.getByLabel('Nota interna').count()).toBe(0);
    await employee.goto(`${suite.url}/solicitudes?q=bodega`);
    expect(await employee.locator(`a[href^="/solicitudes/${requestId}?"]`).count()).toBe(0);
    await employee.goto(`${suite.url}/solicitudes?q=recepcion`);
    expect(await employee.locator(`a[href^="/solicitudes/${requestId}?"]`).count()).toBeGreaterThan(0);
  });

  it('the print view: A4 stylesheet and the timeline, without the note for the requester', async () => {
    await employee.goto(`${requestUrl}/imprimir`);
    expect(await employee.locator('link[href="/static/css/print.css"]').count()).toBe(1);
    expect(await employee.locator('[data-timeline]').textContent()).not.toContain('bodega');
    await employee.emulateMedia({ media: 'print' });
    expect(await employee.locator('.print-toolbar').isVisible()).toBe(false);
  });
});
