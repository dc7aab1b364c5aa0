import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { intlLocale, LANGUAGES, translator } from '../../src/web/i18n.js';

const localesDir = new URL('../../src/web/locales/', import.meta.url);

function keys(obj: unknown, prefix = ''): string[] {
  if (typeof obj !== 'object' || obj === null) return [prefix];
  return Object.entries(obj).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

/** The namespace files of a language (every feature's file, whatever features exist). */
const files = (lng: string) =>
  readdirSync(new URL(`${lng}/`, localesDir))
    .filter((f) => f.endsWith('.json'))
    .sort();
const keysOf = (lng: string, file: string) =>
  keys(JSON.parse(readFileSync(new URL(`${lng}/${file}`, localesDir), 'utf8'))).sort();

/** The keys one language has and another lacks, as "file: key". */
function missing(from: string, to: string): string[] {
  return files(from).flatMap((file) => {
    const there = new Set(files(to).includes(file) ? keysOf(to, file) : []);
    return keysOf(from, file)
      .filter((k) => !there.has(k))
      .map((k) => `${file}: ${k}`);
  });
}

describe('translations', () => {
  it('exist as a folder for every language the interface offers, and nothing else', () => {
    const folders = readdirSync(localesDir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(folders).toEqual([...LANGUAGES].sort());
  });

  it('have the same namespace files in every language', () => {
    for (const lng of LANGUAGES) expect(files(lng), lng).toEqual(files('es'));
  });

  // Spanish is the reference; every other language must have exactly its keys, file by file.
  it.each(LANGUAGES.filter((l) => l !== 'es'))('have exactly the Spanish keys in %s', (lng) => {
    expect(missing('es', lng), `missing in ${lng}`).toEqual([]);
    expect(missing(lng, 'es'), `only in ${lng}`).toEqual([]);
  });

  it('answer in Spanish by default, and in English or Portuguese on request', () => {
    expect(translator('es')('auth.title')).toBe('Iniciar sesión');
    expect(translator('en')('auth.title')).toBe('Sign in');
    expect(translator('pt-BR')('auth.title')).toBe('Entrar');
  });

  it('choose plural forms by count', () => {
    const es = translator('es');
    const pt = translator('pt-BR');
    expect(es('requests.actions.openLoad', { count: 1, assigned: 1, inProgress: 0 })).toMatch(/^1 abierto \(/);
    expect(es('requests.actions.openLoad', { count: 2, assigned: 1, inProgress: 1 })).toMatch(/^2 abiertos \(/);
    expect(pt('requests.actions.openLoad', { count: 1, assigned: 1, inProgress: 0 })).toMatch(/^1 aberto \(/);
    expect(pt('requests.actions.openLoad', { count: 3, assigned: 2, inProgress: 1 })).toMatch(/^3 abertos \(/);
  });

  it('write dates and numbers in each language’s format', () => {
    const date = new Date('2026-03-05T15:30:00Z');
    const format = (lng: string) =>
      new Intl.DateTimeFormat(intlLocale(lng), { timeZone: 'UTC', dateStyle: 'short' }).format(date);
    expect(format('pt-BR')).toBe('05/03/2026');
    expect(format('en')).toBe('3/5/26');
    expect(new Intl.NumberFormat(intlLocale('pt-BR')).format(1234.5)).toBe('1.234,5');
  });
});

describe('translator memo', () => {
  it('gives the same texts as asked again, each count and name its own, in each language', () => {
    const es = translator('es');
    const en = translator('en');
    expect(es('requests.actingFor', { name: 'Ana' })).toBe('en reemplazo de Ana');
    expect(es('requests.actingFor', { name: 'Ana' })).toBe('en reemplazo de Ana');
    expect(es('requests.actingFor', { name: 'Luis' })).toBe('en reemplazo de Luis');
    // A value shaped like another option's key is its own text.
    expect(es('requests.actingFor', { name: 'Ana\u0000name="Luis"' })).toBe('en reemplazo de Ana\u0000name="Luis"');
    expect(es('admin.chart.staff', { count: 3 })).toBe('Personas: 3');
    expect(es('admin.chart.staff', { count: 4 })).toBe('Personas: 4');
    expect(en('requests.actingFor', { name: 'Ana' })).not.toBe(es('requests.actingFor', { name: 'Ana' }));
    // A value left undefined is its own text too, not the text of an empty or "undefined" one.
    expect(es('requests.actingFor', { name: undefined })).toBe(es('requests.actingFor', { name: undefined }));
    expect(es('requests.actingFor', { name: 'undefined' })).toBe('en reemplazo de undefined');
    expect(es('requests.actingFor', { name: 'Ana', days: undefined })).toBe('en reemplazo de Ana');
    expect(es('requests.actingFor', { name: 'null' })).toBe('en reemplazo de null');
    expect(es('requests.actingFor', { name: null })).not.toBe('en reemplazo de null');
    // Options that are not plain values still translate.
    expect(es('requests.actingFor', { name: 'Ana', extra: { nested: true } })).toBe('en reemplazo de Ana');
  });
});
