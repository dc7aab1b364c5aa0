// Importing people from a CSV: every row is checked first; the file is imported whole or not at all.
import { parse } from 'csv-parse/sync';
import {
  EMAIL_TAKEN_HERE,
  EMAIL_UNAVAILABLE,
  emailsTakenMessageKeys,
  sendAccountLink,
  toRecipient,
  type AccountLinkDeps,
} from '../../accounts/index.js';
import { auditActor, recordAudit } from '../../audit/index.js';
import type { Db } from '../../db/client.js';
import type { z } from 'zod';
import { ValidationError } from '../../web/errors.js';
import { toE164 } from '../../web/phone.js';
import { emailField, nameField } from '../../web/fields.js';
import type { Actor } from '../../auth/index.js';
import { companyOf, insertPerson, recipientsOf, setUnitHead, unitsForImport } from './queries.js';

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
type Column = 'name' | 'email' | 'unit' | 'role' | 'phone';
const HEADERS: Record<string, Column> = {
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

/** A problem to show: an i18n key with its parameters, prefixed by the column's name when it is about one column. */
export interface ImportProblem {
  key: string;
  params?: Record<string, unknown>;
  column?: Column;
}

export interface ImportRow {
  line: number;
  name: string;
  email: string;
  unit: string;
  role: string;
  phone: string;
  errors: ImportProblem[];
  parsed?: { name: string; email: string; unitId: number; roles: Set<Role>; phone: string | null };
}

export interface ImportCheck {
  /** Problems with the file as a whole (no rows, wrong header, too many rows). */
  fileErrors: ImportProblem[];
  rows: ImportRow[];
  valid: boolean;
}

/** The first problem zod found with one column's value (a length limit is passed as `count`). */
function columnProblem(column: Column, error: z.ZodError): ImportProblem {
  const issue = error.issues[0]!;
  const limit = (issue as { minimum?: unknown }).minimum ?? (issue as { maximum?: unknown }).maximum;
  return { column, key: issue.message, params: typeof limit === 'number' ? { count: limit } : undefined };
}

const fileError = (problem: ImportProblem): ImportCheck => ({ fileErrors: [problem], rows: [], valid: false });

function readCsv(csv: string): string[][] {
  const firstLine = csv.split('\n')[0]!;
  return parse(csv.replace(/^\uFEFF/, ''), {
    skip_empty_lines: true,
    trim: true,
    relax_column_count: true,
    delimiter: firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',',
  });
}

/** Parses and checks every row against this company's units and all existing accounts; nothing is written. */
export async function previewImport(deps: { db: Db }, actor: Actor, input: { csv: string }): Promise<ImportCheck> {
  let records: string[][];
  try {
    records = readCsv(input.csv);
  } catch (err) {
    return fileError({ key: 'admin.import.unreadable', params: { detail: (err as Error).message } });
  }
  const [header, ...data] = records;
  const columns = (header ?? []).map((h) => HEADERS[h.toLowerCase()] ?? null);
  const missing = (['name', 'email', 'unit'] as const).filter((c) => !columns.includes(c));
  if (!header || missing.length) return fileError({ key: 'admin.import.badHeader' });
  if (!data.length) return fileError({ key: 'admin.import.noRows' });
  if (data.length > MAX_IMPORT_ROWS)
    return fileError({ key: 'admin.import.tooMany', params: { max: MAX_IMPORT_ROWS } });

  const [company, units] = await Promise.all([
    companyOf(deps.db, actor.companyId),
    unitsForImport(deps.db, actor.companyId),
  ]);
  const unitByName = new Map(units.map((u) => [u.name.trim().toLowerCase(), u]));
  const rows: ImportRow[] = data.map((cells, i) => {
    const get = (c: Column) => cells[columns.indexOf(c)] ?? '';
    const row = { name: get('name'), email: get('email'), unit: get('unit'), role: get('role'), phone: get('phone') };
    return { line: i + 2, ...row, errors: [] };
  });
  // Only addresses of this company are named as taken; another company's account gets a neutral refusal.
  const taken = await emailsTakenMessageKeys(
    deps.db,
    actor.companyId,
    rows.map((r) => r.email.trim().toLowerCase()),
  );
  const seen = new Map<string, number>();
  const headClaims = new Map<number, number>();
  for (const row of rows) {
    const name = nameField.safeParse(row.name);
    if (!name.success) row.errors.push(columnProblem('name', name.error));
    const email = emailField.safeParse(row.email);
    if (!email.success) row.errors.push(columnProblem('email', email.error));
    else if (taken.has(email.data))
      row.errors.push({
        key: taken.get(email.data) === EMAIL_TAKEN_HERE ? 'admin.import.emailTaken' : EMAIL_UNAVAILABLE,
      });
    else if (seen.has(email.data))
      row.errors.push({ key: 'admin.import.emailRepeated', params: { line: seen.get(email.data) } });
    if (email.success) seen.set(email.data, seen.get(email.data) ?? row.line);
    const unit = unitByName.get(row.unit.trim().toLowerCase());
    if (!unit) row.errors.push({ key: 'admin.import.unknownUnit', params: { unit: row.unit } });
    const roles = new Set<Role>();
    const words = row.role
      .split(/[+/|,]/)
      .map((w) => w.trim().toLowerCase())
      .filter(Boolean);
    for (const word of words) {
      const role = ROLES[word as keyof typeof ROLES];
      if (role) roles.add(role);
      else row.errors.push({ key: 'admin.import.unknownRole', params: { role: word } });
    }
    if (roles.has('worker') && unit && unit.kind !== 'SERVICE_AREA')
      row.errors.push({ key: 'admin.people.workerNeedsArea' });
    if (roles.has('head') && unit) {
      const claimed = headClaims.get(unit.id);
      if (claimed !== undefined) row.errors.push({ key: 'admin.import.twoHeads', params: { line: claimed } });
      else headClaims.set(unit.id, row.line);
    }
    const phone = row.phone.trim() ? toE164(row.phone, company.country) : null;
    if (row.phone.trim() && !phone) row.errors.push({ column: 'phone', key: 'forms.phone' });
    if (!row.errors.length && name.success && email.success && unit)
      row.parsed = { name: name.data, email: email.data, unitId: unit.id, roles, phone };
  }
  return { fileErrors: [], rows, valid: rows.every((r) => !r.errors.length) };
}

/**
 * Imports every row of a valid file in one transaction and emails each person an invitation. A file with any
 * problem imports nothing: ValidationError with the check as its `check` parameter.
 */
export async function importPeople(deps: AccountLinkDeps, actor: Actor, input: { csv: string }) {
  const check = await previewImport(deps, actor, input);
  if (!check.valid) throw new ValidationError({ csv: 'admin.import.someInvalid' }, 'validation.invalid', { check });
  const { companyId } = actor;
  const created = await deps.db.$transaction(
    async (tx) => {
      const ids: number[] = [];
      for (const row of check.rows) {
        const p = row.parsed!;
        const user = await insertPerson(tx, companyId, {
          name: p.name,
          email: p.email,
          unitId: p.unitId,
          phone: p.phone,
          isWorker: p.roles.has('worker'),
          isCompanyAdmin: p.roles.has('admin'),
        });
        if (p.roles.has('head')) await setUnitHead(tx, companyId, p.unitId, user.id);
        await recordAudit(tx, companyId, auditActor(actor), {
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
  let failed = 0;
  for (const u of await recipientsOf(deps.db, companyId, created))
    if (!(await sendAccountLink(deps, toRecipient(u), 'INVITATION', actor.name))) failed++;
  return { count: created.length, failed };
}
