// The benchmark's ceiling (npm run bench, scenario `baseline`): a bare Express route
// rendering an EJS page of the same size as an inbox, from memory — no session, no
// database. The same page is also served behind every middleware of a signed-in page
// (scenario `signed-in-baseline`: session, actor and badges, CSRF, headers, navigation),
// which shows what any page costs before its own queries and template.
// Mounted only when BENCH_BASELINE=true.
import ejs from 'ejs';
import type { Express } from 'express';

const template = ejs.compile(`<!doctype html>
<html lang="es"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title><%= title %></title><link rel="stylesheet" href="/static/bootstrap/css/bootstrap.min.css"><link rel="stylesheet" href="/static/css/app.css"></head>
<body><nav class="navbar navbar-expand-xl navbar-dark bg-primary mb-4"><div class="container-xl"><a class="navbar-brand" href="/">Solicitudes</a>
<ul class="navbar-nav"><% for (const n of nav) { %><li class="nav-item"><a class="nav-link text-nowrap" href="<%= n.href %>"><%= n.label %> <span class="badge">3</span></a></li><% } %></ul></div></nav>
<main class="container-xl"><h1 class="h3"><%= title %></h1>
<ul class="nav nav-tabs mb-3"><% for (const tab of tabs) { %><li class="nav-item"><a class="nav-link" href="?tab=<%= tab %>"><%= tab %> <span class="badge rounded-pill text-bg-light border">12</span></a></li><% } %></ul>
<div class="table-responsive"><table class="table table-hover align-middle"><thead><tr><th>Número</th><th>Título</th><th>Solicitante</th><th>Categoría</th><th>Prioridad</th><th>Estado</th><th>Enviada</th><th></th></tr></thead><tbody>
<% for (const r of rows) { %><tr data-request="<%= r.id %>"><td class="text-nowrap"><a href="/solicitudes/<%= r.id %>?volver=%2Fautorizaciones">SOL-<%= String(r.id).padStart(6, '0') %></a></td>
<td><a class="link-body-emphasis text-decoration-none" href="/solicitudes/<%= r.id %>?volver=%2Fautorizaciones"><%= r.title %></a></td>
<td class="d-none d-md-table-cell"><%= r.requester %><div class="small text-body-secondary"><%= r.unit %></div></td><td class="d-none d-lg-table-cell"><%= r.category %></td>
<td class="d-none d-sm-table-cell"><span class="badge text-bg-warning">Alta</span></td><td><span class="badge text-bg-warning">Pendiente</span></td>
<td class="d-none d-md-table-cell small text-nowrap"><%= r.date %></td><td class="text-nowrap"><form method="post" action="/solicitudes/<%= r.id %>/authorize" class="d-inline">
<input type="hidden" name="_csrf" value="<%= token %>"><input type="hidden" name="volver" value="/autorizaciones"><button class="btn btn-sm btn-success" type="submit">Autorizar</button></form>
<button class="btn btn-sm btn-outline-danger" type="button" data-bs-toggle="collapse" data-bs-target="#rechazar-<%= r.id %>">Rechazar</button></td></tr>
<tr class="collapse" id="rechazar-<%= r.id %>"><td colspan="8"><form method="post" action="/solicitudes/<%= r.id %>/reject" class="d-flex flex-wrap gap-2 align-items-end">
<input type="hidden" name="_csrf" value="<%= token %>"><div class="flex-grow-1"><label class="form-label small mb-1" for="reason-<%= r.id %>">Motivo</label>
<input class="form-control form-control-sm" id="reason-<%= r.id %>" name="reason" required minlength="5" maxlength="2000"></div><button class="btn btn-sm btn-danger" type="submit">Rechazar</button></form></td></tr><% } %>
</tbody></table></div></main><footer class="container-xl border-top py-3 small">Solicitudes de servicio internas</footer></body></html>`);

const data = {
  title: 'Solicitudes de mis unidades',
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

export function mountBenchBaseline(app: Express, path: typeof BASELINE_PATH | typeof SIGNED_IN_BASELINE_PATH) {
  app.get(path, (_req, res) => {
    res.type('html').send(template(data));
  });
}
