// The quoted history of replies by email (src/inbound-mail/quotes.ts): the shapes of Gmail, Outlook and Apple Mail,
// in Spanish and English (and Portuguese), are cut; the reply's own words stay.
import { describe, expect, it } from 'vitest';
import { stripQuoted } from '../../src/inbound-mail/quotes.js';

const QUOTED = ['> Hola, Ana:', '>', '> La solicitud SOL-000012 fue aprobada.', '> Ver la solicitud: http://x.test'];

describe('stripQuoted', () => {
  it('cuts Gmail in Spanish, also when the attribution is wrapped over two lines', () => {
    const text = [
      'Ya quedó, gracias.',
      '',
      'El lun, 1 dic 2026 a las 10:15, Solicitudes (<',
      'no-responder@example.com>) escribió:',
      '',
      ...QUOTED,
    ].join('\r\n');
    expect(stripQuoted(text)).toBe('Ya quedó, gracias.');
  });

  it('cuts Gmail in English', () => {
    const text = [
      'Thanks, it works now.',
      'Second line.',
      '',
      'On Mon, Dec 1, 2026 at 10:15 AM Solicitudes <no-responder@example.com> wrote:',
      ...QUOTED,
    ].join('\n');
    expect(stripQuoted(text)).toBe('Thanks, it works now.\nSecond line.');
  });

  it('cuts Outlook in Spanish (rule and header block) and in English (header block without a rule)', () => {
    const es = [
      'Listo, ya está arreglado.',
      '',
      '________________________________',
      'De: Solicitudes <no-responder@example.com>',
      'Enviado: lunes, 1 de diciembre de 2026 10:15',
      'Para: Ana <ana@example.com>',
      'Asunto: SOL-000012 aprobada',
      '',
      'Hola, Ana:',
    ].join('\r\n');
    expect(stripQuoted(es)).toBe('Listo, ya está arreglado.');
    const en = [
      'Fixed.',
      '',
      'From: Solicitudes <no-responder@example.com>',
      'Sent: Monday, December 1, 2026 10:15 AM',
      'To: Ana <ana@example.com>',
      'Subject: SOL-000012 approved',
      'Hello',
    ].join('\n');
    expect(stripQuoted(en)).toBe('Fixed.');
  });

  it('cuts the "Original Message" separator of older Outlook', () => {
    const text = ['Ok.', '-----Original Message-----', 'From: x', 'Hola'].join('\n');
    expect(stripQuoted(text)).toBe('Ok.');
    expect(stripQuoted(['Bien.', '-----Mensaje original-----', 'De: x'].join('\n'))).toBe('Bien.');
  });

  it('cuts Apple Mail in Spanish and English, with the iPhone signature', () => {
    const es = [
      'Sigue goteando.',
      '',
      'Enviado desde mi iPhone',
      '',
      'El 1 dic 2026, a las 10:15, Solicitudes <no-responder@example.com> escribió:',
      '',
      ...QUOTED,
    ].join('\n');
    expect(stripQuoted(es)).toBe('Sigue goteando.');
    const en = [
      'Still leaking.',
      '',
      'Sent from my iPhone',
      '',
      '> On Dec 1, 2026, at 10:15, Solicitudes <no-responder@example.com> wrote:',
      ...QUOTED,
    ].join('\n');
    expect(stripQuoted(en)).toBe('Still leaking.');
  });

  it('drops quoted lines between the reply’s own (inline replies) and cuts a signature', () => {
    const text = ['> ¿Cuándo?', 'Mañana a las 8.', '> ¿Dónde?', 'En la sala 2.', '-- ', 'Ana Pérez', 'Jefa'].join('\n');
    expect(stripQuoted(text)).toBe('Mañana a las 8.\nEn la sala 2.');
  });

  it('keeps a reply that only looks like the start of an attribution', () => {
    const text = 'On Monday the leak came back.\nEl martes también.\nDe: nada, gracias.';
    expect(stripQuoted(text)).toBe(text);
  });

  it('leaves nothing of a reply that is all quote', () => {
    expect(stripQuoted(['', ...QUOTED, ''].join('\n'))).toBe('');
  });
});
