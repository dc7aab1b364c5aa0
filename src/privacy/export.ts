// The whole company as one zip (people, units, categories, requests with every step, comments — CSV and JSON — and
// the attachments), built by a background job that reports its progress; the requester is mailed a link that expires.
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify/sync';
import type { Logger } from 'pino';
import { auditActor, recordAudit } from '../audit/index.js';
import type { Actor } from '../auth/index.js';
import type { Config } from '../config.js';
import { LocalDiskStorage } from '../conversation/index.js';
import type { Db } from '../db/client.js';
import { renderMail, type Mailer } from '../mail/index.js';
import { safeCsvCell, type CsvCell } from '../web/csv.js';
import { NotFoundError } from '../web/errors.js';
import { isLanguage, translator } from '../web/i18n.js';
import { paginated } from '../web/pagination.js';
import { exportPath, newExportKey } from './files.js';
import {
  countExports,
  countRequests,
  enqueueJob,
  exportCategories,
  exportOwner,
  exportPeople,
  exportsPage,
  exportUnits,
  findExport,
  findExportByToken,
  insertExport,
  requestBatch,
  updateExport,
} from './queries.js';

export const TASK_EXPORT = 'privacy_export';
const BATCH = 200;

export interface ExportDeps {
  db: Db;
  config: Config;
  clock: () => Date;
}

