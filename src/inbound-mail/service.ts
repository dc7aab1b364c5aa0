// Use cases of replies by email (issue 19): which address a message may go to (asked at RCPT time), and taking a
// message in — a reply becomes a comment of its token's person through the conversation's own use case, a message
// to a company's intake address becomes a guest request through the portal's. Every refusal is an AppError whose
// message the listener sends back as the SMTP answer.
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { loadActor } from '../auth/index.js';
import type { Config } from '../config.js';
import {
  addComment,
  incomingDirOf,
  type Attachments,
  type IncomingFile,
  type PreparedFile,
} from '../conversation/index.js';
import type { Db } from '../db/client.js';
import type { Mailer } from '../mail/index.js';
import { REPLY_LOCAL_PART, REPLY_TOKEN } from '../notifications/index.js';
import {
  guestRequestSchema,
  intakePortal,
  mailIntakeCategory,
  replyByMailAsGuest,
  submitGuestRequest,
  UNKNOWN_UNIT,
  type PortalCompany,
} from '../portal/index.js';
import { conversationAccess } from '../requests/index.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../web/errors.js';
import { claimMessage, releaseMessage, replyTarget, type ReplyTarget } from './queries.js';
import { stripQuoted } from './quotes.js';

export interface InboundDeps {
  db: Db;
  config: Config;
  logger: Logger;
  mailer: Mailer;
  clock: () => Date;
  attachments: Attachments;
}

/** What the listener read of a message (mailparser's result, reduced to what the use cases need). */
export interface InboundMail {
  /** The Message-ID header, else a digest of the raw message. */
  messageId: string;
  from: { address: string; name: string } | null;
  subject: string;
  text: string;
  attachments: { fileName: string; content: Buffer }[];
  /** An auto-reply, a bounce or list mail (Auto-Submitted, Precedence…): never a person's answer. */
  automatic: boolean;
}

export type Recipient =
  { kind: 'reply'; address: string; target: ReplyTarget } | { kind: 'intake'; address: string; company: PortalCompany };

/** A comment's limit on the pages (src/conversation/routes.ts); a longer reply is cut there. */
const COMMENT_MAX = 4000;
const DESCRIPTION_MAX = 4000;
const TITLE_MAX = 120;

/**
 * What an address names: `r+<token>@<domain>` a reply to a request, `<slug>@<domain>` the intake of the company
 * whose portal is on at that slug (and that has an intake approver: a request by mail has no unit, "No sé").
 * Anything else is refused: NotFoundError for an unknown address of the domain, ForbiddenError for another domain.
 */
export async function resolveRecipient(deps: Pick<InboundDeps, 'db' | 'config'>, raw: string): Promise<Recipient> {
  const address = raw.trim().toLowerCase();
  const at = address.lastIndexOf('@');
  const domain = deps.config.INBOUND_MAIL_DOMAIN;
  if (at < 1 || !domain || address.slice(at + 1) !== domain) throw new ForbiddenError('inbound.refused.relay');
  const local = address.slice(0, at);
  if (local.startsWith(`${REPLY_LOCAL_PART}+`)) {
    const token = local.slice(REPLY_LOCAL_PART.length + 1);
    const companyId = REPLY_TOKEN.exec(token)?.[1];
    const target = companyId ? await replyTarget(deps.db, Number(companyId), token) : null;
    if (!target) throw new NotFoundError('inbound.refused.unknownAddress');
    return { kind: 'reply', address, target };
  }
  const company = await intakePortal(deps, local);
  if (!company) throw new NotFoundError('inbound.refused.unknownIntake');
  if (company.intakeApproverId === null) throw new ForbiddenError('inbound.refused.noIntake');
  return { kind: 'intake', address, company };
}

/**
 * Takes a message in for one recipient, once per Message-ID and address ('duplicate' when it was taken before). A
 * refusal gives the claim back, so the sender may correct and send the same message again.
 */
export async function takeMessage(
  deps: InboundDeps,
  recipient: Recipient,
  mail: InboundMail,
  context: { ip: string },
): Promise<'taken' | 'duplicate'> {
  if (mail.automatic) throw new ForbiddenError('inbound.refused.automatic');
  const companyId = recipient.kind === 'reply' ? recipient.target.companyId : recipient.company.id;
  if (!(await claimMessage(deps.db, companyId, mail.messageId, recipient.address))) return 'duplicate';
  try {
    await withAttachments(deps, mail, (files) =>
      recipient.kind === 'reply'
        ? takeReply(deps, recipient.target, mail, files)
        : takeIntake(deps, recipient.company, mail, files, context),
    );
    return 'taken';
  } catch (err) {
    await releaseMessage(deps.db, companyId, mail.messageId, recipient.address);
    throw err;
  }
}

