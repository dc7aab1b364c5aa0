// The portal's two messages: the link that confirms a guest's request, and the link to a request's status page.
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { renderMail, type Mailer } from '../mail/index.js';
import { isLanguage, translator } from '../web/i18n.js';
import { formatNumber } from '../web/view-helpers.js';
import type { PortalCompany } from './queries.js';

interface MailDeps {
  config: Config;
  mailer: Mailer;
  logger: Logger;
}

async function send(
  deps: MailDeps,
  kind: 'confirm' | 'status',
  to: { address: string; lang: string; url: string; params: Record<string, string | number> },
): Promise<void> {
  const lang = isLanguage(to.lang) ? to.lang : 'es';
  const t = translator(lang);
  const k = (key: string) => t(`portal.mail.${kind}.${key}`, to.params);
  const message = await renderMail({
    to: to.address,
    subject: k('subject'),
    greeting: t('portal.mail.greeting', to.params),
    paragraphs: [k('intro'), k('expires')],
    action: k('action'),
    url: to.url,
    footer: t('mail.footer'),
    lang,
  });
  await deps.mailer.send(message);
}

/** The one-time link that confirms a guest's request (it enters the flow only then). */
export async function sendConfirmationLink(
  deps: MailDeps,
  company: PortalCompany,
  to: { to: string; name: string; lang: string; token: string },
): Promise<void> {
  await send(deps, 'confirm', {
    address: to.to,
    lang: to.lang,
    url: `${deps.config.appUrl}/p/${company.slug}/confirmar/${to.token}`,
    params: { name: to.name, company: company.name, hours: 24 },
  });
}

/** The link to a request's status page (number + address asked on the portal). */
export async function sendStatusLink(
  deps: MailDeps,
  company: PortalCompany,
  to: { to: string; number: number; lang: string; token: string },
): Promise<void> {
  await send(deps, 'status', {
    address: to.to,
    lang: to.lang,
    url: `${deps.config.appUrl}/p/${company.slug}/estado/${to.token}`,
    params: { name: '', company: company.name, number: formatNumber('SOL', to.number), hours: 24 },
  });
}
