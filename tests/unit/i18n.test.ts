import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { translator } from '../../src/web/i18n.js';

function keys(obj: unknown, prefix = ''): string[] {
  if (typeof obj !== 'object' || obj === null) return [prefix];
  return Object.entries(obj).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}
const all = (lng: string) => {
  const dir = new URL(`../../src/web/locales/${lng}/`, import.meta.url);
  return readdirSync(dir)
    .flatMap((f) => keys(JSON.parse(readFileSync(new URL(f, dir), 'utf8'))))
    .sort();
};

describe('translations', () => {
  it('have the same keys in Spanish and English', () => {
    expect(all('en')).toEqual(all('es'));
  });

  it('answer in Spanish by default and English on request', () => {
    expect(translator('es')('auth.title')).toBe('Iniciar sesión');
    expect(translator('en')('auth.title')).toBe('Sign in');
  });
});
