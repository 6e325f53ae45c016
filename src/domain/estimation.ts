import { roundHalfUp } from './decimal.ts';
import { type Milli, milli, splitProportional } from './quantity.ts';

/** How a contract estimates a period without a reading (billing-rules §3). */
export type EstimationMethod = 'contract' | 'average_daily';

/** The last period billed on an actual basis: its quantity and its number of days. */
export type LastActual = { quantity: Milli; days: number };

/** Inputs of estimateQuantity. */
export type EstimateInput = {
  method: EstimationMethod;
  /** Days of the period being estimated. */
  days: number;
  /** The period's contract volume (a per-period volume overrides the default); 0 counts as none. */
  volume: Milli | null;
  lastActual: LastActual | null;
};

/** An estimate and how it was made; null when there is nothing to estimate from (a warning, no line). */
export type Estimate = { quantity: Milli; from: EstimationMethod } | null;

/**
 * Estimates a period without a reading (clause 3.10): the contract volume, or the last actual
 * period's quantity ÷ its days × this period's days (half-up to 0.001), falling back to the volume.
 */
export function estimateQuantity(input: EstimateInput): Estimate {
  if (input.method === 'average_daily' && input.lastActual && input.lastActual.days > 0) {
    const q = roundHalfUp(input.lastActual.quantity * BigInt(input.days), BigInt(input.lastActual.days));
    return { quantity: milli(q), from: 'average_daily' };
  }
  if (input.volume !== null && input.volume > 0n) return { quantity: input.volume, from: 'contract' };
  return null;
}

/**
 * Spreads an estimated quantity over zone registers in proportion to the zones of the last actual
 * period; without one (or with nothing in it) everything goes to 1.8.1.
 */
export function splitOverZones(
  quantity: Milli,
  registers: readonly string[],
  lastActual: ReadonlyMap<string, Milli> | null,
): Map<string, Milli> {
  const weights = registers.map((r) => lastActual?.get(r) ?? 0n);
  if (weights.some((w) => w > 0n)) {
    const parts = splitProportional(quantity, weights);
    return new Map(registers.map((r, i) => [r, milli(parts[i] ?? 0n)]));
  }
  return new Map(registers.map((r) => [r, milli(r === '1.8.1' ? quantity : 0n)]));
}
