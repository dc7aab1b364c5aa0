// Replies by email (issue 19), end to end: real PostgreSQL, the notification queue, a real SMTP server catching what
// the app sends, and the inbound listener on an ephemeral port receiving real mail sent with nodemailer. A reply to a
// notification's Reply-To becomes a comment (quoted history cut, files through the uploads' checks) when its sender
// is the address's person; mail to a company's intake address becomes a guest request confirmed by the same link;
// everything else is refused at SMTP time with a clear reason; tenancy holds.
import nodemailer from 'nodemailer';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import {
  inboundMailJobs,
  MESSAGE_MEMORY_DAYS,
  startInboundMail,
  TASK_FORGET_MESSAGES,
  type InboundMailListener,
} from '../../src/inbound-mail/index.js';
import { createLogger } from '../../src/logger.js';
import { createMailer } from '../../src/mail/index.js';
import { buildApp, testConfig } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { makeOrg, openPortal } from '../support/factories.js';
import { png } from '../support/files.js';
import { csrfFrom, postMultipart, signIn } from '../support/http.js';
import { runJobs } from '../support/notifications.js';
import { act, submitThroughForm } from '../support/requests.js';
import { linkIn, startSmtp, type ReceivedMail } from '../support/smtp.js';

const DOMAIN = 'respuestas.test';
let db: TestDatabase & { drop(): Promise<void> };
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let config: Config;
let env: Record<string, string>;
let inbound: InboundMailListener;
let seq = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  smtp = await startSmtp();
  env = { SMTP_URL: smtp.url, APP_URL: 'http://solicitudes.test', INBOUND_MAIL_DOMAIN: DOMAIN };
  config = testConfig(env);
  const logger = createLogger(config);
  inbound = await startInboundMail({ db: db.prisma, config, logger, mailer: createMailer(config, logger), port: 0 });
});
afterAll(async () => {
  await inbound.close();
  await smtp.close();
  await db.drop();
});

const app = () => buildApp(db, { ...env, UPLOAD_DIR: config.UPLOAD_DIR });

/** An organisation with its portal on at a slug of its own (the unit's head receives "No sé" requests). */
async function portalOrg() {
  const org = await makeOrg(db.prisma);
  return { ...org, slug: await openPortal(db.prisma, org.companyId, org.head.id, 'correo') };
}
type Org = Awaited<ReturnType<typeof portalOrg>>;

interface Outgoing {
  from: string;
  to: string;
  subject?: string;
  text?: string;
  messageId?: string;
  attachments?: { filename: string; content: Buffer }[];
  headers?: Record<string, string>;
}

/** Sends real mail to the listener: its answer, or the refusal (code and text). */
async function send(
  mail: Outgoing,
): Promise<{ ok: true; response: string } | { ok: false; code: number; text: string }> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: inbound.port,
    secure: false,
    ignoreTLS: true,
  });
  try {
    const info = await transport.sendMail({ subject: 'Re: su solicitud', text: '', ...mail });
    return { ok: true, response: info.response };
  } catch (err) {
    const e = err as { responseCode?: number; response?: string; message: string };
    return { ok: false, code: e.responseCode ?? 0, text: e.response ?? e.message };
  } finally {
    transport.close();
  }
}

/** The Reply-To of the newest mail to `address`. */
function replyToOf(mail: ReceivedMail): string {
  const m = /^Reply-To: (r\+\d+-[0-9a-f]{24}@[\w.-]+)/im.exec(mail.raw);
  if (!m) throw new Error(`no Reply-To in:\n${mail.raw.slice(0, 1500)}`);
  return m[1]!;
}

/** A request of the organisation's employee, its notifications sent; the employee's reply address. */
async function requestWithReplyAddress(org: Org) {
  const employee = await signIn(app(), org.employee.email);
  const id = await submitThroughForm(employee, org);
  const before = smtp.count(org.employee.email);
  await runJobs(db, config);
  const address = replyToOf(await smtp.lastTo(org.employee.email, before));
  return { id, address, employee };
}

const comments = (requestId: number) =>
  db.prisma.requestComment.findMany({ where: { requestId }, include: { attachments: true }, orderBy: { id: 'asc' } });

