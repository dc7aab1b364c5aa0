import { parse } from 'csv-parse/sync';
import { Router, type Request, type Response } from 'express';
import { recipientSelect, sendAccountLink, toRecipient, type AccountLinkDeps } from '../../accounts/links.js';
import { toE164 } from '../../accounts/phone.js';
import { actorOf } from '../../auth/guards.js';
import { recordAudit } from '../../audit/record.js';
import type { Db } from '../../db/client.js';
import { emailField, nameField } from '../../web/fields.js';
import { flash } from '../../web/flash.js';
import { auditActor } from './common.js';

export const MAX_IMPORT_ROWS = 500;
const ROLES = {
  empleado: 'employee',
  employee: 'employee',
  jefe: 'head',
  head: 'head',
  trabajador: 'worker',
  worker: 'worker',
  administrador: 'admin',
  admin: 'admin',
} as const;
type Role = (typeof ROLES)[keyof typeof ROLES];
const HEADERS: Record<string, 'name' | 'email' | 'unit' | 'role' | 'phone'> = {
  nombre: 'name',
  name: 'name',
  correo: 'email',
  email: 'email',
  'correo electrónico': 'email',
  unidad: 'unit',
  unit: 'unit',
  rol: 'role',
  role: 'role',
  roles: 'role',
  telefono: 'phone',
  teléfono: 'phone',
  phone: 'phone',
};

export interface ImportRow {
  line: number;
  name: string;
  email: string;
  unit: string;
  role: string;
  phone: string;
  errors: string[];
  parsed?: { name: string; email: string; unitId: number; roles: Set<Role>; phone: string | null };
}

export interface ImportCheck {
  /** Problems with the file as a whole (no rows, wrong header, too many rows). */
  fileErrors: string[];
  rows: ImportRow[];
  valid: boolean;
}

/** Parses and checks every row against this company's units and all existing accounts; nothing is written. */
export async function checkImport(db: Db, req: Request, csv: string): Promise<ImportCheck> {
  const t = req.t;
  const { companyId } = actorOf(req);
  let records: string[][];
  try {
    records = parse(csv.replace(/^\uFEFF/, ''), {
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
      delimiter: csv.split('\n')[0]!.includes(';') && !csv.split('\n')[0]!.includes(',') ? ';' : ',',
    });
  } catch (err) {
    return { fileErrors: [t('admin.import.unreadable', { detail: (err as Error).message })], rows: [], valid: false };
  }
  const [header, ...data] = records;
  const columns = (header ?? []).map((h) => HEADERS[h.toLowerCase()] ?? null);
  const missing = (['name', 'email', 'unit'] as const).filter((c) => !columns.includes(c));
  if (!header || missing.length) return { fileErrors: [t('admin.import.badHeader')], rows: [], valid: false };
  if (!data.length) return { fileErrors: [t('admin.import.noRows')], rows: [], valid: false };
  if (data.length > MAX_IMPORT_ROWS)
    return { fileErrors: [t('admin.import.tooMany', { max: MAX_IMPORT_ROWS })], rows: [], valid: false };

  const [company, units] = await Promise.all([
    db.company.findUniqueOrThrow({ where: { id: companyId }, select: { country: true } }),
    db.unit.findMany({ where: { companyId }, select: { id: true, name: true, kind: true }, take: 1000 }),
  ]);
  const unitByName = new Map(units.map((u) => [u.name.trim().toLowerCase(), u]));
  const rows: ImportRow[] = data.map((cells, i) => {
    const get = (c: string) => cells[columns.indexOf(c as never)] ?? '';
    return {
      line: i + 2,
      name: get('name'),
      email: get('email'),
      unit: get('unit'),
      role: get('role'),
      phone: get('phone'),
      errors: [],
    };
  });
  const emails = rows.map((r) => r.email.trim().toLowerCase());
  const taken = new Set(
    (await db.user.findMany({ where: { email: { in: emails } }, select: { email: true } })).map((u) => u.email),
  );
  const seen = new Map<string, number>();
  const headClaims = new Map<number, number>();
  for (const row of rows) {
    const name = nameField.safeParse(row.name);
    if (!name.success) row.errors.push(`${t('admin.import.col.name')}: ${t(name.error.issues[0]!.message)}`);
    const email = emailField.safeParse(row.email);
    if (!email.success) row.errors.push(`${t('admin.import.col.email')}: ${t(email.error.issues[0]!.message)}`);
    else if (taken.has(email.data)) row.errors.push(t('admin.import.emailTaken'));
    else if (seen.has(email.data)) row.errors.push(t('admin.import.emailRepeated', { line: seen.get(email.data) }));
    if (email.success) seen.set(email.data, seen.get(email.data) ?? row.line);
    const unit = unitByName.get(row.unit.trim().toLowerCase());
    if (!unit) row.errors.push(t('admin.import.unknownUnit', { unit: row.unit }));
    const roles = new Set<Role>();
    for (const word of row.role
      .split(/[+/|,]/)
      .map((w) => w.trim().toLowerCase())
      .filter(Boolean)) {
      const role = ROLES[word as keyof typeof ROLES];
      if (role) roles.add(role);
      else row.errors.push(t('admin.import.unknownRole', { role: word }));
    }
    if (roles.has('worker') && unit && unit.kind !== 'SERVICE_AREA') row.errors.push(t('admin.people.workerNeedsArea'));
    if (roles.has('head') && unit) {
      if (headClaims.has(unit.id)) row.errors.push(t('admin.import.twoHeads', { line: headClaims.get(unit.id) }));
      else headClaims.set(unit.id, row.line);
    }
    const phone = row.phone.trim() ? toE164(row.phone, company.country) : null;
    if (row.phone.trim() && !phone) row.errors.push(`${t('admin.import.col.phone')}: ${t('forms.phone')}`);
    if (!row.errors.length && name.success && email.success && unit)
      row.parsed = { name: name.data, email: email.data, unitId: unit.id, roles, phone };
  }
  return { fileErrors: [], rows, valid: rows.every((r) => !r.errors.length) };
}

