import { describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret } from '../../src/notifications/crypto.js';
import { backoffSeconds } from '../../src/notifications/deliver.js';
import { commentRecipients, recipientsFor, type EventFacts } from '../../src/notifications/events.js';
import { whatsappTemplate } from '../../src/notifications/messages.js';

// requester 1, unit head 2, services head 3, worker 4, previous worker 5
const base: Omit<EventFacts, 'action' | 'actorId'> = {
  fromStatus: null,
  requesterId: 1,
  unitHeadId: 2,
  servicesHeadId: 3,
  workerId: 4,
  previousWorkerId: 5,
};

describe('recipientsFor', () => {
  const table: [string, Partial<EventFacts> & Pick<EventFacts, 'action' | 'actorId'>, [number, string][]][] = [
    [
      'submitted: confirmation to the requester, the unit head asked',
      { action: 'SUBMIT', actorId: 1 },
      [
        [1, 'requester'],
        [2, 'unitHead'],
      ],
    ],
    [
      'submitted by the unit head itself: one confirmation',
      { action: 'SUBMIT', actorId: 2, requesterId: 2 },
      [[2, 'requester']],
    ],
    [
      'authorized: requester and services head',
      { action: 'AUTHORIZE', actorId: 2, fromStatus: 'PENDING' },
      [
        [1, 'requester'],
        [3, 'servicesHead'],
      ],
    ],
    [
      'authorized on submission: only the services head',
      { action: 'AUTHORIZE', actorId: 1, unitHeadId: 1 },
      [[3, 'servicesHead']],
    ],
    ['rejected: the requester', { action: 'REJECT', actorId: 3 }, [[1, 'requester']]],
    [
      'approved: requester and assigned worker',
      { action: 'APPROVE', actorId: 3 },
      [
        [1, 'requester'],
        [4, 'worker'],
      ],
    ],
    [
      'approved, the services head assigning themself: only the requester',
      { action: 'APPROVE', actorId: 3, workerId: 3 },
      [[1, 'requester']],
    ],
    [
      'reassigned: old and new worker',
      { action: 'REASSIGN', actorId: 3 },
      [
        [5, 'previousWorker'],
        [4, 'worker'],
      ],
    ],
    ['started: the requester', { action: 'START', actorId: 4 }, [[1, 'requester']]],
    [
      'finished: requester and unit head',
      { action: 'FINISH', actorId: 4 },
      [
        [1, 'requester'],
        [2, 'unitHead'],
      ],
    ],
    [
      'cancelled while pending: the unit head',
      { action: 'CANCEL', actorId: 1, fromStatus: 'PENDING' },
      [[2, 'unitHead']],
    ],
    [
      'cancelled while authorized: the services head',
      { action: 'CANCEL', actorId: 1, fromStatus: 'AUTHORIZED' },
      [[3, 'servicesHead']],
    ],
    ['a unit without head: nobody to ask', { action: 'SUBMIT', actorId: 1, unitHeadId: null }, [[1, 'requester']]],
  ];
  it.each(table)('%s', (_name, facts, expected) => {
    expect(recipientsFor({ ...base, ...facts }).map((r) => [r.userId, r.role])).toEqual(expected);
  });
});

describe('delivery helpers', () => {
  it('backs off exponentially up to the cap', () => {
    const config = { NOTIFY_RETRY_BASE_SECONDS: 30, NOTIFY_RETRY_MAX_SECONDS: 600 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffSeconds(config, n))).toEqual([30, 60, 120, 240, 480, 600]);
  });

  it('encrypts secrets with AES-GCM and refuses a tampered or foreign one', () => {
    const key = 'a'.repeat(64);
    const sealed = encryptSecret(key, 'token-secreto');
    expect(sealed).not.toContain('token');
    expect(decryptSecret(key, sealed)).toBe('token-secreto');
    expect(encryptSecret(key, 'token-secreto')).not.toBe(sealed);
    expect(() => decryptSecret('b'.repeat(64), sealed)).toThrow();
  });

  it('names the Meta template after the event and role, with four body parameters', () => {
    const t = whatsappTemplate(
      { kind: 'cancelled', role: 'servicesHead', lang: 'en' },
      {
        number: 'SOL-000007',
        title: 'Luz',
        actor: 'Ana',
        requester: 'Ana',
        recipient: 'Luis',
        comment: 'Ya no',
        ticket: '',
        worker: '',
        url: 'http://x/solicitudes/7',
      },
    );
    expect(t).toEqual({
      template: 'solicitudes_cancelled_services_head',
      language: 'en',
      parameters: ['SOL-000007', 'Luz', 'Ya no', 'http://x/solicitudes/7'],
    });
  });
});

describe('comment recipients', () => {
  // requester 1, unit head 2, services head 3, worker 4, someone else (an admin) 9.
  const cbase = { requesterId: 1, unitHeadId: 2, servicesHeadId: 3, workerId: 4 as number | null, pending: false };
  const ids = (f: Parameters<typeof commentRecipients>[0]) => commentRecipients(f).map((r) => `${r.userId}:${r.role}`);

  it.each([
    [
      'comment by the requester, pending',
      { ...cbase, workerId: null, pending: true, internal: false, authorId: 1 },
      ['2:unitHead', '3:servicesHead'],
    ],
    [
      'comment by the unit head, pending',
      { ...cbase, workerId: null, pending: true, internal: false, authorId: 2 },
      ['1:requester', '3:servicesHead'],
    ],
    ['comment by the worker, approved', { ...cbase, internal: false, authorId: 4 }, ['1:requester', '3:servicesHead']],
    [
      'comment by an admin, approved',
      { ...cbase, internal: false, authorId: 9 },
      ['1:requester', '3:servicesHead', '4:worker'],
    ],
    ['note by the worker', { ...cbase, internal: true, authorId: 4 }, ['3:servicesHead']],
    [
      'note by an admin while pending',
      { ...cbase, workerId: null, pending: true, internal: true, authorId: 9 },
      ['3:servicesHead'],
    ],
    [
      'note when the services head is also the requester',
      { ...cbase, servicesHeadId: 1, internal: true, authorId: 4 },
      [],
    ],
    [
      'note when the services head also heads the unit',
      { ...cbase, servicesHeadId: 2, internal: true, authorId: 9 },
      ['4:worker'],
    ],
    [
      'comment when the services head also heads the unit, pending',
      { ...cbase, servicesHeadId: 2, workerId: null, pending: true, internal: false, authorId: 1 },
      ['2:unitHead'],
    ],
  ] as const)('%s', (_name, facts, expected) => {
    expect(ids(facts)).toEqual(expected);
  });
});

describe('comment templates', () => {
  it('Meta template of a comment or note does not depend on the role', () => {
    const params = {
      number: 'SOL-000001',
      title: 'Fuga',
      actor: 'Ana',
      requester: 'Ana',
      recipient: 'Luis',
      comment: 'Hola',
      ticket: '',
      worker: '',
      url: 'http://x/solicitudes/1',
    };
    expect(whatsappTemplate({ kind: 'note', role: 'servicesHead', lang: 'es' }, params).template).toBe(
      'solicitudes_note',
    );
    expect(whatsappTemplate({ kind: 'comment', role: 'unitHead', lang: 'en' }, params)).toMatchObject({
      template: 'solicitudes_comment',
      language: 'en',
      parameters: ['SOL-000001', 'Fuga', 'Hola', 'http://x/solicitudes/1'],
    });
  });
});
