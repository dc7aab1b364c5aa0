import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { recipientSelect, sendAccountLink, toRecipient, type AccountLinkDeps } from '../../accounts/links.js';
import { phoneField } from '../../accounts/routes.js';
import { endSessionsOf } from '../../accounts/sessions.js';
import { actorOf } from '../../auth/guards.js';
import { diff, recordAudit } from '../../audit/record.js';
import type { Db } from '../../db/client.js';
import { emailField, nameField } from '../../web/fields.js';
import { NotFoundError } from '../../web/errors.js';
import { formList, formValues, type FieldErrors } from '../../web/forms.js';
import { fieldErrors } from '../../web/fields.js';
import { flash } from '../../web/flash.js';
import { buildTree, flattenTree } from '../tree.js';
import { auditActor, isUniqueViolation, optionalId, pageOf, PAGE_SIZE } from './common.js';
import { idParam } from '../../web/fields.js';
import { companyUnits } from './units.js';

const FIELDS = ['name', 'email', 'unitId', 'phone', 'isCompanyAdmin', 'isWorker'] as const;

function personSchema(country: string, withEmail: boolean) {
  return z.object({
    name: nameField,
    email: withEmail ? emailField : z.string().optional(),
    unitId: z.string().transform((v, ctx) => {
      const id = optionalId(v);
      if (id === 'invalid') ctx.addIssue({ code: 'custom', message: 'forms.invalidChoice' });
      return id === 'invalid' ? null : id;
    }),
    phone: phoneField(country),
    isCompanyAdmin: z.string().transform((v) => v === 'on'),
    isWorker: z.string().transform((v) => v === 'on'),
  });
}

type Person = z.output<ReturnType<typeof personSchema>>;

/** Unit must be this company's; a worker must belong to a service area; headed units must be this company's. */
async function checkPerson(db: Db, req: Request, data: Person, headOf: number[]): Promise<FieldErrors> {
  const { companyId } = actorOf(req);
  const errors: FieldErrors = {};
  const unit =
    data.unitId != null
      ? await db.unit.findFirst({ where: { id: data.unitId, companyId }, select: { kind: true } })
      : null;
  if (data.unitId != null && !unit) errors.unitId = req.t('forms.invalidChoice');
  if (data.isWorker && unit?.kind !== 'SERVICE_AREA') errors.isWorker = req.t('admin.people.workerNeedsArea');
  if (headOf.length && (await db.unit.count({ where: { companyId, id: { in: headOf } } })) !== headOf.length)
    errors.headOf = req.t('forms.invalidChoice');
  return errors;
}

/** Makes `userId` head of exactly the units in `headOf` (other units keep their heads). */
async function setHeadedUnits(tx: Pick<Db, 'unit'>, companyId: number, userId: number, headOf: number[]) {
  await tx.unit.updateMany({ where: { companyId, headId: userId, id: { notIn: headOf } }, data: { headId: null } });
  if (headOf.length) await tx.unit.updateMany({ where: { companyId, id: { in: headOf } }, data: { headId: userId } });
}

