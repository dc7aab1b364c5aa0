// The benchmark's ceiling (npm run bench, scenario `baseline`): a bare Express route
// rendering an EJS page of the same size as an inbox, from memory — no session, no
// database. The same page is also served behind every middleware of a signed-in page
// (scenario `signed-in-baseline`: session, actor and badges, CSRF, headers, navigation),
// which shows what any page costs before its own queries and template. Between the two, `one-statement` serves it
// after one round trip to PostgreSQL and nothing else: the floor of any page that reads the database.
// Mounted only when BENCH_BASELINE=true.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import type { Express } from 'express';
import type pg from 'pg';
import { projectRoot } from '../paths.js';

// The page lives beside the views; read once when the module loads.
const template = ejs.compile(readFileSync(path.join(projectRoot, 'views', 'bench', 'baseline.ejs'), 'utf8'));

const data = {
  title: 'Autorizaciones',
  token: 'x'.repeat(88),
  nav: ['Inicio', 'Mis solicitudes', 'Autorizaciones', 'Bandeja de entrada', 'Tickets'].map((label, i) => ({
    label,
    href: `/s${i}`,
  })),
  tabs: ['Pendientes de autorizar', 'Autorizadas', 'En atención', 'Finalizadas', 'Rechazadas', 'Canceladas', 'Todas'],
  rows: Array.from({ length: 20 }, (_, i) => ({
    id: 100_000 + i,
    title: `Solicitud de prueba número ${i} con un título realista`,
    requester: `Persona ${i}`,
    unit: 'Unidad de producción',
    category: 'Mantenimiento eléctrico',
    date: '21/11/2026, 10:15 a. m.',
  })),
};

export const BASELINE_PATH = '/__bench/baseline';
export const SIGNED_IN_BASELINE_PATH = '/__bench/signed-in-baseline';
export const ONE_STATEMENT_PATH = '/__bench/one-statement';

export function mountBenchBaseline(app: Express, path: typeof BASELINE_PATH | typeof SIGNED_IN_BASELINE_PATH) {
  app.get(path, (_req, res) => {
    res.type('html').send(template(data));
  });
}

/** The same page after one named statement (`SELECT 1`) on the app's pool, before every middleware. */
export function mountOneStatementBaseline(app: Express, pool: pg.Pool) {
  app.get(ONE_STATEMENT_PATH, async (_req, res) => {
    await pool.query({ name: 'bench_one_statement', text: 'SELECT 1' });
    res.type('html').send(template(data));
  });
}
