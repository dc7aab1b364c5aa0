// Notifications of comments and internal notes, end to end: real PostgreSQL, the queue
// and a real SMTP server on loopback. A comment reaches the other participants; an
// internal note only the service-area participants; the author never hears of their own.
import type request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { fanOutComment } from '../../src/notifications/fanout.js';
import { buildApp } from '../support/app.js';
import type { TestDatabase } from '../support/database.js';
import { type makeOrg } from '../support/factories.js';
import { postForm, postMultipart, signIn } from '../support/http.js';
import { notificationBench, runJobs } from '../support/notifications.js';
import { act, submitThroughForm } from '../support/requests.js';
import { type startSmtp, type ReceivedMail } from '../support/smtp.js';

type Who = 'employee' | 'head' | 'servicesHead' | 'worker' | 'worker2' | 'admin';
const WHO: Who[] = ['employee', 'head', 'servicesHead', 'worker', 'worker2', 'admin'];

let db: TestDatabase & { drop(): Promise<void> };
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let org: Awaited<ReturnType<typeof makeOrg>>;
let config: Config;
let agents: Record<Who, request.Agent>;
let mark = 0;

let bench: Awaited<ReturnType<typeof notificationBench>>;

// The requester reads English; everyone else the company's Spanish.
beforeAll(async () => {
  bench = await notificationBench();
  ({ db, smtp, org, config } = bench);
  const app = buildApp(db, bench.env);
  agents = Object.fromEntries(
    await Promise.all(WHO.map(async (w) => [w, await signIn(app, org[w].email)] as const)),
  ) as Record<Who, request.Agent>;
});
afterAll(() => bench.close());

/** Jobs waiting: in the outbox, or in the queue to run. */
const jobCount = async () =>
  Number(
    (
      await db.pool.query(
        `SELECT (SELECT count(*) FROM job_outbox)
              + (SELECT count(*) FROM graphile_worker.jobs WHERE locked_at IS NULL) AS n`,
      )
    ).rows[0].n,
  );

function comment(who: Who, id: number, fields: Record<string, string>) {
  return postMultipart(agents[who], `/solicitudes/${id}`, `/solicitudes/${id}/comentarios`, fields);
}

/** Delivers the lifecycle mails queued so far, without looking at them. */
async function drain() {
  await runJobs(db, config);
  mark = smtp.received.length;
}

/** Runs the queue and returns the mails delivered since the last call, by recipient. */
async function delivered(): Promise<Map<Who, ReceivedMail>> {
  await runJobs(db, config);
  const got = smtp.received.slice(mark);
  mark = smtp.received.length;
  const byWho = new Map<Who, ReceivedMail>();
  for (const m of got) {
    const who = WHO.find((w) => org[w].email === m.to[0]);
    expect(who, `unexpected recipient ${m.to[0]}`).toBeDefined();
    expect(byWho.has(who!), `${who} got two mails`).toBe(false);
    byWho.set(who!, m);
  }
  return byWho;
}

/** The plain-text and HTML parts of a received message (decoded). */
function parts(m: ReceivedMail) {
  const at = m.text.search(/^Content-Type: text\/html/im);
  expect(at).toBeGreaterThan(0);
  return { text: m.text.slice(0, at), html: m.text.slice(at) };
}

const recipients = (mails: Map<Who, ReceivedMail>) => [...mails.keys()].sort();

/** A request walked to APPROVED (ticket for worker), with its lifecycle mails already delivered. */
async function approvedRequest(): Promise<number> {
  const id = await submitThroughForm(agents.employee, org);
  expect((await act(agents.head, id, 'authorize', { comment: '' })).status).toBe(302);
  expect(
    (await act(agents.servicesHead, id, 'approve', { workerId: String(org.worker.id), instructions: 'Revisar' }))
      .status,
  ).toBe(302);
  await drain();
  return id;
}