export function peopleRoutes(deps: AccountLinkDeps) {
  const { db } = deps;
  const router = Router();

  async function renderForm(
    req: Request,
    res: Response,
    personId: number | null,
    values: Record<string, string>,
    headOf: string[],
    errors: FieldErrors,
    status = 200,
    extra: Record<string, unknown> = {},
  ) {
    const units = flattenTree(buildTree(await companyUnits(db, actorOf(req).companyId)));
    res.status(status).render('admin/person-form', {
      title: req.t(personId ? 'admin.people.edit' : 'admin.people.invite'),
      personId,
      values,
      headOf,
      errors,
      units: units.map((u) => ({
        value: u.id,
        label: `${'— '.repeat(u.depth)}${u.name}${u.kind === 'SERVICE_AREA' ? ` (${req.t('admin.units.kinds.SERVICE_AREA')})` : ''}`,
      })),
      person: null,
      ...extra,
    });
  }

  router.get('/admin/personas', async (req, res) => {
    const { companyId } = actorOf(req);
    const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 100) : '';
    const status = req.query.estado === 'inactivas' ? 'inactive' : 'active';
    const { page, skip, take } = pageOf(req);
    const where = {
      companyId,
      active: status === 'active',
      ...(q
        ? {
            OR: [
              { name: { contains: q, mode: 'insensitive' as const } },
              { email: { contains: q, mode: 'insensitive' as const } },
            ],
          }
        : {}),
    };
    const [people, total] = await Promise.all([
      db.user.findMany({
        where,
        select: {
          id: true,
          name: true,
          email: true,
          isCompanyAdmin: true,
          isWorker: true,
          active: true,
          passwordHash: true,
          unit: { select: { name: true } },
          headedUnits: { select: { name: true } },
        },
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
        skip,
        take,
      }),
      db.user.count({ where }),
    ]);
    res.render('admin/people', {
      title: req.t('admin.people.title'),
      people,
      q,
      status,
      page,
      pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
      total,
    });
  });

  router.get('/admin/personas/invitar', (req, res) =>
    renderForm(
      req,
      res,
      null,
      { name: '', email: '', unitId: '', phone: '', isCompanyAdmin: '', isWorker: '' },
      [],
      {},
    ),
  );

  router.post('/admin/personas/invitar', async (req, res) => {
    const actor = actorOf(req);
    const company = await db.company.findUniqueOrThrow({
      where: { id: actor.companyId },
      select: { country: true, name: true, locale: true },
    });
    const values = formValues(req.body, FIELDS);
    const headOfRaw = formList(req.body, 'headOf');
    const parsed = personSchema(company.country, true).safeParse(values);
    if (!parsed.success) return renderForm(req, res, null, values, headOfRaw, fieldErrors(parsed.error, req.t), 422);
    const headOf = headOfRaw.map(Number).filter(Number.isSafeInteger);
    const errors = await checkPerson(db, req, parsed.data, headOf);
    if (Object.keys(errors).length) return renderForm(req, res, null, values, headOfRaw, errors, 422);
    const { email = '', ...data } = parsed.data;
    try {
      const user = await db.$transaction(async (tx) => {
        const created = await tx.user.create({ data: { companyId: actor.companyId, email, ...data } });
        await setHeadedUnits(tx, actor.companyId, created.id, headOf);
        await recordAudit(tx, actor.companyId, auditActor(req), {
          action: 'user.invited',
          entityType: 'user',
          entityId: created.id,
          summary: `${created.name} <${email}>`,
          changes: diff({}, { ...data, headOf }),
        });
        return created;
      });
      const sent = await sendAccountLink(deps, toRecipient({ ...user, company }), 'INVITATION', actor.name);
      flash(
        req,
        sent ? 'success' : 'warning',
        req.t(sent ? 'admin.people.invited' : 'admin.people.mailFailed', { name: user.name, email }),
      );
      res.redirect('/admin/personas');
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      renderForm(req, res, null, values, headOfRaw, { email: req.t('admin.people.emailTaken') }, 422);
    }
  });

  const findPerson = async (req: Request) => {
    const person = await db.user.findFirst({
      where: { id: idParam(req.params.id), companyId: actorOf(req).companyId },
      select: {
        id: true,
        name: true,
        email: true,
        unitId: true,
        phone: true,
        isCompanyAdmin: true,
        isWorker: true,
        active: true,
        passwordHash: true,
        emailVerifiedAt: true,
        headedUnits: { select: { id: true } },
      },
    });
    if (!person) throw new NotFoundError();
    return person;
  };

  router.get('/admin/personas/:id', async (req, res) => {
    const p = await findPerson(req);
    const values = {
      name: p.name,
      email: p.email,
      unitId: String(p.unitId ?? ''),
      phone: p.phone ?? '',
      isCompanyAdmin: p.isCompanyAdmin ? 'on' : '',
      isWorker: p.isWorker ? 'on' : '',
    };
    await renderForm(
      req,
      res,
      p.id,
      values,
      p.headedUnits.map((u) => String(u.id)),
      {},
      200,
      { person: p },
    );
  });

  router.post('/admin/personas/:id', async (req, res) => {
    const actor = actorOf(req);
    const p = await findPerson(req);
    const company = await db.company.findUniqueOrThrow({ where: { id: actor.companyId }, select: { country: true } });
    const values = { ...formValues(req.body, FIELDS), email: p.email };
    const headOfRaw = formList(req.body, 'headOf');
    const parsed = personSchema(company.country, false).safeParse(values);
    const rerender = (errors: FieldErrors) => renderForm(req, res, p.id, values, headOfRaw, errors, 422, { person: p });
    if (!parsed.success) return rerender(fieldErrors(parsed.error, req.t));
    const headOf = headOfRaw.map(Number).filter(Number.isSafeInteger);
    const errors = await checkPerson(db, req, parsed.data, headOf);
    // An administrator cannot remove their own administration (the company would be left without one).
    if (p.id === actor.id && !parsed.data.isCompanyAdmin) errors.isCompanyAdmin = req.t('admin.people.keepOwnAdmin');
    if (Object.keys(errors).length) return rerender(errors);
    const { email: _email, ...data } = parsed.data;
    await db.$transaction(async (tx) => {
      // A changed phone is unproven until its owner verifies it again (SMS and WhatsApp stop).
      const phoneChanged = data.phone !== p.phone;
      await tx.user.updateMany({
        where: { id: p.id, companyId: actor.companyId },
        data: phoneChanged ? { ...data, phoneVerifiedAt: null } : data,
      });
      if (phoneChanged) await tx.phoneVerification.deleteMany({ where: { companyId: actor.companyId, userId: p.id } });
      await setHeadedUnits(tx, actor.companyId, p.id, headOf);
      const before = { ...p, headOf: p.headedUnits.map((u) => u.id).sort() };
      await recordAudit(tx, actor.companyId, auditActor(req), {
        action: 'user.updated',
        entityType: 'user',
        entityId: p.id,
        summary: data.name,
        changes: diff(before, { ...data, headOf: [...headOf].sort() }),
      });
    });
    flash(req, 'success', req.t('admin.people.saved', { name: data.name }));
    res.redirect(`/admin/personas/${p.id}`);
  });

  router.post('/admin/personas/:id/desactivar', async (req, res) => {
    const actor = actorOf(req);
    const p = await findPerson(req);
    if (p.id === actor.id) {
      flash(req, 'danger', req.t('admin.people.notYourself'));
      return res.redirect(`/admin/personas/${p.id}`);
    }
    const flagged = await db.$transaction(async (tx) => {
      await tx.user.updateMany({ where: { id: p.id, companyId: actor.companyId }, data: { active: false } });
      // Their open tickets wait for the services head to reassign them.
      const tickets = await tx.ticket.updateMany({
        where: { companyId: actor.companyId, workerId: p.id, status: { in: ['ASSIGNED', 'IN_PROGRESS'] } },
        data: { needsReassignment: true },
      });
      await tx.accountToken.deleteMany({ where: { companyId: actor.companyId, userId: p.id, usedAt: null } });
      await endSessionsOf(tx, p.id);
      await recordAudit(tx, actor.companyId, auditActor(req), {
        action: 'user.deactivated',
        entityType: 'user',
        entityId: p.id,
        summary: p.name,
        changes: { active: [true, false] },
      });
      return tickets.count;
    });
    flash(req, 'success', req.t('admin.people.deactivated', { name: p.name, count: flagged }));
    res.redirect(`/admin/personas/${p.id}`);
  });

  router.post('/admin/personas/:id/reactivar', async (req, res) => {
    const actor = actorOf(req);
    const p = await findPerson(req);
    await db.$transaction(async (tx) => {
      await tx.user.updateMany({ where: { id: p.id, companyId: actor.companyId }, data: { active: true } });
      await recordAudit(tx, actor.companyId, auditActor(req), {
        action: 'user.reactivated',
        entityType: 'user',
        entityId: p.id,
        summary: p.name,
        changes: { active: [false, true] },
      });
    });
    flash(req, 'success', req.t('admin.people.reactivated', { name: p.name }));
    res.redirect(`/admin/personas/${p.id}`);
  });

  /** Emails a link to set a password: a reset link, or the invitation again if they never set one. */
  router.post('/admin/personas/:id/enlace', async (req, res) => {
    const actor = actorOf(req);
    const p = await findPerson(req);
    if (!p.active) throw new NotFoundError();
    const user = await db.user.findFirstOrThrow({
      where: { id: p.id, companyId: actor.companyId },
      select: recipientSelect,
    });
    const purpose = p.passwordHash ? 'PASSWORD_RESET' : 'INVITATION';
    const sent = await sendAccountLink(deps, toRecipient(user), purpose, actor.name);
    await recordAudit(db, actor.companyId, auditActor(req), {
      action: purpose === 'INVITATION' ? 'user.reinvited' : 'user.resetSent',
      entityType: 'user',
      entityId: p.id,
      summary: p.name,
    });
    flash(
      req,
      sent ? 'success' : 'warning',
      req.t(sent ? 'admin.people.linkSent' : 'admin.people.mailFailed', { name: p.name, email: p.email }),
    );
    res.redirect(`/admin/personas/${p.id}`);
  });

  return router;
}
