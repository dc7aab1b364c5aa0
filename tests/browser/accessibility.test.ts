// Every page type, for every role, at desktop and phone width: axe-core finds no serious or critical violation, and
// no page scrolls sideways on a phone, with hostile data (one-word titles and names far wider than a phone) seeded.
import axe from 'axe-core';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSuite, runBrowserTests, signIn } from '../support/browser.js';
import { openPortal } from '../support/factories.js';

const DESKTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };
/** One 117-character word: the title that pushed a list to 2 100 px. */
const LONG_TITLE = 'Reparacióndelsistemadeaireacondicionado'.repeat(3);
const longName = (first: string) => `${first}-${'Montenegro'.repeat(6)}`;
const OPERATOR = 'admin@sanrafael.demo';

interface Visit {
  path: string;
  /** The status the page answers with (200 unless told). */
  status?: number;
}

interface Finding {
  page: string;
  width: number;
  problem: string;
}

/** Runs axe on the page and returns its serious and critical violations, one line each. */
async function axeProblems(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    const run = (window as unknown as { axe: typeof axe }).axe.run;
    const result = await run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}`),
    }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).join(' | ')}`);
}

/** Visits the page at desktop width, then at phone width, and returns what axe and the width check found. */
async function checkPage(page: Page, baseUrl: string, { path, status = 200 }: Visit): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const viewport of [DESKTOP, PHONE]) {
    await page.setViewportSize(viewport);
    const response = await page.goto(baseUrl + path);
    const note = (problem: string) => findings.push({ page: path, width: viewport.width, problem });
    if (response?.status() !== status) note(`answered ${response?.status()}, not ${status}`);
    for (const problem of await axeProblems(page)) note(problem);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (width > viewport.width) note(`scrolls sideways: ${width} px wide`);
  }
  return findings;
}

/** Every page type of every role; `:name` stands for the id of a row found in the seeded data. */
const ROLES: { role: string; email: string | null; visits: Visit[] }[] = [
  {
    role: 'signed out',
    email: null,
    visits: [
      { path: '/' },
      { path: '/login' },
      { path: '/registro' },
      { path: '/clave/olvido' },
      // The company's public portal (opened in beforeAll): the page, the form, the status lookup, the answers.
      { path: '/p/:slug' },
      { path: '/p/:slug/solicitud' },
      { path: '/p/:slug/solicitud/enviada' },
      { path: '/p/:slug/estado' },
      { path: '/p/:slug/estado/enviado' },
      { path: '/p/:slug/confirmar/0123456789abcdef' },
    ],
  },
  {
    role: 'employee',
    email: 'empleado@andina.demo',
    visits: [
      { path: '/' },
      { path: '/solicitudes' },
      { path: '/solicitudes?tab=finalizadas' },
      { path: '/solicitudes/nueva' },
      { path: '/solicitudes/:own' },
      { path: '/solicitudes/:own/imprimir' },
      { path: '/cuenta' },
      { path: '/cuenta/notificaciones' },
      { path: '/cuenta/accesos' },
      { path: '/cuenta/dos-pasos' },
      { path: '/siguiendo' },
      { path: '/admin', status: 403 },
      { path: '/solicitudes/999999999', status: 404 },
    ],
  },
  {
    role: 'unit head',
    email: 'jefe.produccion@andina.demo',
    visits: [{ path: '/autorizaciones' }, { path: '/solicitudes/:pending' }, { path: '/ausencias' }],
  },
  {
    role: 'services head',
    email: 'jefe.servicios@andina.demo',
    visits: [
      { path: '/bandeja' },
      { path: '/bandeja?tab=todas' },
      { path: '/tickets' },
      { path: '/solicitudes/:authorized' },
      { path: '/solicitudes/:finalized' },
      { path: '/indicadores' },
    ],
  },
  {
    role: 'worker',
    email: 'trabajador@andina.demo',
    visits: [{ path: '/mis-tickets' }, { path: '/mis-tickets?tab=en-ejecucion' }, { path: '/solicitudes/:inProgress' }],
  },
  {
    role: 'company admin',
    email: 'admin@andina.demo',
    visits: [
      { path: '/' },
      { path: '/admin' },
      { path: '/admin/unidades' },
      { path: '/admin/unidades/:unit' },
      { path: '/admin/unidades/nueva' },
      { path: '/admin/organigrama' },
      { path: '/admin/personas' },
      { path: '/admin/personas/:person' },
      { path: '/admin/personas/invitar' },
      { path: '/admin/personas/importar' },
      { path: '/admin/ausencias' },
      { path: '/admin/categorias' },
      { path: '/admin/categorias/:category' },
      { path: '/admin/empresa' },
      { path: '/admin/calendario' },
      { path: '/admin/auditoria' },
      { path: '/admin/notificaciones' },
      { path: '/admin/notificaciones/canales' },
      { path: '/admin/accesos' },
      { path: '/admin/api' },
      { path: '/admin/webhooks' },
      { path: '/admin/sso' },
      { path: '/admin/dos-pasos' },
      { path: '/admin/privacidad' },
      { path: '/admin/portal/cartel' },
      { path: '/empresa/solicitudes' },
    ],
  },
  { role: 'platform operator', email: OPERATOR, visits: [{ path: '/plataforma' }] },
];

