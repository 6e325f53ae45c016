/** The four UI languages; Uzbek Latin is the default. */
export const LOCALES = ['uz', 'uz-Cyrl', 'ru', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'uz';

/** True when `v` names one of the four languages. */
export function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v);
}

/**
 * Picks the language of a request: the `hisob_lang` cookie, else the best Accept-Language match
 * (uz-Cyrl for "uz-Cyrl"/"uz-Cyrl-UZ", uz for other Uzbek tags), else Uzbek Latin.
 */
export function pickLocale(cookie: string | undefined, acceptLanguage: string | undefined): Locale {
  if (isLocale(cookie)) return cookie;
  if (acceptLanguage) {
    const tags = acceptLanguage
      .split(',')
      .map((part) => {
        const [tag = '', ...params] = part.trim().split(';');
        const q = params.find((p) => p.trim().startsWith('q='));
        return { tag: tag.toLowerCase(), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
      })
      .filter((t) => t.tag && t.q > 0)
      .sort((a, b) => b.q - a.q);
    for (const { tag } of tags) {
      if (tag.startsWith('uz-cyrl')) return 'uz-Cyrl';
      if (tag === 'uz' || tag.startsWith('uz-')) return 'uz';
      if (tag === 'ru' || tag.startsWith('ru-')) return 'ru';
      if (tag === 'en' || tag.startsWith('en-')) return 'en';
    }
  }
  return DEFAULT_LOCALE;
}
