import { formatDecimal, parseDecimal, roundHalfUp } from './decimal.ts';
import { type Tiyin, tiyin } from './money.ts';
import type { Milli } from './quantity.ts';

/** A price in 1/10000 so'm per unit (so'm with up to 4 decimals). */
export type Price = bigint & { readonly __brand: 'Price' };

/** Brands a bigint price. */
export function price(v: bigint): Price {
  return v as Price;
}

/** Parses "900.00" or "12.3456" (non-negative, ≤ 4 decimals); INVALID_PRICE otherwise. */
export function parsePrice(s: unknown): Price {
  return price(parseDecimal(s, { scale: 4, code: 'INVALID_PRICE', allowNegative: false }));
}

/** Formats a price with at least 2 decimals: "900.00", "1035.00", "12.345". */
export function formatPrice(p: Price): string {
  return formatDecimal(p, 4)
    .replace(/(\.\d\d\d?)0+$/, '$1')
    .replace(/(\.\d\d)0$/, '$1');
}

/** An exact non-negative rate or factor: num / den. */
export type Ratio = { readonly num: bigint; readonly den: bigint };

export const ONE: Ratio = { num: 1n, den: 1n };

/** Parses a rate such as "1.15", "0.001" or "0.5" (≤ 6 decimals) exactly; INVALID_RATE otherwise. */
export function parseRatio(s: unknown): Ratio {
  return { num: parseDecimal(s, { scale: 6, code: 'INVALID_RATE', allowNegative: false }), den: 1_000_000n };
}

// quantity (1/1000 unit) × price (1/10000 so'm) = 1/10^7 so'm = 1/10^5 tiyin.
const MILLI_PRICE_PER_TIYIN = 100_000n;

/**
 * quantity × price × factor, exact, rounded half-up to a tiyin once at the end
 * (billing-rules §1: 1.15 × price is not rounded first).
 */
export function amountOf(quantity: Milli, p: Price, factor: Ratio = ONE): Tiyin {
  return tiyin(roundHalfUp(quantity * p * factor.num, MILLI_PRICE_PER_TIYIN * factor.den));
}

/** price × factor, rounded half-up to 1/10000 so'm: the displayed overconsumption price. */
export function priceTimes(p: Price, factor: Ratio): Price {
  return price(roundHalfUp(p * factor.num, factor.den));
}