describe.runIf(runBrowserTests)('browser: accessibility (axe) and phone width on every page', () => {
  const suite = browserSuite({ config: { PLATFORM_OPERATOR_EMAILS: OPERATOR } });
  const ids: Record<string, number | string> = {};

  beforeAll(async () => {
    const db = suite.db.prisma;
    const company = await db.company.findFirstOrThrow({ where: { name: { startsWith: 'Manufacturas' } } });
    const companyId = company.id;
    await db.company.update({ where: { id: companyId }, data: { name: `Manufacturas${'Andinas'.repeat(8)}` } });
    // Every request of the company gets the 117-character one-word title, so every list and tab shows one.
    await db.request.updateMany({ where: { companyId }, data: { title: LONG_TITLE, location: LONG_TITLE } });
    for (const [email, first] of [
      ['empleado@andina.demo', 'Empleada'],
      ['jefe.produccion@andina.demo', 'Jefe'],
      ['jefe.servicios@andina.demo', 'Servicios'],
      ['trabajador@andina.demo', 'Trabajador'],
      ['admin@andina.demo', 'Administradora'],
    ]) {
      await db.user.updateMany({ where: { email }, data: { name: longName(first!) } });
    }
    const units = await db.unit.findMany({ where: { companyId }, orderBy: { id: 'asc' }, take: 2 });
    for (const u of units)
      await db.unit.update({ where: { id: u.id }, data: { name: `${u.name}${'Central'.repeat(9)}` } });
    const category = await db.category.findFirstOrThrow({ where: { companyId }, orderBy: { id: 'asc' } });
    await db.category.update({ where: { id: category.id }, data: { name: `Mantenimiento${'General'.repeat(9)}` } });

    const employee = await db.user.findFirstOrThrow({ where: { email: 'empleado@andina.demo' } });
    const head = await db.user.findFirstOrThrow({
      where: { email: 'jefe.produccion@andina.demo' },
      include: { headedUnits: true },
    });
    const worker = await db.user.findFirstOrThrow({ where: { email: 'trabajador@andina.demo' } });
    const first = async (where: object) =>
      (
        await db.request.findFirstOrThrow({
          where: { companyId, ...where },
          orderBy: { id: 'asc' },
          select: { id: true },
        })
      ).id;
    ids.own = await first({ requesterId: employee.id });
    ids.pending = await first({ status: 'PENDING', authorizerUnitId: { in: head.headedUnits.map((u) => u.id) } });
    ids.authorized = await first({ status: 'AUTHORIZED' });
    ids.inProgress = await first({ ticket: { workerId: worker.id, status: 'IN_PROGRESS' } });
    ids.finalized = await first({ status: 'FINALIZED' });
    ids.unit = units[0]!.id;
    ids.person = employee.id;
    ids.category = category.id;
    ids.slug = await openPortal(db, companyId, head.id, 'a11y');
    await db.requestComment.create({
      data: { companyId, requestId: ids.own, authorId: employee.id, body: `Comentario ${LONG_TITLE} ${LONG_TITLE}` },
    });
  });

  for (const { role, email, visits } of ROLES) {
    describe(role, () => {
      let page: Page;
      beforeAll(async () => {
        page = await suite.newPage(DESKTOP);
        if (email) {
          await page.goto(`${suite.url}/login`);
          await signIn(page, suite.url, email);
        }
      });
      afterAll(() => page.context().close());

      for (const visit of visits) {
        it(visit.path, async () => {
          const path = visit.path.replace(/:(\w+)/g, (_, name: string) => String(ids[name]));
          expect(await checkPage(page, suite.url, { ...visit, path })).toEqual([]);
        });
      }
    });
  }

  it('covers at least 25 pages, each at both widths', () => {
    expect(ROLES.flatMap((r) => r.visits).length).toBeGreaterThanOrEqual(25);
  });

  it('a form sent with errors marks its fields and moves the focus to a summary linking to them', async () => {
    const page = await suite.signedIn('empleado@andina.demo', { viewport: PHONE });
    await page.goto(`${suite.url}/solicitudes/nueva`);
    await page.getByLabel('Título').fill('x');
    await page.getByRole('button', { name: 'Enviar solicitud' }).click();
    await page.waitForLoadState();
    const summary = page.locator('[data-error-summary]');
    await expect.poll(() => summary.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await summary.getAttribute('role')).toBe('alert');
    const title = page.getByLabel('Título');
    expect(await title.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await title.getAttribute('aria-describedby'))!;
    expect(await page.locator(`#${describedBy}`).textContent()).toMatch(/\S/);
    // The summary's link names the field and takes the focus to it.
    const link = summary.locator('a[href="#title"]');
    expect(await link.textContent()).toMatch(/^Título: /);
    await link.click();
    expect(await title.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await axeProblems(page)).toEqual([]);
    await page.context().close();
  });
});
