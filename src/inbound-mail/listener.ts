// The SMTP listener of replies by email (smtp-server): what the routes are to the pages. It speaks SMTP only — reads
// the envelope and the message (mailparser), calls one use case per recipient, and answers every refusal with its
// code and a text in Spanish and English — and holds no business rule.
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { ParsedMail } from 'mailparser';
import type { Logger } from 'pino';
import type { SMTPServerSession } from 'smtp-server';
import type { Config } from '../config.js';
import { Attachments, LocalDiskStorage } from '../conversation/index.js';
import type { Db } from '../db/client.js';
import type { Mailer } from '../mail/index.js';
import { AppError } from '../web/errors.js';
import { translator } from '../web/i18n.js';
import { resolveRecipient, takeMessage, type InboundDeps, type InboundMail } from './service.js';

/** Recipients of one message (a reply goes to one; more is someone trying addresses). */
const MAX_RECIPIENTS = 10;

/** The SMTP answer of a refusal, by its error's code (enhanced status codes, RFC 3463). */
const ANSWER: Partial<Record<AppError['code'], [number, string]>> = {
  not_found: [550, '5.1.1'],
  forbidden: [550, '5.7.1'],
  validation: [550, '5.6.0'],
  too_many_requests: [451, '4.7.1'],
};

type SmtpError = Error & { responseCode: number };

function smtpError(responseCode: number, text: string): SmtpError {
  return Object.assign(new Error(text), { responseCode });
}

/** A refusal as SMTP answers it: code, enhanced code, the reason in Spanish / English. */
function refusal(err: AppError): SmtpError {
  const [code, enhanced] = ANSWER[err.code] ?? [550, '5.0.0'];
  const say = (lang: 'es' | 'en') => {
    const t = translator(lang);
    const field = err.fields && Object.keys(err.fields)[0];
    return t(err.messageKey, { ...err.params, ...(field ? { field: t(`inbound.fields.${field}`) } : {}) });
  };
  return smtpError(code, `${enhanced} ${say('es')} / ${say('en')}`);
}

/** Whether an auto-reply, a bounce or list mail sent it (RFC 3834 and the usual headers). */
function isAutomatic(parsed: ParsedMail): boolean {
  const header = (name: string) => String(parsed.headers.get(name) ?? '').toLowerCase();
  const auto = header('auto-submitted');
  return (
    (auto !== '' && auto !== 'no') ||
    parsed.headers.has('x-autoreply') ||
    parsed.headers.has('x-autorespond') ||
    /^(bulk|junk|list|auto_reply)$/.test(header('precedence'))
  );
}

/** The extension a content type implies, for an attachment sent without a name. */
const extensionOf = (contentType: string) =>
  ({ 'image/jpeg': 'jpg', 'image/png': 'png', 'application/pdf': 'pdf', 'text/plain': 'txt' })[contentType] ??
  contentType.split('/')[1]?.replace(/[^a-z0-9]/g, '') ??
  'bin';

/** What the use cases need of a parsed message; the images an HTML body shows inline (logos…) are not files. */
function readMail(parsed: ParsedMail, raw: Buffer): InboundMail {
  const from = parsed.from?.value[0];
  return {
    messageId: parsed.messageId?.trim() || `sha256:${createHash('sha256').update(raw).digest('hex')}`,
    from: from?.address ? { address: from.address, name: from.name ?? '' } : null,
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    attachments: parsed.attachments
      .filter((a) => !a.related)
      .map((a) => ({ fileName: a.filename || `adjunto.${extensionOf(a.contentType)}`, content: a.content })),
    automatic: isAutomatic(parsed),
  };
}

export interface InboundMailDeps {
  db: Db;
  config: Config;
  logger: Logger;
  mailer: Mailer;
  clock?: () => Date;
  /** Where to listen (tests: port 0); INBOUND_SMTP_PORT and INBOUND_SMTP_HOST by default. */
  port?: number;
  host?: string;
}

export interface InboundMailListener {
  port: number;
  close(): Promise<void>;
}

/** Starts the listener (server.ts does when INBOUND_SMTP_PORT and INBOUND_MAIL_DOMAIN are set). */
export async function startInboundMail(deps: InboundMailDeps): Promise<InboundMailListener> {
  // Loaded only where the listener runs: together they would add ~45 MB to every app process.
  const [{ SMTPServer }, { simpleParser }] = await Promise.all([import('smtp-server'), import('mailparser')]);
  const { config, logger } = deps;
  const maxBytes = Math.floor(config.INBOUND_MAX_MB * 1024 * 1024);
  const service: InboundDeps = {
    db: deps.db,
    config,
    logger,
    mailer: deps.mailer,
    clock: deps.clock ?? (() => new Date()),
    attachments: new Attachments(new LocalDiskStorage(config.UPLOAD_DIR), {
      maxBytes: Math.floor(config.UPLOAD_MAX_MB * 1024 * 1024),
      maxFiles: config.UPLOAD_MAX_FILES,
    }),
  };
  const answer = (err: unknown, what: string): SmtpError => {
    if (err instanceof AppError) return refusal(err);
    logger.error({ err }, `inbound mail: ${what} failed`);
    return smtpError(451, '4.3.0 Error temporal, intente más tarde / Temporary error, try again later');
  };

  const take = async (raw: Buffer, session: SMTPServerSession): Promise<string> => {
    const mail = readMail(await simpleParser(raw), raw);
    const outcomes: string[] = [];
    for (const rcpt of session.envelope.rcptTo) {
      const recipient = await resolveRecipient(service, rcpt.address);
      outcomes.push(await takeMessage(service, recipient, mail, { ip: session.remoteAddress }));
      logger.info({ kind: recipient.kind, outcome: outcomes.at(-1) }, 'inbound mail taken');
    }
    return outcomes.every((o) => o === 'duplicate')
      ? '2.0.0 Ya recibido / Already received'
      : '2.0.0 Recibido / Received';
  };

  const server = new SMTPServer({
    name: config.INBOUND_MAIL_DOMAIN ?? 'localhost',
    banner: 'Solicitudes: respuestas por correo / replies by email',
    size: maxBytes,
    authOptional: true,
    // Plain SMTP: put it behind the domain's MX relay or a TLS-terminating proxy (docs/portal.md).
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    maxClients: 50,
    socketTimeout: 60_000,
    onRcptTo(address, session, callback) {
      if (session.envelope.rcptTo.length >= MAX_RECIPIENTS)
        return callback(smtpError(452, '4.5.3 Demasiados destinatarios / Too many recipients'));
      resolveRecipient(service, address.address).then(
        () => callback(),
        (err: unknown) => callback(answer(err, 'recipient')),
      );
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => {
        if (!stream.sizeExceeded) chunks.push(c);
      });
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          const mb = config.INBOUND_MAX_MB;
          return callback(
            smtpError(552, `5.3.4 Mensaje demasiado grande (máx. ${mb} MB) / Message too big (max ${mb} MB)`),
          );
        }
        take(Buffer.concat(chunks), session).then(
          (text) => callback(null, text),
          (err: unknown) => callback(answer(err, 'message')),
        );
      });
    },
  });
  server.on('error', (err) => logger.error({ err }, 'inbound mail listener'));
  const port = deps.port ?? config.INBOUND_SMTP_PORT ?? 0;
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, deps.host ?? config.INBOUND_SMTP_HOST, () => resolve());
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
