import { roundHalfUp } from './decimal.ts';
import { AppError } from './errors.ts';
import { type Tiyin, tiyin } from './money.ts';
import { addDays, firstDay, type LocalDate, lastDay, nextPeriod, type Period } from './period.ts';
import type { Ratio } from './price.ts';

// Late-payment penalty (billing-rules §9). Penalties are kept EXACT per item in nano-tiyin
// (10^-9 tiyin) and rounded once, when a period's `penalty` line is posted. A fixed unit (rather
// than a fraction) fits one bigint/numeric column, adds up with plain `+`, and is exact for every
// rate and cap with at most 9 decimals — parseRatio allows 6 — so daily rate × unpaid never rounds.
// Penalties do not accrue on penalty lines: callers pass only items of other kinds.

/** A penalty amount in nano-tiyin (10^-9 tiyin), exact; rounded to tiyin only by penaltyLineAmount. */
export type ExactPenalty = bigint & { readonly __brand: 'ExactPenalty' };

/** Nano-tiyin per tiyin. */
export const PENALTY_SCALE = 1_000_000_000n;

/** Brands a bigint count of nano-tiyin. */
export function exactPenalty(v: bigint): ExactPenalty {
  return v as ExactPenalty;
}

export const ZERO_PENALTY = exactPenalty(0n);

/** A change of an item's unpaid part, counted for the END of `date`: < 0 covers (payment, allocation, credit), > 0 reopens (reversal). */
export type UnpaidChange = { readonly date: LocalDate; readonly delta: Tiyin };

/** One item's penalty over one closing period. */
export type PenaltyInput = {
  /** The period the charge was posted in (a recalculation line: the period that bills it). */
  readonly posted: Period;
  /** The charge, > 0. */
  readonly amount: Tiyin;
  /** Its whole history of unpaid-part changes (any order, any dates; later ones are ignored). */
  readonly changes: readonly UnpaidChange[];
  /** Daily rate: 0.001, or 0.002 for special supply. */
  readonly rate: Ratio;
  /** Cap on the item's total penalty as a share of its largest overdue unpaid part: 0.5. */
  readonly cap: Ratio;
  /** The period being closed; only its days accrue. */
  readonly period: Period;
  /** The item's exact penalty accrued in earlier periods (0 for the first). */
  readonly accruedBefore: ExactPenalty;
};

/** The same as PenaltyInput for an arbitrary range of days (both ends included). */
export type PenaltyRangeInput = Omit<PenaltyInput, 'period'> & {
  readonly from: LocalDate;
  readonly to: LocalDate;
};

/** Penalty of one item: `exact` for the days asked (after the cap), `cumulative` = accruedBefore + exact. */
export type PenaltyAccrual = { readonly exact: ExactPenalty; readonly cumulative: ExactPenalty };

/** The first overdue day of a charge posted in period M: the 1st of M+2 (due by the last day of M+1). */
export function overdueFrom(posted: Period): LocalDate {
  return firstDay(nextPeriod(nextPeriod(posted)));
}

function gcd(a: bigint, b: bigint): bigint {
  let [x, y] = [a < 0n ? -a : a, b < 0n ? -b : b];
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** tiyin × ratio in nano-tiyin, exact; INVALID_RATE when the ratio has more than 9 decimals. */
function timesRatio(amount: bigint, r: Ratio): bigint {
  const g = gcd(r.num, r.den) || 1n;
  const [num, den] = [r.num / g, r.den / g];
  if (den <= 0n || num < 0n || PENALTY_SCALE % den !== 0n) {
    throw new AppError('INVALID_RATE', 'A penalty rate or cap must be ≥ 0 with at most 9 decimals', {
      num: r.num.toString(),
      den: r.den.toString(),
    });
  }
  return amount * num * (PENALTY_SCALE / den);
}

function checkUnpaid(unpaid: bigint, amount: Tiyin, date: LocalDate): void {
  if (unpaid < 0n || unpaid > amount) {
    throw new RangeError(`unpaid part ${unpaid} outside 0..${amount} at the end of ${date}`);
  }
}

/**
 * Accrues one item's penalty for the days from..to (both included; days before the item is
 * overdue accrue nothing): each day rate × unpaid part at the end of that day, the running total
 * capped at cap × the largest end-of-day unpaid part since it became overdue.
 */
export function accruePenaltyBetween(input: PenaltyRangeInput): PenaltyAccrual {
  const { amount, rate, cap, from, to, accruedBefore } = input;
  if (amount <= 0n) throw new RangeError(`a penalty item must be a positive charge: ${amount}`);
  const overdue = overdueFrom(input.posted);
  let start = overdue;
  if (from > start) start = from;
  const changes = [...input.changes].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  let next = 0;
  let unpaid: bigint = amount;
  const advanceTo = (day: LocalDate): void => {
    for (let c = changes[next]; c !== undefined && c.date <= day; c = changes[++next]) unpaid += c.delta;
    checkUnpaid(unpaid, amount, day);
  };

  // The cap's base counts the overdue days before `start` too; unpaid only moves on change dates.
  let largest = 0n;
  if (overdue < start) {
    advanceTo(overdue);
    largest = unpaid;
    for (let c = changes[next]; c !== undefined && c.date < start; c = changes[next]) {
      advanceTo(c.date);
      if (unpaid > largest) largest = unpaid;
    }
  }

  let cumulative: bigint = accruedBefore;
  let exact = 0n;
  for (let day = start; day <= to; day = addDays(day, 1)) {
    advanceTo(day);
    if (unpaid > largest) largest = unpaid;
    const room = timesRatio(largest, cap) - cumulative;
    if (room <= 0n) continue;
    const daily = timesRatio(unpaid, rate);
    let add = daily;
    if (add > room) add = room;
    cumulative += add;
    exact += add;
  }
  return { exact: exactPenalty(exact), cumulative: exactPenalty(cumulative) };
}

/** Accrues one item's penalty over the days of the period being closed (billing-rules §9). */
export function accruePenalty(input: PenaltyInput): PenaltyAccrual {
  const { period, ...rest } = input;
  return accruePenaltyBetween({ ...rest, from: firstDay(period), to: lastDay(period) });
}

/** The amount of a period's `penalty` line: the exact per-item penalties summed, rounded half-up once. */
export function penaltyLineAmount(perItemExact: Iterable<ExactPenalty>): Tiyin {
  let total = 0n;
  for (const p of perItemExact) total += p;
  return tiyin(roundHalfUp(total, PENALTY_SCALE));
}
