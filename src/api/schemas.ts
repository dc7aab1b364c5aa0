// The API's own schemas: the query strings it reads and the JSON it answers. The bodies of the writes are the pages'
// own form schemas (src/requests, src/conversation) or, for the organisation, JSON twins of the admin forms (their
// checkboxes and blank-means-none fields read as JSON booleans and nulls). The OpenAPI document is built from these.
import { z } from 'zod';
import { ACTIONS, HOLD_REASONS, PRIORITIES } from '../requests/index.js';
import { dateField, idField, nameField, optionalIdField, optionalTextField, emailField } from '../web/fields.js';

const when = z.iso.datetime({ offset: true });
const whenOrNull = when.nullable();
const int = z.number().int();
const named = z.object({ name: z.string() });
const person = z.object({ id: int, name: z.string() }).meta({ id: 'PersonRef' });
const STATUSES = ['PENDING', 'AUTHORIZED', 'APPROVED', 'FINALIZED', 'CLOSED', 'REJECTED', 'CANCELLED'] as const;
const TICKET_STATUSES = ['ASSIGNED', 'IN_PROGRESS', 'DONE'] as const;

/** An id that may be left out (or null, or ''): null then. */
const maybeId = (type: string | string[]) =>
  optionalIdField
    .optional()
    .transform((v) => v ?? null)
    .meta({ type, minimum: 1 } as Record<string, unknown>);

export const idPath = z.object({ id: idField.meta({ type: 'integer', minimum: 1 }) });
export const actionPath = idPath.extend({ action: z.enum(ACTIONS) });

