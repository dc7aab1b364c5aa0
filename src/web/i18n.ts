import { readFileSync } from 'node:fs';
import i18next, { type TFunction } from 'i18next';

export const LANGUAGES = ['es', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'es';

const load = (lng: Language) => JSON.parse(readFileSync(new URL(`./locales/${lng}.json`, import.meta.url), 'utf8'));

const i18n = i18next.createInstance();
await i18n.init({
  lng: DEFAULT_LANGUAGE,
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: [...LANGUAGES],
  resources: { es: { translation: load('es') }, en: { translation: load('en') } },
  // EJS escapes on output (<%= %>); escaping here too would double-escape.
  interpolation: { escapeValue: false },
  initAsync: false,
  showSupportNotice: false,
} as Parameters<typeof i18n.init>[0]);

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export function translator(lng: Language): TFunction {
  return i18n.getFixedT(lng);
}
