// What each notification says, per event kind and recipient role, in the recipient's
// language: an email (HTML and text, through the shared mail layout), a short text for
// SMS / Twilio WhatsApp, and a named template with parameters for Meta's WhatsApp.
import { renderMail } from '../mail/index.js';
import type { MailMessage } from '../mail/index.js';
import { isLanguage, translator, type Language } from '../web/i18n.js';
import { isCommentKind, type NotificationKind, type RecipientRole } from './events.js';

/** Facts frozen into the notification row when the event is fanned out. */
export interface MessageParams {
  number: string;
  title: string;
  actor: string;
  requester: string;
  recipient: string;
  /** Reason, instructions or resolution note, depending on the event. */
  comment: string;
  ticket: string;
  worker: string;
  url: string;
  /** A finish: the survey the requester is asked to answer (its signed link is made when the mail is composed). */
  survey?: { requestId: number; round: number; days: number };
}

export interface MessageKey {
  kind: NotificationKind;
  role: RecipientRole;
  lang: string;
}

const lang = (l: string): Language => (isLanguage(l) ? l : 'es');

function texts({ kind, role, lang: l }: MessageKey, params: MessageParams) {
  const t = translator(lang(l));
  // Lifecycle texts depend on why the person hears of the event; a comment's or a note's do not; a follower gets
  // one text naming what happened.
  const base = isCommentKind(kind)
    ? `notifications.messages.${kind}`
    : role === 'follower'
      ? 'followers.messages'
      : `notifications.messages.${kind}.${role}`;
  const what = role === 'follower' ? t(`notifications.kinds.${kind}`) : '';
  const k = (part: string) => t(`${base}.${part}`, { ...params, what });
  return { t, subject: k('subject'), happened: k('happened'), expected: k('expected') };
}

export async function composeEmail(
  key: MessageKey,
  params: MessageParams,
  to: string,
  messageId: string,
  preferencesUrl: string,
  surveyUrl: string | null = null,
): Promise<MailMessage> {
  const { t, subject, happened, expected } = texts(key, params);
  const paragraphs = [
    happened,
    ...(params.comment ? [t(`notifications.commentLabel.${key.kind}`, { comment: params.comment })] : []),
    surveyUrl ? t('satisfaction.mail.question', { days: params.survey?.days }) : expected,
  ];
  const mail = await renderMail({
    to,
    subject,
    greeting: t('notifications.greeting', { name: params.recipient }),
    paragraphs: paragraphs.filter((p) => p !== ''),
    action: t('notifications.action', { number: params.number }),
    url: params.url,
    footer: t('notifications.footer', { url: preferencesUrl }),
    lang: lang(key.lang),
    ...(surveyUrl ? { secondary: { label: t('satisfaction.mail.link'), url: surveyUrl } } : {}),
  });
  return { ...mail, messageId };
}

/** One short line for SMS and Twilio WhatsApp: what happened and the link. */
export function composeShortText(key: MessageKey, params: MessageParams): string {
  const { t, subject } = texts(key, params);
  return t('notifications.short', { subject, url: params.url });
}

/** The language codes Meta names template translations by. */
const WHATSAPP_LANGUAGE: Record<Language, string> = { es: 'es', en: 'en', 'pt-BR': 'pt_BR' };

/**
 * Meta WhatsApp templates: one approved template per event kind and role, named
 * `solicitudes_<kind>_<role>` (comments and internal notes: `solicitudes_comment`,
 * `solicitudes_note`, whatever the role), whose body takes four parameters in this order:
 * {{1}} request number, {{2}} title, {{3}} the detail (reason, instructions, worker…), {{4}} link.
 */
export function whatsappTemplate(key: MessageKey, params: MessageParams) {
  const snake = key.role.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  const detail = params.comment || params.worker || params.actor || '-';
  return {
    template: isCommentKind(key.kind) ? `solicitudes_${key.kind}` : `solicitudes_${key.kind}_${snake}`,
    language: WHATSAPP_LANGUAGE[lang(key.lang)],
    parameters: [params.number, params.title, detail.slice(0, 900), params.url],
  };
}
