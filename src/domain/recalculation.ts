import { AppError } from './errors.ts';
import type { Tiyin } from './money.ts';
import { tiyin } from './money.ts';
import { type Milli, milli, splitProportional } from './quantity.ts';

/**
 * Splits the consumption T since the last actual reading over the estimated periods and the
 * current one in proportion to their calendar days, in 0.001 units, largest remainder (ties to the
 * earlier period), so the shares add up to T exactly (billing-rules §4).
 */
export function recalculationShares(total: Milli, days: readonly number[]): Milli[] {
  if (days.length === 0 || days.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new AppError('INVALID_SPLIT', 'Recalculation needs periods with positive day counts');
  }
  return splitProportional(
    total,
    days.map((d) => BigInt(d)),
  ).map((s) => milli(s));
}

/** A recalculation line for an estimated period: what it should have been billed minus what was. */
export type RecalculationLine = { kind: 'recalculation'; forPeriod: string; quantity: Milli; amount: Tiyin };

/**
 * The recalculation line of period `forPeriod`: quantity = share − billed quantity, amount =
 * recomputed − billed energy amount (each the sum of its rounded lines). Zero and zero: no line.
 */
export function recalculationLine(input: {
  forPeriod: string;
  share: Milli;
  billedQuantity: Milli;
  billedAmount: Tiyin;
  recomputedAmount: Tiyin;
}): RecalculationLine | null {
  const quantity = milli(input.share - input.billedQuantity);
  const amount = tiyin(input.recomputedAmount - input.billedAmount);
  if (quantity === 0n && amount === 0n) return null;
  return { kind: 'recalculation', forPeriod: input.forPeriod, quantity, amount };
}
