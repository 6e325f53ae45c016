import { roundHalfUp } from './decimal.ts';
import type { Tiyin } from './money.ts';
import { amountOf, type Price, type Ratio } from './price.ts';
import { type Milli, milli } from './quantity.ts';

/** A reactive energy line. */
export type ReactiveLine = { kind: 'reactive'; quantity: Milli; price: Price; amount: Tiyin };

/**
 * Reactive energy charge (billing-rules §6): allowed = tan φ norm × active; excess = reactive −
 * allowed, rounded half-up to 0.001 and charged at the reactive price when positive.
 */
export function reactiveLine(input: {
  active: Milli;
  reactive: Milli;
  tanPhiNorm: Ratio;
  price: Price;
}): ReactiveLine | null {
  const { tanPhiNorm: norm } = input;
  const excess = roundHalfUp(input.reactive * norm.den - input.active * norm.num, norm.den);
  if (excess <= 0n) return null;
  const quantity = milli(excess);
  return { kind: 'reactive', quantity, price: input.price, amount: amountOf(quantity, input.price) };
}