describe('a reply to a notification', () => {
  it('carries a Reply-To per request and person, and becomes their comment without the quoted history', async () => {
    const org = await portalOrg();
    const { id, address } = await requestWithReplyAddress(org);
    // The head was told too, with an address of their own for the same request.
    const headAddress = replyToOf(await smtp.lastTo(org.head.email));
    expect(headAddress).not.toBe(address);
    const quoted = [
      'Sigue goteando, gracias.',
      '',
      'El lun, 1 dic 2026 a las 10:15, Solicitudes <no-responder@localhost> escribió:',
      '> Hola, Empleado Uno:',
      '> Su solicitud fue recibida.',
    ].join('\n');
    const sent = await send({ from: `Empleado <${org.employee.email.toUpperCase()}>`, to: address, text: quoted });
    expect(sent.ok, JSON.stringify(sent)).toBe(true);
    const [c] = await comments(id);
    expect(c).toMatchObject({ authorId: org.employee.id, body: 'Sigue goteando, gracias.', internal: false });
    // Notified as any comment: the head hears of it.
    const before = smtp.count(org.head.email);
    await runJobs(db, config);
    expect((await smtp.lastTo(org.head.email, before)).text).toContain('Sigue goteando, gracias.');
    // An internal note's email has no reply address: a reply by email is always a public comment.
    const admin = await signIn(app(), org.admin.email);
    const note = { body: 'Solo para el área.', internal: '1' };
    expect((await postMultipart(admin, `/solicitudes/${id}`, `/solicitudes/${id}/comentarios`, note)).status).toBe(302);
    const notes = smtp.count(org.servicesHead.email);
    await runJobs(db, config);
    const noted = await smtp.lastTo(org.servicesHead.email, notes);
    expect(noted.text).toContain('Solo para el área.');
    expect(noted.raw).not.toMatch(/^Reply-To:/im);
  });

  it('stores its attachments, and refuses a disallowed type with the reason', async () => {
    const org = await portalOrg();
    const { id, address } = await requestWithReplyAddress(org);
    const ok = await send({
      from: org.employee.email,
      to: address,
      text: 'Adjunto la foto.',
      attachments: [{ filename: 'foto.png', content: png() }],
    });
    expect(ok.ok, JSON.stringify(ok)).toBe(true);
    const [c] = await comments(id);
    expect(c!.body).toBe('Adjunto la foto.');
    expect(c!.attachments).toMatchObject([{ fileName: 'foto.png', mimeType: 'image/png', requestId: id }]);

    const refused = await send({
      from: org.employee.email,
      to: address,
      text: 'Y esta página.',
      attachments: [{ filename: 'pagina.html', content: Buffer.from('<html><script>alert(1)</script></html>') }],
    });
    expect(refused).toMatchObject({ ok: false, code: 550 });
    expect((refused as { text: string }).text).toMatch(/5\.6\.0 .*pagina\.html/);
    expect(await comments(id)).toHaveLength(1);
  });

  it('is refused when its sender is not the address’s person, or when nothing of its own is left', async () => {
    const org = await portalOrg();
    const { id, address } = await requestWithReplyAddress(org);
    const wrong = await send({ from: org.head.email, to: address, text: 'Soy otra persona.' });
    expect(wrong).toMatchObject({ ok: false, code: 550 });
    expect((wrong as { text: string }).text).toContain('5.7.1 El remitente no es la persona');
    const empty = await send({ from: org.employee.email, to: address, text: '> solo lo citado\n> nada más' });
    expect(empty).toMatchObject({ ok: false, code: 550 });
    expect((empty as { text: string }).text).toContain('Mensaje vacío');
    const automatic = await send({
      from: org.employee.email,
      to: address,
      text: 'Estoy fuera de la oficina.',
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    expect(automatic).toMatchObject({ ok: false, code: 550 });
    expect(await comments(id)).toHaveLength(0);
  });

  it('is refused when the person may no longer comment', async () => {
    const org = await portalOrg();
    const { id, address } = await requestWithReplyAddress(org);
    await db.prisma.user.update({ where: { id: org.employee.id }, data: { active: false } });
    const sent = await send({ from: org.employee.email, to: address, text: 'Hola de nuevo.' });
    expect(sent).toMatchObject({ ok: false, code: 550 });
    expect((sent as { text: string }).text).toContain('Ya no puede comentar en esta solicitud');
    expect(await comments(id)).toHaveLength(0);
  });

  it('is taken once when the same Message-ID arrives twice', async () => {
    const org = await portalOrg();
    const { id, address } = await requestWithReplyAddress(org);
    const mail = {
      from: org.employee.email,
      to: address,
      text: 'Una sola vez.',
      messageId: `<dup-${seq}@cliente.test>`,
    };
    expect((await send(mail)).ok).toBe(true);
    const again = await send(mail);
    expect(again.ok).toBe(true);
    expect(await comments(id)).toHaveLength(1);
    // The nightly clean-up forgets Message-IDs after 30 days, not before.
    const kept = { companyId: org.companyId, messageId: mail.messageId };
    const forget = (days: number) => {
      const clock = () => new Date(Date.now() + days * 86_400_000);
      return inboundMailJobs({ db: db.prisma, clock }).tasks![TASK_FORGET_MESSAGES]!({}, {} as never);
    };
    await forget(MESSAGE_MEMORY_DAYS - 1);
    expect(await db.prisma.inboundMessage.count({ where: kept })).toBe(1);
    await forget(MESSAGE_MEMORY_DAYS + 1);
    expect(await db.prisma.inboundMessage.count({ where: kept })).toBe(0);
  });
});

describe('addresses refused at RCPT time', () => {
  it('an unknown token, an unknown or closed intake address, another domain', async () => {
    const org = await portalOrg();
    for (const token of [`${org.companyId}-${'0'.repeat(24)}`, '0'.repeat(24), `${org.companyId}-zz`]) {
      const unknown = await send({ from: org.employee.email, to: `r+${token}@${DOMAIN}`, text: 'Hola' });
      expect(unknown).toMatchObject({ ok: false, code: 550 });
      expect((unknown as { text: string }).text).toContain('5.1.1 Dirección de respuesta desconocida o vencida');
    }
    const slug = await send({ from: 'x@correo.test', to: `no-existe-${seq}@${DOMAIN}`, text: 'Hola' });
    expect(slug).toMatchObject({ ok: false, code: 550 });
    await db.prisma.company.update({ where: { id: org.companyId }, data: { portalEnabled: false } });
    const closed = await send({ from: 'x@correo.test', to: `${org.slug}@${DOMAIN}`, text: 'Hola' });
    expect(closed).toMatchObject({ ok: false, code: 550 });
    const relay = await send({ from: 'x@correo.test', to: 'alguien@otro-dominio.test', text: 'Hola' });
    expect(relay).toMatchObject({ ok: false, code: 550 });
    expect((relay as { text: string }).text).toContain('Relaying denied');
    expect(await db.prisma.portalSubmission.count({ where: { companyId: org.companyId } })).toBe(0);
  });
});

describe('the size limit', () => {
  it('refuses a message over INBOUND_MAX_MB', async () => {
    const org = await portalOrg();
    const { id, address } = await requestWithReplyAddress(org);
    const small = testConfig({ ...env, INBOUND_MAX_MB: '0.05' });
    const logger = createLogger(small);
    const listener = await startInboundMail({
      db: db.prisma,
      config: small,
      logger,
      mailer: createMailer(small, logger),
    });
    try {
      const transport = nodemailer.createTransport({ port: listener.port, secure: false, ignoreTLS: true });
      const big = transport.sendMail({
        from: org.employee.email,
        to: address,
        subject: 'Re: grande',
        text: 'Adjunto.',
        attachments: [
          { filename: 'grande.png', content: png(400, 400, [1, 2, 3]) },
          { filename: 'x.txt', content: 'a'.repeat(80_000) },
        ],
      });
      await expect(big).rejects.toMatchObject({ responseCode: 552 });
      transport.close();
    } finally {
      await listener.close();
    }
    expect(await comments(id)).toHaveLength(0);
  });
});

describe('tenancy', () => {
  it("another company's person cannot use a token, and an intake address files only in its own company", async () => {
    const a = await portalOrg();
    const b = await portalOrg();
    const { id, address } = await requestWithReplyAddress(a);
    const sent = await send({ from: b.employee.email, to: address, text: 'Desde la otra empresa.' });
    expect(sent).toMatchObject({ ok: false, code: 550 });
    expect(await comments(id)).toHaveLength(0);
    expect(await db.prisma.requestComment.count({ where: { companyId: b.companyId } })).toBe(0);
    // The same token under the other company's id names nothing there.
    const forged = address.replace(`r+${a.companyId}-`, `r+${b.companyId}-`);
    const moved = await send({ from: b.employee.email, to: forged, text: 'Con el id de la otra empresa.' });
    expect(moved).toMatchObject({ ok: false, code: 550 });
    expect(await db.prisma.requestComment.count({ where: { companyId: b.companyId } })).toBe(0);
    const intake = await send({
      from: b.employee.email,
      to: `${a.slug}@${DOMAIN}`,
      subject: 'Pedido a la empresa A',
      text: 'Esto va a la empresa A y solo a ella.',
    });
    expect(intake.ok, JSON.stringify(intake)).toBe(true);
    expect(await db.prisma.portalSubmission.count({ where: { companyId: a.companyId } })).toBe(1);
    expect(await db.prisma.portalSubmission.count({ where: { companyId: b.companyId } })).toBe(0);
  });
});

describe("mail to a company's intake address", () => {
  it('becomes a guest request confirmed by its emailed link; the guest then hears of it and replies', async () => {
    const org = await portalOrg();
    const guest = `visitante${++seq}@correo.test`;
    const sent = await send({
      from: `Ana Visitante <${guest}>`,
      to: `${org.slug}@${DOMAIN}`,
      subject: 'Gotera en la sala de espera',
      text: 'Cae agua del techo junto a la ventana.\n\n-- \nAna',
      attachments: [{ filename: 'gotera.png', content: png() }],
    });
    expect(sent.ok, JSON.stringify(sent)).toBe(true);
    expect(await db.prisma.request.count({ where: { companyId: org.companyId } })).toBe(0);
    const link = linkIn(await smtp.lastTo(guest), `/p/${org.slug}/confirmar/`);
    // The link's page confirms nothing (a mail client's scanner opens it); its button does.
    const agent = request.agent(app());
    const page = await agent.get(link).expect(200);
    expect(await db.prisma.request.count({ where: { companyId: org.companyId } })).toBe(0);
    const confirmed = await agent
      .post(link)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    expect(confirmed.text).toContain('data-portal-notice="confirmed"');
    const req = await db.prisma.request.findFirstOrThrow({
      where: { companyId: org.companyId },
      include: { requester: true, attachments: true },
    });
    expect(req).toMatchObject({
      status: 'PENDING',
      title: 'Gotera en la sala de espera',
      description: 'Cae agua del techo junto a la ventana.',
      guestName: 'Ana Visitante',
      guestEmail: guest,
      categoryId: org.category.id,
      requesterUnitId: org.unit.id,
    });
    expect(req.requester.isPortalGuest).toBe(true);
    expect(req.attachments).toHaveLength(1);

    // The guest hears of its progress by email, with a status-page link and a reply address of their own.
    let before = smtp.count(guest);
    await runJobs(db, config);
    const head = await signIn(app(), org.head.email);
    expect((await act(head, req.id, 'authorize')).status).toBe(302);
    await runJobs(db, config);
    expect(smtp.count(guest) - before).toBe(2);
    const authorized = await smtp.lastTo(guest);
    expect(authorized.text).toContain('Ana Visitante');
    const status = linkIn(authorized, `/p/${org.slug}/estado/`);
    expect((await request(app()).get(status)).status).toBe(200);
    const address = replyToOf(authorized);

    // Their reply is a comment of the request, by its guest.
    expect((await send({ from: guest, to: address, text: '¡Gracias!\n\nOn Mon wrote:\n> x' })).ok).toBe(true);
    const [c] = await comments(req.id);
    expect(c).toMatchObject({ authorId: req.requesterId, body: '¡Gracias!' });
    before = smtp.count(guest);
    // A comment of the services head reaches the guest.
    const services = await signIn(app(), org.servicesHead.email);
    const commented = await postMultipart(services, `/solicitudes/${req.id}`, `/solicitudes/${req.id}/comentarios`, {
      body: 'Mañana vamos.',
    });
    expect(commented.status).toBe(302);
    await runJobs(db, config);
    expect((await smtp.lastTo(guest, before)).text).toContain('Mañana vamos.');
  });
});