export function importRoutes(deps: AccountLinkDeps) {
  const { db } = deps;
  const router = Router();

  const render = (req: Request, res: Response, csv: string, check: ImportCheck | null, status = 200) =>
    res.status(status).render('admin/import', { title: req.t('admin.import.title'), csv, check, max: MAX_IMPORT_ROWS });

  router.get('/admin/personas/importar', (req, res) => render(req, res, '', null));

  router.post('/admin/personas/importar', async (req, res) => {
    const csv = typeof req.body?.csv === 'string' ? req.body.csv : '';
    const check = await checkImport(db, req, csv);
    if (!check.valid || req.body?.action !== 'import') return render(req, res, csv, check, check.valid ? 200 : 422);
    const actor = actorOf(req);
    const created = await db.$transaction(
      async (tx) => {
        const ids: number[] = [];
        for (const row of check.rows) {
          const p = row.parsed!;
          const user = await tx.user.create({
            data: {
              companyId: actor.companyId,
              name: p.name,
              email: p.email,
              unitId: p.unitId,
              phone: p.phone,
              isWorker: p.roles.has('worker'),
              isCompanyAdmin: p.roles.has('admin'),
            },
          });
          if (p.roles.has('head'))
            await tx.unit.updateMany({
              where: { id: p.unitId, companyId: actor.companyId },
              data: { headId: user.id },
            });
          await recordAudit(tx, actor.companyId, auditActor(req), {
            action: 'user.imported',
            entityType: 'user',
            entityId: user.id,
            summary: `${p.name} <${p.email}>`,
            changes: { roles: [null, [...p.roles]] },
          });
          ids.push(user.id);
        }
        return ids;
      },
      { timeout: 60_000 },
    );
    const users = await db.user.findMany({
      where: { companyId: actor.companyId, id: { in: created } },
      select: recipientSelect,
    });
    let failed = 0;
    for (const u of users) if (!(await sendAccountLink(deps, toRecipient(u), 'INVITATION', actor.name))) failed++;
    flash(
      req,
      failed ? 'warning' : 'success',
      req.t(failed ? 'admin.import.doneWithFailures' : 'admin.import.done', { count: created.length, failed }),
    );
    res.redirect('/admin/personas');
  });

  return router;
}