const sameAddress = (a: string | null | undefined, b: string | null | undefined) =>
  !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();

/** Control characters other than tab and line breaks (the pages refuse them; a mail's are dropped). */
const CONTROL = /(?![\t\n\r])\p{Cc}/gu;
const clean = (text: string, max: number) => text.replace(CONTROL, '').trim().slice(0, max).trim();

/**
 * A reply: from the token's person (else ForbiddenError), its own words (quoted history cut) and files; nothing of
 * either is refused as an empty message. The comment is added as the person through the same use case as the pages',
 * which decides whether they may still comment; a guest replies as on the portal's status page.
 */
async function takeReply(deps: InboundDeps, target: ReplyTarget, mail: InboundMail, files: PreparedFile[]) {
  if (!sameAddress(mail.from?.address, target.email)) throw new ForbiddenError('inbound.refused.wrongSender');
  const body = clean(stripQuoted(mail.text), COMMENT_MAX);
  if (!body && files.length === 0)
    throw new ValidationError({ body: 'inbound.refused.empty' }, 'inbound.refused.empty');
  try {
    if (target.isGuest) {
      await replyByMailAsGuest(deps, target.companyId, target.requestId, body, files);
      return;
    }
    const actor = await loadActor(deps.db, target.userId, { waiting: false, now: deps.clock() });
    if (!actor || actor.companyId !== target.companyId) throw new ForbiddenError('inbound.refused.mayNotComment');
    await addComment(
      { ...deps, visibleRequest: (a, id) => conversationAccess(deps.db, a, id) },
      actor,
      target.requestId,
      { body, internal: false },
      files,
    );
  } catch (err) {
    // The request is no longer theirs to see: to the sender, they may no longer comment on it.
    if (err instanceof NotFoundError) throw new ForbiddenError('inbound.refused.mayNotComment');
    throw err;
  }
}

/**
 * A message to a company's intake address: a guest request ("No sé" for the unit, the portal's first category that a
 * mail can answer) through the portal's use case, with its limits per address and IP and its confirmation link.
 */
async function takeIntake(
  deps: InboundDeps,
  company: PortalCompany,
  mail: InboundMail,
  files: PreparedFile[],
  context: { ip: string },
) {
  const category = await mailIntakeCategory(deps, company);
  if (!category) throw new ForbiddenError('inbound.refused.noIntakeCategory');
  const description = clean(stripQuoted(mail.text), DESCRIPTION_MAX);
  const subject = clean(mail.subject, TITLE_MAX);
  const sender = mail.from?.address ?? '';
  const parsed = guestRequestSchema.safeParse({
    name: clean(mail.from?.name || sender.split('@')[0] || '', 120),
    email: sender,
    phone: '',
    unitId: UNKNOWN_UNIT,
    serviceAreaId: String(category.serviceAreaId),
    categoryId: String(category.categoryId),
    title: subject.length >= 5 ? subject : clean(description.split('\n')[0] ?? '', TITLE_MAX),
    description,
    location: '',
    website: '',
  });
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? 'description');
    throw new ValidationError({ [field]: 'inbound.refused.invalidRequest' }, 'inbound.refused.invalidRequest', {
      field,
    });
  }
  const { website, ...input } = parsed.data;
  await submitGuestRequest(
    deps,
    company,
    { ...input, honeypot: website, fieldInput: {}, files },
    { ip: context.ip, lang: company.locale },
  );
}

/**
 * The message's attachments as checked files (the uploads' own checks: count, size, type from the bytes), written to
 * temporary files next to the uploads' and removed after `use` whatever happens (stored ones were moved already).
 */
async function withAttachments<T>(
  deps: InboundDeps,
  mail: InboundMail,
  use: (files: PreparedFile[]) => Promise<T>,
): Promise<T> {
  if (mail.attachments.length === 0) return use([]);
  const dir = incomingDirOf(deps.config.UPLOAD_DIR);
  await mkdir(dir, { recursive: true, mode: 0o750 });
  const incoming: IncomingFile[] = [];
  try {
    for (const a of mail.attachments) {
      const file = path.join(dir, randomBytes(16).toString('hex'));
      await writeFile(file, a.content, { mode: 0o640 });
      incoming.push({ originalname: a.fileName, path: file, size: a.content.length });
    }
    return await use(await deps.attachments.fromFiles(incoming));
  } finally {
    await Promise.allSettled(incoming.map((f) => rm(f.path, { force: true })));
  }
}
