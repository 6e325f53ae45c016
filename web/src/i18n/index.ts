import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import accounting from './office/accounting.json';
import admin from './office/admin.json';
import audit from './office/audit.json';
import billing from './office/billing.json';
import claims from './office/claims.json';
import confirm from './office/confirm.json';
import consumers from './office/consumers.json';
import inbox from './office/inbox.json';
import meters from './office/meters.json';
import payments from './office/payments.json';
import readings from './office/readings.json';
import reference from './office/reference.json';
import table from './office/table.json';
import ru from './ru.json';
import uz from './uz.json';
import uzCyrl from './uz-Cyrl.json';

/** The four UI languages; Uzbek Latin is the default. */
export const LANGUAGES = [
  { code: 'uz', label: "O'zbekcha" },
  { code: 'uz-Cyrl', label: 'Ўзбекча' },
  { code: 'ru', label: 'Русский' },
  { code: 'en', label: 'English' },
] as const;
export type Language = (typeof LANGUAGES)[number]['code'];

const STORAGE_KEY = 'hisob_lang';

function isLanguage(v: unknown): v is Language {
  return LANGUAGES.some((l) => l.code === v);
}

function initialLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY);
  return isLanguage(stored) ? stored : 'uz';
}

/** Switches the UI language; the cookie makes the API answer errors in the same language. */
export function setLanguage(lang: Language): void {
  localStorage.setItem(STORAGE_KEY, lang);
  document.cookie = `${STORAGE_KEY}=${lang}; path=/; max-age=31536000; samesite=strict`;
  document.documentElement.lang = lang;
  void i18n.changeLanguage(lang);
}

const lang = initialLanguage();
document.cookie = `${STORAGE_KEY}=${lang}; path=/; max-age=31536000; samesite=strict`;
document.documentElement.lang = lang;

/**
 * The office's areas keep their texts in `office/<area>.json`, all four languages in one file,
 * under the key `<area>.` (so `readings.title` is `readings.json`'s `title`).
 */
const AREAS = {
  admin,
  audit,
  table,
  readings,
  confirm,
  payments,
  consumers,
  billing,
  inbox,
  reference,
  meters,
  accounting,
  claims,
} as const;

function withAreas(lang: Language, root: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...root };
  for (const [area, texts] of Object.entries(AREAS))
    merged[area] = (texts as Record<Language, unknown>)[lang];
  return merged;
}

void i18n.use(initReactI18next).init({
  resources: {
    uz: { translation: withAreas('uz', uz) },
    'uz-Cyrl': { translation: withAreas('uz-Cyrl', uzCyrl) },
    ru: { translation: withAreas('ru', ru) },
    en: { translation: withAreas('en', en) },
  },
  lng: lang,
  fallbackLng: 'uz',
  interpolation: { escapeValue: false },
});

export default i18n;
