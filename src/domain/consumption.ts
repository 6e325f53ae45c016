import { AppError } from './errors.ts';
import { type Milli, milli } from './quantity.ts';

/** A register reading checked against the previous accepted one of the same register. */
export type ReadingCheck = {
  /** Previous accepted (closing) reading, or the installation reading, in thousandths. */
  previous: Milli;
  /** The new reading in thousandths. */
  value: Milli;
  /** Number of integer digits of the register: readings are below 10^digits. */
  digits: number;
};

/**
 * The advance of a register from `previous` to `value` (billing-rules §2), in thousandths of the
 * register's unit, before the CT×VT multiplier. A reading below the previous one is a rollover only
 * when the previous is ≥ 90 % of 10^digits and the new one < 10 %; otherwise it is refused.
 */
export function readingAdvance(r: ReadingCheck): Milli {
  const capacity = 10n ** BigInt(r.digits) * 1000n;
  if (r.value < 0n)
    throw new AppError('INVALID_READING', 'A reading cannot be negative', { value: String(r.value) });
  if (r.value % 10n !== 0n) {
    throw new AppError('INVALID_READING', 'A reading has at most 2 decimals', { value: String(r.value) });
  }
  if (r.value >= capacity) {
    throw new AppError('READING_TOO_LARGE', `A ${r.digits}-digit register reads below 10^${r.digits}`, {
      digits: r.digits,
    });
  }
  if (r.value >= r.previous) return milli(r.value - r.previous);
  const isRollover = r.previous * 10n >= capacity * 9n && r.value * 10n < capacity;
  if (!isRollover) {
    throw new AppError(
      'READING_BELOW_PREVIOUS',
      'The reading is below the previous one and is not a rollover',
      {
        previous: String(r.previous),
      },
    );
  }
  return milli(capacity - r.previous + r.value);
}

/** Consumption = advance × multiplier (CT ratio × VT ratio). */
export function consumptionOf(advance: Milli, multiplier: bigint): Milli {
  if (multiplier <= 0n) throw new AppError('INVALID_MULTIPLIER', 'A multiplier is a positive integer');
  return milli(advance * multiplier);
}
