import { readdirSync, readFileSync } from 'node:fs';
import i18next, { type TFunction } from 'i18next';
import { LRUCache } from 'lru-cache';

export const LANGUAGES = ['es', 'en', 'pt-BR'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'es';

/** Each language by its own name, for the language pickers (the switcher, the profile, the company settings). */
export const LANGUAGE_NAMES: Record<Language, string> = { es: 'Español', en: 'English', 'pt-BR': 'Português (Brasil)' };

/** The Intl locale dates and numbers of a language are written in (Spanish as in Colombia). */
export function intlLocale(lng: string): string {
  return lng === 'en' ? 'en-US' : lng === 'pt-BR' ? 'pt-BR' : 'es-CO';
}

/**
 * Each feature keeps its texts in locales/<lng>/<feature>.json; the files are merged
 * into one namespace (their top-level keys must not collide).
 */
function load(lng: Language): Record<string, unknown> {
  const dir = new URL(`./locales/${lng}/`, import.meta.url);
  const merged: Record<string, unknown> = {};
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const texts = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Record<string, unknown>;
    for (const key of Object.keys(texts)) {
      if (key in merged) throw new Error(`i18n: key "${key}" of ${lng}/${file} is defined twice`);
      merged[key] = texts[key];
    }
  }
  return merged;
}

const i18n = i18next.createInstance();
await i18n.init({
  lng: DEFAULT_LANGUAGE,
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: [...LANGUAGES],
  resources: Object.fromEntries(LANGUAGES.map((lng) => [lng, { translation: load(lng) }])),
  // EJS escapes on output (<%= %>); escaping here too would double-escape.
  interpolation: { escapeValue: false },
  initAsync: false,
  showSupportNotice: false,
} as Parameters<typeof i18n.init>[0]);

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

const translators = new Map<Language, TFunction>();

/**
 * The options of a call as a memo key when they are only texts, numbers, booleans, null and undefined (a count, a
 * name, a value the event does not have: the history's texts pass every value any event may have).
 */
function optionsKey(options: unknown): string | null {
  if (typeof options !== 'object' || options === null) return null;
  let key = '';
  for (const [name, value] of Object.entries(options)) {
    const type = typeof value;
    if (type === 'undefined') {
      key += `\u0000${name}`;
      continue;
    }
    if (type !== 'string' && type !== 'number' && type !== 'boolean' && value !== null) return null;
    // JSON: a text's own control characters are escaped, so no value can pass for another option.
    key += `\u0000${name}=${JSON.stringify(value)}`;
  }
  return key;
}

/**
 * The translation function of a language. Its texts are read once at start and never change, so a text is a pure
 * function of its key and options and is memoized: lookups without options (most of a page's labels, asked for on
 * every row), and those whose options are plain values, in a bounded cache — i18next takes 10–50 µs for a text with
 * a count or a name (plural rules, interpolation), 300 times on the organisation chart of a large company.
 */
export function translator(lng: Language): TFunction {
  let t = translators.get(lng);
  if (!t) {
    const fixed = i18n.getFixedT(lng) as (k: unknown, o?: unknown) => string;
    const plain = new Map<string, string>();
    const withOptions = new LRUCache<string, string>({ max: 5_000 });
    t = ((key: string | string[], options?: unknown) => {
      if (typeof key !== 'string') return fixed(key, options);
      if (options === undefined) {
        let value = plain.get(key);
        if (value === undefined) {
          value = fixed(key);
          plain.set(key, value);
        }
        return value;
      }
      const shape = optionsKey(options);
      if (shape === null) return fixed(key, options);
      const memoKey = key + shape;
      let value = withOptions.get(memoKey);
      if (value === undefined) {
        value = fixed(key, options);
        withOptions.set(memoKey, value);
      }
      return value;
    }) as TFunction;
    translators.set(lng, t);
  }
  return t;
}
