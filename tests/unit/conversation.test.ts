import { describe, expect, it } from 'vitest';
import { detectType, safeFileName, UploadRejected } from '../../src/conversation/files.js';
import { formatText } from '../../src/conversation/format.js';
import { canAddInternalNote, canComment, canSeeInternalNotes } from '../../src/conversation/policy.js';
import { contentDisposition } from '../../src/conversation/routes.js';
import { searchWords } from '../../src/conversation/search.js';
import type { Actor } from '../../src/auth/actor.js';
import { canView, type RequestState } from '../../src/requests/lifecycle.js';
import { html, pdf, png, svgWithScript } from '../support/files.js';

describe('formatText', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['<img src=x onerror="alert(1)">', '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'],
    ['javascript:alert(1)', 'javascript:alert(1)'],
    ['<a href="javascript:alert(1)">x</a>', '&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;'],
    ['línea 1\nlínea 2', 'línea 1\nlínea 2'],
    [
      'ver https://a.co/x?y=1&z=2.',
      'ver <a href="https://a.co/x?y=1&amp;z=2" rel="noopener noreferrer nofollow" target="_blank">https://a.co/x?y=1&amp;z=2</a>.',
    ],
    ['(http://a.co)', '(<a href="http://a.co" rel="noopener noreferrer nofollow" target="_blank">http://a.co</a>)'],
    [
      'http://a.co/"onmouseover="alert(1)',
      '<a href="http://a.co/" rel="noopener noreferrer nofollow" target="_blank">http://a.co/</a>&quot;onmouseover=&quot;alert(1)',
    ],
    ['ftp://a.co data:text/html,x', 'ftp://a.co data:text/html,x'],
  ])('%j', (input, output) => {
    expect(formatText(input)).toBe(output);
  });
});

describe('files', () => {
  it('detects the type from the content and requires the extension to agree', async () => {
    expect(await detectType('foto.PNG', png())).toEqual({ mimeType: 'image/png', image: true });
    expect(await detectType('presupuesto.pdf', pdf())).toEqual({ mimeType: 'application/pdf', image: false });
    expect(await detectType('lista.csv', Buffer.from('código;cantidad\nA1;3\n'))).toEqual({
      mimeType: 'text/csv',
      image: false,
    });
    for (const [name, data] of [
      ['dibujo.svg', svgWithScript],
      ['dibujo.txt', svgWithScript],
      ['pagina.html', html],
      ['foto.jpg', html],
      ['informe.pdf', png()],
      ['binario.txt', Buffer.from([0x41, 0x00, 0x42])],
      ['programa.exe', Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1')],
    ] as const) {
      await expect(detectType(name, data), name).rejects.toBeInstanceOf(UploadRejected);
    }
  });

  it('says a program renamed .pdf does not match its extension, and an unknown type is not accepted', async () => {
    const exe = Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1');
    await expect(detectType('factura.pdf', exe)).rejects.toMatchObject({
      messageKey: 'conversation.files.contentMismatch',
      params: { name: 'factura.pdf', ext: 'PDF' },
    });
    await expect(detectType('programa.exe', exe)).rejects.toMatchObject({
      messageKey: 'conversation.files.typeNotAllowed',
    });
  });

  it.each([
    ['../../../etc/passwd', 'passwd'],
    ['..\\..\\windows\\system32\\a.png', 'a.png'],
    ['foto<script>.png', 'fotoscript.png'],
    ['.htaccess', 'htaccess'],
    ['   ', 'archivo'],
    ['informe\u0000.pdf', 'informe.pdf'],
    ['Cotización año 2026.pdf', 'Cotización año 2026.pdf'],
  ])('safeFileName(%j) = %j', (input, output) => {
    expect(safeFileName(input)).toBe(output);
  });

  it('names downloads safely in ASCII and UTF-8', () => {
    expect(contentDisposition('attachment', 'Cotización "final".pdf')).toBe(
      `attachment; filename="Cotizaci_n _final_.pdf"; filename*=UTF-8''Cotizaci%C3%B3n%20%22final%22.pdf`,
    );
  });
});

describe('search terms', () => {
  it('keeps only letters and digits', () => {
    expect(searchWords('Fuga  de agua!')).toBe('fuga de agua');
    expect(searchWords("' OR 1=1 -- & | ! :* <script>")).toBe('or 1 1 script');
    expect(searchWords('¿?¡!')).toBeNull();
    expect(searchWords('Eléctrica')).toBe('eléctrica');
  });
});

describe('policy', () => {
  const base: Actor = {
    id: 1,
    companyId: 1,
    companyName: 'E',
    timezone: 'America/Bogota',
    companyLocale: 'es',
    name: 'X',
    email: 'x@e.test',
    locale: null,
    unitId: 10,
    unitName: null,
    isCompanyAdmin: false,
    isWorker: false,
    headedUnitIds: [],
    servicesAreaIds: [],
    headedUnits: [],
    actingFor: {},
    waiting: { toAuthorize: 0, toDecide: 0, openTickets: 0 },
  };
  const request: RequestState = {
    status: 'APPROVED',
    requesterId: 2,
    requesterUnitId: 10,
    serviceAreaId: 20,
    authorizerUnitId: 10,
    awaitingAdmins: false,
    ticket: { status: 'ASSIGNED', workerId: 3 },
  };
  const cases: [string, Partial<Actor>, boolean, boolean][] = [
    ['requester', { id: 2 }, true, false],
    ['unit head', { id: 4, headedUnitIds: [10] }, true, false],
    ['services head', { id: 5, unitId: 20, headedUnitIds: [20], servicesAreaIds: [20] }, true, true],
    ['assigned worker', { id: 3, unitId: 20, isWorker: true }, true, true],
    ['other worker of the area', { id: 6, unitId: 20, isWorker: true }, false, false],
    ['head of another area', { id: 7, unitId: 30, headedUnitIds: [30], servicesAreaIds: [30] }, false, false],
    ['company admin', { id: 8, isCompanyAdmin: true }, true, true],
    ['colleague of the requester', { id: 9 }, false, false],
  ];
  it.each(cases)('%s: comment %s, internal notes %s', (_who, overrides, comment, notes) => {
    const actor = { ...base, ...overrides };
    // The requests feature decides visibility; the conversation's rules build on it.
    const access = { visible: canView(actor, request), serviceAreaId: request.serviceAreaId };
    expect(canComment(actor, access)).toBe(comment);
    expect(canSeeInternalNotes(actor, access)).toBe(notes);
    expect(canAddInternalNote(actor, access)).toBe(notes);
  });
});