describe('comments', () => {
  it('notify the other participants (the unit head only while pending), not the author, quoting safely', async () => {
    const id = await submitThroughForm(agents.employee, org);
    await delivered();

    // Pending: the unit head and the services head hear of the requester's comment; the author does not.
    const hostile = '¿Pueden venir hoy?\n<script>alert(1)</script> <img src=x onerror=alert(2)>';
    expect((await comment('employee', id, { body: hostile })).status).toBe(302);
    let mails = await delivered();
    expect(recipients(mails)).toEqual(['head', 'servicesHead']);
    const head = mails.get('head')!;
    const { text, html } = parts(head);
    expect(text).toContain(`Empleado Uno escribió un comentario en la solicitud ${await number(id)}`);
    // Plain text quotes the comment as written (line breaks kept) …
    expect(text).toMatch(/«¿Pueden venir hoy\?\r?\n<script>alert\(1\)<\/script>/);
    expect(text).toMatch(new RegExp(`http://solicitudes\\.test/solicitudes/${id}#comentario-\\d+`));
    // … and the HTML part escapes whatever it says.
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(head.raw).toMatch(/^Message-ID: <n-\d+-c\d+-\d+-email@solicitudes\.test>/im);

    // Approved: the unit head is out; requester (in English), services head and assigned worker are in.
    expect((await act(agents.head, id, 'authorize', { comment: '' })).status).toBe(302);
    expect(
      (await act(agents.servicesHead, id, 'approve', { workerId: String(org.worker.id), instructions: 'Revisar' }))
        .status,
    ).toBe(302);
    await drain();
    expect((await comment('worker', id, { body: 'Voy mañana a las 9' })).status).toBe(302);
    mails = await delivered();
    expect(recipients(mails)).toEqual(['employee', 'servicesHead']);
    expect(mails.get('employee')!.text).toContain('Trabajador Uno wrote a comment on request');
    expect(mails.get('employee')!.text).toContain('“Voy mañana a las 9”');
    expect(mails.get('servicesHead')!.text).toContain('«Voy mañana a las 9»');

    expect((await comment('servicesHead', id, { body: 'De acuerdo' })).status).toBe(302);
    expect(recipients(await delivered())).toEqual(['employee', 'worker']);

    // A company admin who is no participant comments: every participant (not pending: no unit head) hears of it.
    expect((await comment('admin', id, { body: 'Revisado por administración' })).status).toBe(302);
    expect(recipients(await delivered())).toEqual(['employee', 'servicesHead', 'worker']);

    // Rows point at the comment, not at an event, and a second fan-out creates nothing twice.
    const last = await db.prisma.requestComment.findFirstOrThrow({
      where: { companyId: org.companyId, requestId: id },
      orderBy: { id: 'desc' },
    });
    const rows = await db.prisma.notification.findMany({ where: { companyId: org.companyId, commentId: last.id } });
    expect(rows.map((r) => [r.kind, r.eventId, r.status])).toEqual(rows.map(() => ['comment', null, 'SENT']));
    expect(await fanOutComment({ db: db.prisma, config }, { companyId: org.companyId, commentId: last.id })).toBe(0);
  });
});

