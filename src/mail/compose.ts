import path from 'node:path';
import ejs from 'ejs';
import { isLanguage, translator } from '../web/i18n.js';
import { projectRoot } from '../paths.js';
import type { MailMessage } from './mailer.js';

export type MailKind = 'verify' | 'invitation' | 'reset' | 'unlock' | 'existingAccount';

export interface MailInput {
  kind: MailKind;
  to: string;
  /** The recipient's language (else Spanish). */
  lang: string | null | undefined;
  url: string;
  params: Record<string, string | number>;
}

const template = path.join(projectRoot, 'views', 'mail', 'message.ejs');

/** One message with an action link, in HTML and plain text, in the recipient's language. */
export async function composeMail({ kind, to, lang, url, params }: MailInput): Promise<MailMessage> {
  const t = translator(isLanguage(lang) ? lang : 'es');
  const k = (key: string) => t(`mail.${kind}.${key}`, params);
  const paragraphs = [k('intro'), k('expires')];
  const subject = k('subject');
  const greeting = t('mail.greeting', params);
  const action = k('action');
  const footer = t('mail.footer');
  return renderMail({ to, subject, greeting, paragraphs, action, url, footer, lang: isLanguage(lang) ? lang : 'es' });
}

export interface MailParts {
  to: string;
  subject: string;
  greeting: string;
  paragraphs: string[];
  action: string;
  url: string;
  footer: string;
  lang: string;
  /** A second link after the action (e.g. the satisfaction survey of a finished request). */
  secondary?: { label: string; url: string };
}

/** The shared layout of every message: greeting, paragraphs, one action link (and maybe a second), footer. */
export async function renderMail({
  to,
  subject,
  greeting,
  paragraphs,
  action,
  url,
  footer,
  lang,
  secondary,
}: MailParts): Promise<MailMessage> {
  const links = [`${action}: ${url}`, ...(secondary ? ['', `${secondary.label}: ${secondary.url}`] : [])];
  const text = [greeting, '', ...paragraphs.flatMap((p) => [p, '']), ...links, '', footer, ''].join('\n');
  const html = await ejs.renderFile(template, { subject, greeting, paragraphs, action, url, footer, lang, secondary });
  return { to, subject, text, html };
}
