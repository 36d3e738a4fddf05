// Interface strings in English, German and Russian for one element: English ships with it, the
// other two are chunks fetched when first needed. The widget and the console each build one
// catalog from their own tables. Dates, times and prices are never in these tables: Intl formats
// them for the active locale (see time.ts).

export type Language = 'en' | 'de' | 'ru';

/** The supported language for a BCP 47 tag ("de-AT" -> de), English otherwise. */
export function language(locale: string): Language {
  const lang = locale.toLowerCase().split('-')[0];
  return lang === 'de' || lang === 'ru' ? lang : 'en';
}

export interface Catalog<K extends string> {
  /** Whether the strings for `locale` are at hand (English always is). */
  has(locale: string): boolean;
  /** Fetches the strings for `locale` once; until they arrive, t() answers in English. */
  load(locale: string): Promise<void>;
  /** A localized string with `{name}` placeholders filled in. */
  t(locale: string, key: K, vars?: Record<string, string | number>): string;
}

export function catalog<K extends string>(en: Record<K, string>, loaders: Record<Exclude<Language, 'en'>, () => Promise<{ default: Record<K, string> }>>): Catalog<K> {
  const tables: Partial<Record<Language, Record<K, string>>> = { en };
  return {
    has: (locale) => tables[language(locale)] !== undefined,
    async load(locale) {
      const lang = language(locale);
      if (lang === 'en' || tables[lang]) return;
      // Unreachable chunk (offline, blocked): carry on in English rather than show nothing.
      tables[lang] = await loaders[lang]().then((m) => m.default, () => en);
    },
    t: (locale, key, vars = {}) => (tables[language(locale)] ?? en)[key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? '')),
  };
}
