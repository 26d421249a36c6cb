// The dashboard's and status pages' language: English or French, from the visitor's choice (remembered in
// localStorage) or else the browser's languages; `t` looks a message up in the catalogue of that language.
// The language is read once when the page loads: switching it reloads the page (see ui/language.ts).
import { en, type MessageKey } from './en.ts';
import { fr } from './fr.ts';

export type { MessageKey } from './en.ts';
export type Language = 'en' | 'fr';
export const LANGUAGES: readonly Language[] = ['en', 'fr'];
/** Each language's name in itself, for the switch. */
export const LANGUAGE_NAME: Record<Language, string> = { en: 'English', fr: 'Français' };

const CATALOGUES: Record<Language, Record<MessageKey, string>> = { en, fr };
const STORAGE_KEY = 'vigie.language';
/** The region used when the browser's own (e.g. fr-CA) does not match the chosen language. */
const DEFAULT_REGION: Record<Language, string> = { en: 'en-US', fr: 'fr-FR' };

const isLanguage = (value: unknown): value is Language => value === 'en' || value === 'fr';

/** The first of the browser's languages (e.g. navigator.languages) that we speak; English otherwise. */
export function chooseLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

function browserLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') return [];
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}

function storedLanguage(): Language | null {
  try {
    const value = globalThis.localStorage?.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : null;
  } catch {
    return null; // storage refused (privacy settings): follow the browser
  }
}

let current: Language = storedLanguage() ?? chooseLanguage(browserLanguages());
let locale = localeFor(current);

/** The browser's own locale when it is of this language (en-GB, fr-CA), for dates and numbers. */
function localeFor(language: Language): string {
  const own = browserLanguages().find((tag) => chooseLanguage([tag]) === language && tag.includes('-'));
  return own ?? DEFAULT_REGION[language];
}

export function language(): Language {
  return current;
}

/** The BCP 47 locale that Intl formats dates and numbers with. */
export function intlLocale(): string {
  return locale;
}

/** Uses this language from now on (tests; the switch saves it and reloads instead). */
export function useLanguage(next: Language): void {
  current = next;
  locale = localeFor(next);
  numberFormats.clear();
}

/** Remembers the visitor's choice for their next visits. */
export function saveLanguage(next: Language): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, next);
  } catch {
    // not remembered: the choice holds until the page is left
  }
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/** A number in the current locale: 1,234.5 / 1 234,5; `digits` fixes the decimals. */
export function formatNumber(value: number, digits?: number): string {
  const key = String(digits);
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(
      locale,
      digits === undefined ? {} : { minimumFractionDigits: digits, maximumFractionDigits: digits },
    );
    numberFormats.set(key, format);
  }
  return format.format(value);
}

export type Params = Record<string, string | number>;

/**
 * The message in the current language; `{name}` takes params.name. A fraction gets the locale's decimal sign;
 * whole numbers (counts, ids) are written plainly, without thousands separators.
 */
export function t(key: MessageKey, params?: Params): string {
  const template = CATALOGUES[current][key] ?? en[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' && !Number.isInteger(value) ? formatNumber(value) : String(value);
  });
}

/** The bases of plural messages: `x` when the catalogue has both `x.one` and `x.other`. */
export type PluralKey = {
  [K in MessageKey]: K extends `${infer Base}.one` ? (`${Base}.other` extends MessageKey ? Base : never) : never;
}[MessageKey];

/** A message that depends on a count: `{count}` is set, and the plural rules of the language pick the form. */
export function tn(key: PluralKey, count: number, params?: Params): string {
  const form = new Intl.PluralRules(locale).select(count) === 'one' ? 'one' : 'other';
  return t(`${key}.${form}` as MessageKey, { count, ...params });
}

/** A record whose values are messages, looked up when read (so they follow `useLanguage`). */
export function labels<K extends string>(keys: Record<K, MessageKey>): Readonly<Record<K, string>> {
  const record = {} as Record<K, string>;
  for (const name of Object.keys(keys) as K[]) {
    Object.defineProperty(record, name, { enumerable: true, get: () => t(keys[name]) });
  }
  return record;
}
