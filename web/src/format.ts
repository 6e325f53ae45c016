import i18n from 'i18next';

// Numbers, money and dates for the UI language. Money arrives from the API as an exact decimal
// string ("1234567.89") and is formatted as a string: it never passes through a float.

const INTL_LOCALE: Record<string, string> = {
  uz: 'uz-Latn-UZ',
  'uz-Cyrl': 'uz-Cyrl-UZ',
  ru: 'ru-RU',
  en: 'en-GB',
};

/** The language of the page (uz, uz-Cyrl, ru, en). */
function lang(l?: string): string {
  return l ?? i18n.language ?? 'uz';
}

/**
 * Groups the digits of an exact decimal string for the language: "1234567.89" → "1 234 567,89"
 * (Uzbek and Russian: no-break spaces and a decimal comma) or "1,234,567.89" (English).
 */
export function formatDecimal(value: string, language?: string): string {
  const l = lang(language);
  const negative = value.startsWith('-');
  const [whole = '0', fraction] = (negative ? value.slice(1) : value).split('.');
  const group = l === 'en' ? ',' : '\u00a0';
  const point = l === 'en' ? '.' : ',';
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  return `${negative ? '−' : ''}${grouped}${fraction === undefined ? '' : point + fraction}`;
}

const CURRENCY: Record<string, string> = { uz: "so'm", 'uz-Cyrl': 'сўм', ru: 'сум', en: 'UZS' };

/** Money with the currency: "1 234 567,89 so'm". */
export function formatMoney(value: string, language?: string): string {
  const l = lang(language);
  return `${formatDecimal(value, l)}\u00a0${CURRENCY[l] ?? "so'm"}`;
}

/** A quantity with up to 3 decimals, trailing zeros of the fraction dropped: "10 000", "1 349,153". */
export function formatQuantity(value: string, language?: string): string {
  const trimmed = value.includes('.') ? value.replace(/0+$/, '').replace(/\.$/, '') : value;
  return formatDecimal(trimmed, language);
}

/** A calendar date "YYYY-MM-DD" as the language writes it (23.11.2026, 23/11/2026). */
export function formatDate(date: string, language?: string): string {
  const [y, m, d] = date.slice(0, 10).split('-');
  const l = lang(language);
  return l === 'en' ? `${d}/${m}/${y}` : `${d}.${m}.${y}`;
}

/** A moment as date and time in Tashkent. */
export function formatDateTime(iso: string, language?: string): string {
  const at = new Date(iso);
  const text = new Intl.DateTimeFormat(INTL_LOCALE[lang(language)] ?? 'uz-Latn-UZ', {
    timeZone: 'Asia/Tashkent',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(at);
  const day = new Date(at.getTime() + 5 * 3_600_000).toISOString().slice(0, 10);
  return `${formatDate(day, language)} ${text}`;
}

const MONTHS: Record<string, string[]> = {
  uz: [
    'yanvar',
    'fevral',
    'mart',
    'aprel',
    'may',
    'iyun',
    'iyul',
    'avgust',
    'sentabr',
    'oktabr',
    'noyabr',
    'dekabr',
  ],
  'uz-Cyrl': [
    'январ',
    'феврал',
    'март',
    'апрел',
    'май',
    'июн',
    'июл',
    'август',
    'сентабр',
    'октабр',
    'ноябр',
    'декабр',
  ],
  ru: [
    'январь',
    'февраль',
    'март',
    'апрель',
    'май',
    'июнь',
    'июль',
    'август',
    'сентябрь',
    'октябрь',
    'ноябрь',
    'декабрь',
  ],
  en: [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ],
};

/** A billing period "2025-03" as "mart 2025" / "март 2025" / "March 2025". */
export function formatPeriod(period: string, language?: string): string {
  const l = lang(language);
  const month = (MONTHS[l] ?? MONTHS.uz ?? [])[Number(period.slice(5, 7)) - 1] ?? period.slice(5, 7);
  return `${month} ${period.slice(0, 4)}`;
}

const SHORT: Record<string, string[]> = {
  uz: ['yan', 'fev', 'mar', 'apr', 'may', 'iyun', 'iyul', 'avg', 'sen', 'okt', 'noy', 'dek'],
  'uz-Cyrl': ['янв', 'фев', 'мар', 'апр', 'май', 'июн', 'июл', 'авг', 'сен', 'окт', 'ноя', 'дек'],
  ru: ['янв', 'фев', 'мар', 'апр', 'май', 'июн', 'июл', 'авг', 'сен', 'окт', 'ноя', 'дек'],
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
};

/** A short, unambiguous month label for charts: "mar 25", "iyun 25". */
export function formatPeriodShort(period: string, language?: string): string {
  const l = lang(language);
  const month = (SHORT[l] ?? SHORT.uz ?? [])[Number(period.slice(5, 7)) - 1] ?? '';
  return `${month} ${period.slice(2, 4)}`;
}

/** Weekday names, Sunday first (getUTCDay order). */
const WEEKDAYS: Record<string, string[]> = {
  uz: ['Yakshanba', 'Dushanba', 'Seshanba', 'Chorshanba', 'Payshanba', 'Juma', 'Shanba'],
  'uz-Cyrl': ['Якшанба', 'Душанба', 'Сешанба', 'Чоршанба', 'Пайшанба', 'Жума', 'Шанба'],
  ru: ['воскресенье', 'понедельник', 'вторник', 'среда', 'четверг', 'пятница', 'суббота'],
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
};

/** A calendar date with its weekday, as the language writes it: "Payshanba, 26.11.2026". */
export function formatWeekdayDate(date: string, language?: string): string {
  const l = lang(language);
  const weekday = (WEEKDAYS[l] ?? WEEKDAYS.uz ?? [])[new Date(`${date.slice(0, 10)}T00:00:00Z`).getUTCDay()];
  return `${weekday}, ${formatDate(date, l)}`;
}