describe('internal notes', () => {
  it('notify only the service-area participants, marked as internal, not the requester or the unit head', async () => {
    const id = await approvedRequest();
    expect((await comment('worker', id, { body: 'El repuesto cuesta el doble', internal: '1' })).status).toBe(302);
    let mails = await delivered();
    expect(recipients(mails)).toEqual(['servicesHead']);
    const mail = mails.get('servicesHead')!;
    expect(mail.text).toContain('Nota interna (solo para el personal del área de servicios): Trabajador Uno escribió');
    expect(mail.text).toContain('Nota interna: «El repuesto cuesta el doble»');

    expect((await comment('servicesHead', id, { body: 'Compra el repuesto', internal: '1' })).status).toBe(302);
    mails = await delivered();
    expect(recipients(mails)).toEqual(['worker']);

    expect((await comment('admin', id, { body: 'Nota de la administración', internal: '1' })).status).toBe(302);
    expect(recipients(await delivered())).toEqual(['servicesHead', 'worker']);

    // A worker moved out of the area keeps the ticket but no longer reads notes: not notified of one.
    await db.prisma.user.update({ where: { id: org.worker.id }, data: { unitId: org.unit.id } });
    try {
      expect((await comment('servicesHead', id, { body: 'Nota tras el traslado', internal: '1' })).status).toBe(302);
      expect(recipients(await delivered())).toEqual([]);
      expect((await comment('servicesHead', id, { body: 'Comentario tras el traslado' })).status).toBe(302);
      expect(recipients(await delivered())).toEqual(['employee', 'worker']);
    } finally {
      await db.prisma.user.update({ where: { id: org.worker.id }, data: { unitId: org.area.id } });
    }

    // While pending, a note on the request goes to the services head only (no unit head, no requester).
    const pending = await submitThroughForm(agents.employee, org);
    await delivered();
    expect((await comment('admin', pending, { body: 'Lo vemos cuando llegue', internal: '1' })).status).toBe(302);
    expect(recipients(await delivered())).toEqual(['servicesHead']);

    // Nothing of any note was ever mailed to the requester or the unit head.
    const leaked = smtp.received.filter(
      (m) =>
        [org.employee.email, org.head.email].includes(m.to[0]!) &&
        /Nota interna|Internal note|repuesto|Nota de la administración|Lo vemos|Nota tras el traslado/.test(m.text),
    );
    expect(leaked).toEqual([]);
    const noteRows = await db.prisma.notification.findMany({
      where: { companyId: org.companyId, kind: 'note' },
      select: { recipientId: true },
    });
    expect(noteRows.length).toBe(5);
    expect(noteRows.some((r) => r.recipientId === org.employee.id || r.recipientId === org.head.id)).toBe(false);
  });
});

describe('refused comments and preferences', () => {
  it('a refused comment or note enqueues nothing', async () => {
    const id = await approvedRequest();
    const [jobs, comments] = [
      await jobCount(),
      await db.prisma.requestComment.count({ where: { companyId: org.companyId } }),
    ];
    // The requester may not write an internal note (403); an empty comment is invalid (422).
    expect((await comment('employee', id, { body: 'Quiero ver las notas', internal: '1' })).status).toBe(403);
    expect((await comment('employee', id, { body: '   ' })).status).toBe(422);
    expect((await comment('employee', id, { body: 'x'.repeat(4001) })).status).toBe(422);
    expect(await jobCount()).toBe(jobs);
    expect(await db.prisma.requestComment.count({ where: { companyId: org.companyId } })).toBe(comments);
    expect((await delivered()).size).toBe(0);
  });

  it('a person can turn comment notifications off on /cuenta/notificaciones', async () => {
    const page = await agents.worker.get('/cuenta/notificaciones');
    expect(page.text).toContain('Comentario nuevo');
    expect(page.text).toContain('Nota interna nueva');
    expect(page.text).toContain('name="comment.EMAIL"');
    // Everything on by default for email, except new comments.
    const fields = Object.fromEntries(
      ['submitted', 'authorized', 'rejected', 'approved', 'reassigned', 'started', 'finished', 'cancelled', 'note'].map(
        (k) => [`${k}.EMAIL`, 'on'],
      ),
    );
    expect((await postForm(agents.worker, '/cuenta/notificaciones', '/cuenta/notificaciones', fields)).status).toBe(
      303,
    );
    expect((await agents.worker.get('/cuenta/notificaciones')).text).not.toMatch(
      /name="comment\.EMAIL" value="on" checked/,
    );

    const id = await approvedRequest();
    expect((await comment('employee', id, { body: 'Gracias' })).status).toBe(302);
    expect(recipients(await delivered())).toEqual(['servicesHead']);
    // Notes still reach the worker.
    expect((await comment('servicesHead', id, { body: 'Ojo con el horario', internal: '1' })).status).toBe(302);
    expect(recipients(await delivered())).toEqual(['worker']);

    // The admin list names the kind.
    expect((await agents.admin.get('/admin/notificaciones')).text).toContain('Comentario nuevo');
  });
});

async function number(id: number): Promise<string> {
  const r = await db.prisma.request.findFirstOrThrow({
    where: { companyId: org.companyId, id },
    select: { number: true },
  });
  return `SOL-${String(r.number).padStart(6, '0')}`;
}
