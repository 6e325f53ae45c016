import { AppError } from './errors.ts';

/** A billing period: a calendar month 'YYYY-MM' (Asia/Tashkent). */
export type Period = string & { readonly __brand: 'Period' };
/** A calendar date 'YYYY-MM-DD' in the Asia/Tashkent calendar. */
export type LocalDate = string & { readonly __brand: 'LocalDate' };

// Asia/Tashkent is UTC+5 all year (no daylight saving since 1992).
const TASHKENT_OFFSET_MS = 5 * 3_600_000;
const DAY_MS = 86_400_000;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Parses 'YYYY-MM' (years 2000–2099); INVALID_PERIOD otherwise. */
export function parsePeriod(s: unknown): Period {
  if (typeof s !== 'string' || !/^20\d\d-(0[1-9]|1[0-2])$/.test(s)) {
    throw new AppError('INVALID_PERIOD', `Not a period YYYY-MM: ${String(s)}`, { value: String(s) });
  }
  return s as Period;
}

/** Parses a real calendar date 'YYYY-MM-DD'; INVALID_DATE otherwise (2025-02-29 included). */
export function parseLocalDate(s: unknown): LocalDate {
  const m = typeof s === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(s) : null;
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (y >= 1900 && y <= 2199 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo))
      return s as LocalDate;
  }
  throw new AppError('INVALID_DATE', `Not a date YYYY-MM-DD: ${String(s)}`, { value: String(s) });
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function parts(p: Period): [number, number] {
  return [Number(p.slice(0, 4)), Number(p.slice(5, 7))];
}

function toEpochDay(d: LocalDate): number {
  return Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / DAY_MS;
}

function fromEpochDay(n: number): LocalDate {
  const dt = new Date(n * DAY_MS);
  return `${pad(dt.getUTCFullYear(), 4)}-${pad(dt.getUTCMonth() + 1)}-${pad(dt.getUTCDate())}` as LocalDate;
}

/** The period a date falls in. */
export function periodOf(d: LocalDate): Period {
  return d.slice(0, 7) as Period;
}

/** Number of days of the month. */
export function daysInPeriod(p: Period): number {
  const [y, m] = parts(p);
  return daysInMonth(y, m);
}

/** The 1st of the month. */
export function firstDay(p: Period): LocalDate {
  return `${p}-01` as LocalDate;
}

/** The last day of the month. */
export function lastDay(p: Period): LocalDate {
  return `${p}-${pad(daysInPeriod(p))}` as LocalDate;
}

/** The period n months later (n may be negative). */
export function addPeriods(p: Period, n: number): Period {
  const [y, m] = parts(p);
  const index = y * 12 + (m - 1) + n;
  return `${pad(Math.floor(index / 12), 4)}-${pad((index % 12) + 1)}` as Period;
}

/** The following month. */
export function nextPeriod(p: Period): Period {
  return addPeriods(p, 1);
}

/** The previous month. */
export function prevPeriod(p: Period): Period {
  return addPeriods(p, -1);
}

/** −1, 0 or 1. */
export function comparePeriods(a: Period, b: Period): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every period from `from` to `to`, both included (empty when from > to). */
export function periodsBetween(from: Period, to: Period): Period[] {
  const out: Period[] = [];
  for (let p = from; p <= to; p = nextPeriod(p)) out.push(p);
  return out;
}

/** The date n days later (n may be negative). */
export function addDays(d: LocalDate, n: number): LocalDate {
  return fromEpochDay(toEpochDay(d) + n);
}

/** Days from a to b (b − a). */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return toEpochDay(b) - toEpochDay(a);
}

/** −1, 0 or 1. */
export function compareDates(a: LocalDate, b: LocalDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** True on the 1st of a month. */
export function isFirstOfMonth(d: LocalDate): boolean {
  return d.endsWith('-01');
}

/** Day of the month, 1–31. */
export function dayOfMonth(d: LocalDate): number {
  return Number(d.slice(8, 10));
}

/** Today's date in Tashkent. */
export function todayInTashkent(now: Date = new Date()): LocalDate {
  return fromEpochDay(Math.floor((now.getTime() + TASHKENT_OFFSET_MS) / DAY_MS));
}

/** The current period in Tashkent. */
export function periodInTashkent(now: Date = new Date()): Period {
  return periodOf(todayInTashkent(now));
}
