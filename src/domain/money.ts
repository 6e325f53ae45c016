import { formatDecimal, parseDecimal, roundHalfUp } from './decimal.ts';

/** Money in tiyin (1 so'm = 100 tiyin). Never a float. */
export type Tiyin = bigint & { readonly __brand: 'Tiyin' };

/** Brands a bigint count of tiyin. */
export function tiyin(v: bigint): Tiyin {
  return v as Tiyin;
}

export const ZERO_TIYIN = tiyin(0n);

/** Parses "1234.56" (at most 2 decimals; a comma only when allowed) into tiyin; INVALID_MONEY otherwise. */
export function parseMoney(s: unknown, opts: { allowComma?: boolean; allowNegative?: boolean } = {}): Tiyin {
  return tiyin(parseDecimal(s, { scale: 2, code: 'INVALID_MONEY', ...opts }));
}

/** Formats tiyin as the exchange string "1234.56". */
export function formatMoney(t: Tiyin): string {
  return formatDecimal(t, 2);
}

/** Sum of amounts. */
export function addMoney(...xs: Tiyin[]): Tiyin {
  return sumMoney(xs);
}

/** a − b. */
export function subMoney(a: Tiyin, b: Tiyin): Tiyin {
  return tiyin(a - b);
}

/** −a. */
export function negMoney(a: Tiyin): Tiyin {
  return tiyin(-a);
}

/** Sum of any number of amounts. */
export function sumMoney(xs: Iterable<Tiyin>): Tiyin {
  let total = 0n;
  for (const x of xs) total += x;
  return tiyin(total);
}

/** The smaller amount. */
export function minMoney(a: Tiyin, b: Tiyin): Tiyin {
  return a < b ? a : b;
}

/** The larger amount. */
export function maxMoney(a: Tiyin, b: Tiyin): Tiyin {
  return a > b ? a : b;
}

/** −1, 0 or 1, for sorting. */
export function compareMoney(a: Tiyin, b: Tiyin): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** VAT contained in a VAT-inclusive amount: round_half_up(amount × rate / (100 + rate)). */
export function vatOf(amount: Tiyin, ratePercent = 12n): Tiyin {
  return tiyin(roundHalfUp(amount * ratePercent, 100n + ratePercent));
}

/** The four UI languages, for formatting. */
export type MoneyLocale = 'uz' | 'uz-Cyrl' | 'ru' | 'en';

const NBSP = '\u00a0';
const CURRENCY: Record<MoneyLocale, string> = { uz: "so'm", 'uz-Cyrl': 'сўм', ru: 'сум', en: 'UZS' };

/** Formats for people: "1 234 567,89" (uz, uz-Cyrl, ru; no-break spaces) or "1,234,567.89" (en). */
export function formatMoneyLocale(t: Tiyin, locale: MoneyLocale, opts: { currency?: boolean } = {}): string {
  const text = groupDecimal(formatMoney(tiyin(t)), locale);
  return opts.currency ? `${text}${NBSP}${CURRENCY[locale]}` : text;
}

/** Groups an exact decimal text "-1234567.89" for people: "-1 234 567,89" or "-1,234,567.89" (en). */
export function groupDecimal(text: string, locale: MoneyLocale): string {
  const negative = text.startsWith('-');
  const [whole = '0', frac] = (negative ? text.slice(1) : text).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, locale === 'en' ? ',' : NBSP);
  return `${negative ? '-' : ''}${grouped}${frac === undefined ? '' : (locale === 'en' ? '.' : ',') + frac}`;
}