/** GET /requests: an inbox, its filters (the pages' ones), and the keyset cursor. */
export const requestListQuery = z.object({
  view: z.enum(['mine', 'unit', 'services', 'company']).default('mine'),
  status: z
    .union([z.enum(STATUSES), z.array(z.enum(STATUSES))])
    .optional()
    .transform((v) => (v === undefined ? undefined : Array.isArray(v) ? v : [v])),
  unit: maybeId('integer'),
  category: maybeId('integer'),
  priority: z.enum(PRIORITIES).optional(),
  // A date that is not a calendar day is a 422, as every other malformed filter of the API (the pages show the list
  // without it and say so beside the field).
  from: dateField.optional().meta({ type: 'string', format: 'date' }),
  to: dateField.optional().meta({ type: 'string', format: 'date' }),
  q: z.string().max(100).optional().meta({ description: 'A request number (SOL-000123, 123) or words to search' }),
  cursor: z.string().max(200).optional().meta({ description: 'nextCursor of the previous page' }),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const ticketListQuery = z.object({
  view: z.enum(['mine', 'area']).default('mine'),
  status: z.enum(TICKET_STATUSES).optional(),
  worker: maybeId('integer'),
  q: z.string().max(100).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});

export const peopleQuery = z.object({
  q: z.string().max(100).default(''),
  status: z.enum(['active', 'inactive']).default('active'),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});

const pageInfo = z.object({ page: int, pages: int, total: int }).meta({ id: 'PageInfo' });

export const dueSchema = z.object({ responseDueAt: whenOrNull, resolutionDueAt: whenOrNull });

export const requestSummary = z
  .object({
    id: int,
    number: int,
    reference: z.string().meta({ example: 'SOL-000123' }),
    title: z.string(),
    status: z.enum(STATUSES),
    priority: z.enum(PRIORITIES),
    onHold: z.boolean(),
    createdAt: when,
    requester: named,
    requesterUnit: named,
    category: named,
    ticket: z.object({ number: int, status: z.enum(TICKET_STATUSES), worker: named }).nullable(),
    ...dueSchema.shape,
  })
  .meta({ id: 'RequestSummary' });

export const requestList = z
  .object({ items: z.array(requestSummary), nextCursor: z.string().nullable() })
  .meta({ id: 'RequestList' });

export const attachmentSchema = z
  .object({
    id: int,
    fileName: z.string(),
    mimeType: z.string(),
    size: int,
    internal: z.boolean(),
    createdAt: when,
    url: z.string(),
  })
  .meta({ id: 'Attachment' });

export const commentOut = z
  .object({
    id: int,
    internal: z.boolean(),
    body: z.string(),
    createdAt: when,
    author: person,
    attachments: z.array(attachmentSchema),
  })
  .meta({ id: 'Comment' });

const ticketCore = {
  id: int,
  number: int,
  reference: z.string().meta({ example: 'TKT-000045' }),
  status: z.enum(TICKET_STATUSES),
  instructions: z.string(),
  assignedAt: when,
  startedAt: whenOrNull,
  finishedAt: whenOrNull,
  needsReassignment: z.boolean(),
  worker: person,
};

export const requestDetail = z
  .object({
    id: int,
    number: int,
    reference: z.string(),
    title: z.string(),
    description: z.string(),
    priority: z.enum(PRIORITIES),
    location: z.string().nullable(),
    status: z.enum(STATUSES),
    onHoldSince: whenOrNull,
    holdReason: z.enum(HOLD_REASONS).nullable(),
    createdAt: when,
    authorizedAt: whenOrNull,
    approvedAt: whenOrNull,
    rejectedAt: whenOrNull,
    rejectionStage: z.enum(['UNIT', 'SERVICES']).nullable(),
    rejectionReason: z.string().nullable(),
    cancelledAt: whenOrNull,
    cancelReason: z.string().nullable(),
    finalizedAt: whenOrNull,
    ...dueSchema.shape,
    requester: person,
    requesterUnit: named,
    serviceArea: z.object({ id: int, name: z.string() }),
    category: named,
    ticket: z.object({ ...ticketCore, resolution: z.string().nullable(), assignedBy: person }).nullable(),
    allowedActions: z.array(z.enum(ACTIONS)),
    events: z.array(
      z.object({
        id: z.string(),
        action: z.string(),
        fromStatus: z.enum(STATUSES).nullable(),
        toStatus: z.enum(STATUSES),
        comment: z.string().nullable(),
        createdAt: when,
        /** Null: the system acted (a reminder, escalation or overdue notice). */
        actor: person.nullable(),
        onBehalfOf: person.nullable(),
      }),
    ),
    comments: z.array(commentOut),
    attachments: z.array(attachmentSchema),
  })
  .meta({ id: 'Request' });

export const createdRequest = z
  .object({ id: int, number: int, reference: z.string(), status: z.enum(STATUSES) })
  .meta({ id: 'CreatedRequest' });

export const ticketSummary = z
  .object({
    ...ticketCore,
    request: z.object({
      id: int,
      number: int,
      title: z.string(),
      status: z.enum(STATUSES),
      priority: z.enum(PRIORITIES),
    }),
  })
  .meta({ id: 'TicketSummary' });
export const ticketList = z.object({ items: z.array(ticketSummary), page: pageInfo }).meta({ id: 'TicketList' });
export const ticketDetail = z
  .object({
    ...ticketCore,
    resolution: z.string().nullable(),
    assignedBy: person,
    request: z.object({ id: int, number: int, title: z.string(), status: z.enum(STATUSES) }),
  })
  .meta({ id: 'Ticket' });

export const unitOut = z
  .object({
    id: int,
    name: z.string(),
    kind: z.enum(['REGULAR', 'SERVICE_AREA']),
    parentId: int.nullable(),
    headId: int.nullable(),
    head: named.nullable(),
    active: z.boolean(),
    members: int,
  })
  .meta({ id: 'Unit' });
export const unitList = z.object({ items: z.array(unitOut) }).meta({ id: 'UnitList' });

export const personOut = z
  .object({
    id: int,
    name: z.string(),
    email: z.string(),
    isCompanyAdmin: z.boolean(),
    isWorker: z.boolean(),
    active: z.boolean(),
    unit: named.nullable(),
    headedUnits: z.array(named),
  })
  .meta({ id: 'Person' });
export const personList = z.object({ items: z.array(personOut), page: pageInfo }).meta({ id: 'PersonList' });

export const categoryOut = z
  .object({
    id: int,
    name: z.string(),
    needsAuthorization: z.boolean(),
    // What administrators see besides (the catalogue page's columns).
    serviceAreaId: int.optional(),
    description: z.string().nullable().optional(),
    responseHours: int.nullable().optional(),
    resolutionHours: int.nullable().optional(),
    active: z.boolean().optional(),
  })
  .meta({ id: 'Category', description: 'Administrators see every field; others the categories they may request' });
export const catalogueOut = z
  .object({
    items: z.array(z.object({ id: int, name: z.string(), categories: z.array(categoryOut) })),
  })
  .meta({ id: 'Catalogue' });

export const idOut = z.object({ id: int }).meta({ id: 'Created' });

// The organisation's writes as JSON: the admin forms' fields with JSON booleans and nulls.
const hours = z.number().int().min(1).max(8760).nullable().default(null);
export const unitBody = z.object({
  name: nameField,
  kind: z.enum(['REGULAR', 'SERVICE_AREA']),
  parentId: maybeId(['integer', 'null']),
  headId: maybeId(['integer', 'null']),
});
export const categoryBody = z.object({
  name: nameField,
  serviceAreaId: idField.meta({ type: 'integer', minimum: 1 }),
  responseHours: hours,
  resolutionHours: hours,
  description: optionalTextField(500, { multiline: true }),
  active: z.boolean().default(true),
  noAuthorization: z.boolean().default(false),
});
const personBodyFields = {
  name: nameField,
  unitId: maybeId(['integer', 'null']),
  phone: z.string().max(40).default(''),
  isCompanyAdmin: z.boolean().default(false),
  isWorker: z.boolean().default(false),
  headOf: z
    .array(idField.meta({ type: 'integer', minimum: 1 }))
    .max(100)
    .default([]),
};
export const invitePersonBody = z.object({ ...personBodyFields, email: emailField });
export const updatePersonBody = z.object(personBodyFields);
export const commentBody = z.object({
  body: optionalTextField(4000, { multiline: true }).transform((v) => v ?? ''),
  internal: z
    .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
    .default(false)
    .transform((v) => v === true || v === 'true' || v === '1'),
});
