import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { Config } from '../config.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** A stable Message-ID (e.g. one per notification), so a resend is recognisable as the same message. */
  messageId?: string;
  /** Where a reply goes (a request's notification: its reply address, src/inbound-mail). */
  replyTo?: string;
}

export interface StoredMail extends MailMessage {
  id: string;
  from: string;
  date: string;
}

export interface Mailer {
  /** Where messages go: an SMTP server, or files under DATA_DIR/mail. */
  readonly kind: 'smtp' | 'file';
  send(message: MailMessage): Promise<void>;
}

export const mailDir = (config: Config) => path.join(config.DATA_DIR, 'mail');

/** nodemailer over SMTP when SMTP_URL is set; otherwise each message is written to DATA_DIR/mail as JSON. */
export function createMailer(config: Config, logger: Logger): Mailer {
  if (config.SMTP_URL) {
    const transport = nodemailer.createTransport(config.SMTP_URL);
    return {
      kind: 'smtp',
      async send(message) {
        await transport.sendMail({ from: config.MAIL_FROM, ...message });
        logger.info({ to: message.to, subject: message.subject }, 'mail sent');
      },
    };
  }
  const dir = mailDir(config);
  return {
    kind: 'file',
    async send(message) {
      await mkdir(dir, { recursive: true });
      const date = new Date();
      const id = `${date.getTime()}-${randomBytes(4).toString('hex')}`;
      const stored: StoredMail = { id, from: config.MAIL_FROM, date: date.toISOString(), ...message };
      await writeFile(path.join(dir, `${id}.json`), JSON.stringify(stored, null, 2), { mode: 0o600 });
      logger.info({ to: message.to, subject: message.subject, file: `${id}.json` }, 'mail written to disk');
    },
  };
}

const ID = /^\d+-[0-9a-f]{8}$/;

/** The newest messages written by the file mailer (newest first). */
export async function listStoredMail(config: Config, limit = 100): Promise<StoredMail[]> {
  let files: string[];
  try {
    files = (await readdir(mailDir(config)))
      .filter((f) => ID.test(f.replace(/\.json$/, '')))
      .sort()
      .reverse()
      .slice(0, limit);
  } catch {
    return [];
  }
  return Promise.all(
    files.map(async (f) => JSON.parse(await readFile(path.join(mailDir(config), f), 'utf8')) as StoredMail),
  );
}

export async function readStoredMail(config: Config, id: string): Promise<StoredMail | null> {
  if (!ID.test(id)) return null;
  try {
    return JSON.parse(await readFile(path.join(mailDir(config), `${id}.json`), 'utf8')) as StoredMail;
  } catch {
    return null;
  }
}
