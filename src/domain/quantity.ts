import { formatDecimal, parseDecimal } from './decimal.ts';
import { AppError } from './errors.ts';
import { groupDecimal, type MoneyLocale } from './money.ts';

/** Thousandths of a unit (kWh, kvarh, Gcal): quantities and register readings. */
export type Milli = bigint & { readonly __brand: 'Milli' };

/** Brands a bigint count of thousandths. */
export function milli(v: bigint): Milli {
  return v as Milli;
}

/** Parses "10000.5" (at most 3 decimals) into thousandths; INVALID_QUANTITY otherwise. */
export function parseQuantity(
  s: unknown,
  opts: { allowComma?: boolean; allowNegative?: boolean } = {},
): Milli {
  return milli(parseDecimal(s, { scale: 3, code: 'INVALID_QUANTITY', ...opts }));
}

/** Formats thousandths for people, trailing zeros of the fraction dropped: "10 000", "1 349,15". */
export function formatQuantityLocale(m: bigint, locale: MoneyLocale): string {
  const text = formatQuantity(milli(m)).replace(/0+$/, '').replace(/\.$/, '');
  return groupDecimal(text, locale);
}

/** Formats thousandths as "10000.000". */
export function formatQuantity(m: Milli): string {
  return formatDecimal(m, 3);
}

/** Sum of quantities. */
export function addQuantity(...xs: Milli[]): Milli {
  return sumQuantity(xs);
}

/** a − b. */
export function subQuantity(a: Milli, b: Milli): Milli {
  return milli(a - b);
}

/** Sum of any number of quantities. */
export function sumQuantity(xs: Iterable<Milli>): Milli {
  let total = 0n;
  for (const x of xs) total += x;
  return milli(total);
}

/**
 * Parses a meter register reading: non-negative, at most 2 decimals ("1250.00", or "001250,50" where
 * commas are allowed, as in the cabinet's XXXXXX,XX); returned in thousandths. INVALID_READING otherwise.
 */
export function parseReading(s: unknown, opts: { allowComma?: boolean } = {}): Milli {
  return milli(parseDecimal(s, { scale: 2, code: 'INVALID_READING', allowNegative: false, ...opts }) * 10n);
}

/** Formats a reading in thousandths as "1250.00"; a reading never has a third decimal. */
export function formatReading(m: Milli): string {
  if (m % 10n !== 0n)
    throw new AppError('INVALID_READING', `A reading has at most 2 decimals: ${m}`, { value: String(m) });
  return formatDecimal(m / 10n, 2);
}

/**
 * Splits `total` units in proportion to `weights` (largest remainder): every share is floored,
 * then the units left go one each to the largest fractional remainders, ties to the earlier
 * index. The shares add up to `total` exactly (billing-rules §4, §5).
 */
export function splitProportional(total: bigint, weights: readonly bigint[]): bigint[] {
  const sum = weights.reduce((a, b) => a + b, 0n);
  if (total < 0n || sum <= 0n || weights.some((w) => w < 0n)) {
    throw new AppError(
      'INVALID_SPLIT',
      'Split needs a non-negative total and non-negative weights with a positive sum',
    );
  }
  const shares = weights.map((w) => (total * w) / sum);
  const remainders = weights.map((w, i) => ({ i, r: (total * w) % sum }));
  let left = total - shares.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0n) break;
    shares[i] = (shares[i] ?? 0n) + 1n;
    left -= 1n;
  }
  return shares;
}