export interface ExportJobDeps extends ExportDeps {
  mailer: Mailer;
  logger: Logger;
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/** Queues an export of the actor's company; audited. Returns its id. */
export async function requestCompanyExport(deps: ExportDeps, actor: Actor): Promise<number> {
  return deps.db.$transaction(async (tx) => {
    const id = await insertExport(tx, { companyId: actor.companyId, userId: actor.id });
    await enqueueJob(tx, TASK_EXPORT, { companyId: actor.companyId, exportId: id });
    await recordAudit(tx, actor.companyId, auditActor(actor), {
      action: 'privacy.exportRequested',
      entityType: 'company',
      entityId: actor.companyId,
      summary: actor.companyName,
    });
    return id;
  });
}

export function listCompanyExports(deps: Pick<ExportDeps, 'db'>, actor: Actor, input: { page: number }) {
  return paginated(
    input.page,
    () => countExports(deps.db, actor.companyId),
    (w) => exportsPage(deps.db, actor.companyId, w),
  );
}

/** The state of one export of the actor's company (another company's id is a 404). */
export async function exportStatus(deps: Pick<ExportDeps, 'db'>, actor: Actor, input: { id: number }) {
  const found = await findExport(deps.db, actor.companyId, input.id);
  if (!found) throw new NotFoundError();
  return found;
}

/** The file of an emailed link, for an admin of the same company while the link lasts; else 404 / 410. */
export async function openExportDownload(deps: ExportDeps, actor: Actor, input: { token: string }) {
  const found = await findExportByToken(deps.db, actor.companyId, tokenHash(input.token));
  if (!found || found.status !== 'READY' || !found.fileKey) throw new NotFoundError();
  if (!found.expiresAt || found.expiresAt <= deps.clock()) throw new NotFoundError('privacy.linkExpired');
  return {
    path: exportPath(deps.config, found.fileKey),
    fileName: `exportacion-${found.createdAt.toISOString().slice(0, 10)}.zip`,
  };
}

function csv(rows: Record<string, unknown>[]): string {
  if (!rows.length) return '';
  const columns = Object.keys(rows[0]!);
  const cell = (v: unknown): CsvCell =>
    v === null || v === undefined
      ? null
      : v instanceof Date
        ? v.toISOString()
        : typeof v === 'number'
          ? v
          : typeof v === 'object'
            ? JSON.stringify(v)
            : String(v);
  return stringify(
    rows.map((r) => columns.map((c) => safeCsvCell(cell(r[c])))),
    { header: true, columns, bom: true },
  );
}

/** A name safe inside the zip (no folders, no control characters). */
const zipName = (name: string) => name.replace(/[/\\\p{Cc}]+/gu, '_').slice(0, 150) || 'archivo';

/** The background job: writes the zip, updating the progress as the requests go, then mails the link. */
export async function buildCompanyExport(
  deps: ExportJobDeps,
  payload: { companyId: number; exportId: number },
): Promise<void> {
  const { db, config } = deps;
  const { companyId, exportId } = payload;
  const owner = await exportOwner(db, companyId, exportId);
  if (!owner) return; // the company (or the export) was deleted meanwhile
  const key = newExportKey(companyId);
  const file = exportPath(config, key);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o750 });
  await updateExport(db, companyId, exportId, { status: 'RUNNING', progress: 0 });
  try {
    const out = createWriteStream(file, { mode: 0o640 });
    // Loaded when an export runs, not in every process at start (~20 MB).
    const { ZipArchive } = await import('archiver');
    const zip = new ZipArchive({ zlib: { level: 6 } });
    const failed = new Promise<never>((_, reject) => zip.on('error', reject));
    failed.catch(() => undefined);
    zip.pipe(out);
    // Attachments are streamed one at a time: the next file is opened once every earlier entry is written.
    let appended = 0;
    let written = 0;
    zip.on('entry', () => written++);
    const append = (source: Parameters<typeof zip.append>[0], name: string) => {
      appended++;
      zip.append(source, { name });
    };
    const drain = async () => {
      while (written < appended) await Promise.race([once(zip, 'entry'), failed]);
    };
    const both = (name: string, rows: Record<string, unknown>[]) => {
      append(JSON.stringify(rows, null, 2), `${name}.json`);
      append(csv(rows), `${name}.csv`);
    };
    both('personas', await exportPeople(db, companyId));
    both('unidades', await exportUnits(db, companyId));
    both('categorias', await exportCategories(db, companyId));

    const storage = new LocalDiskStorage(config.UPLOAD_DIR);
    const total = await countRequests(db, companyId);
    const requests: Record<string, unknown>[] = [];
    const steps: Record<string, unknown>[] = [];
    const comments: Record<string, unknown>[] = [];
    const files: Record<string, unknown>[] = [];
    let afterId = 0;
    for (;;) {
      const batch = await requestBatch(db, companyId, afterId, BATCH);
      if (!batch.length) break;
      for (const r of batch) {
        const { events, comments: cs, attachments, ...fields } = r;
        requests.push({ ...fields, steps: events, comments: cs, attachments: attachments.map((a) => a.fileName) });
        for (const e of events) steps.push({ requestNumber: r.number, ...e });
        for (const c of cs) comments.push({ requestNumber: r.number, ...c });
        for (const a of attachments) {
          const name = `adjuntos/${r.number}/${a.id}-${zipName(a.fileName)}`;
          const { storageKey, ...meta } = a;
          files.push({ requestNumber: r.number, ...meta, path: name });
          const opened = await storage.open(storageKey);
          if (opened) {
            await drain();
            append(opened.stream, name);
          }
        }
      }
      afterId = batch[batch.length - 1]!.id;
      const progress = total ? Math.min(99, Math.round((requests.length / total) * 100)) : 99;
      await updateExport(db, companyId, exportId, { progress });
    }
    append(JSON.stringify(requests, null, 2), 'solicitudes.json');
    append(csv(requests.map(({ steps: _s, comments: _c, attachments: _a, ...r }) => r)), 'solicitudes.csv');
    both('pasos', steps);
    both('comentarios', comments);
    both('adjuntos', files);
    await Promise.race([zip.finalize(), failed]);
    await finished(out);
  } catch (err) {
    await rm(file, { force: true });
    await updateExport(db, companyId, exportId, { status: 'FAILED', finishedAt: deps.clock() });
    throw err;
  }

  const token = randomBytes(32).toString('base64url');
  const now = deps.clock();
  const expiresAt = new Date(now.getTime() + config.EXPORT_LINK_HOURS * 3600_000);
  await db.$transaction(async (tx) => {
    await updateExport(tx, companyId, exportId, {
      status: 'READY',
      progress: 100,
      fileKey: key,
      tokenHash: tokenHash(token),
      expiresAt,
      finishedAt: now,
    });
    await recordAudit(tx, companyId, auditActor(owner.requestedBy), {
      action: 'privacy.exportReady',
      entityType: 'company',
      entityId: companyId,
      summary: owner.company.name,
    });
  });
  const lang = owner.requestedBy.locale ?? owner.company.locale;
  const t = translator(isLanguage(lang) ? lang : 'es');
  const params = { name: owner.requestedBy.name, company: owner.company.name, hours: config.EXPORT_LINK_HOURS };
  try {
    await deps.mailer.send(
      await renderMail({
        to: owner.requestedBy.email,
        subject: t('privacy.mail.subject', params),
        greeting: t('privacy.mail.greeting', params),
        paragraphs: [t('privacy.mail.intro', params), t('privacy.mail.expires', params)],
        action: t('privacy.mail.action'),
        url: `${config.appUrl}/admin/privacidad/descarga/${token}`,
        footer: t('privacy.mail.footer'),
        lang: isLanguage(lang) ? lang : 'es',
      }),
    );
  } catch (err) {
    deps.logger.error({ err, companyId, exportId }, 'could not mail the export link');
  }
}
