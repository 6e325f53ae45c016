import { readingAdvance } from './consumption.ts';
import { isAppError } from './errors.ts';
import { compareDates, daysBetween, type LocalDate } from './period.ts';
import type { Milli } from './quantity.ts';

/**
 * Validation of readings entered by staff or imported (R3.2, "VEE"). A reading that passes the
 * hard checks of recordReading (not in a closed period, not in the future, within the digits, not
 * below the previous accepted reading unless a rollover) may still look wrong; then it is stored
 * as `suspect` with one of these codes and waits in the operator's queue:
 *
 * - `duplicate`: the register already has a reading (not rejected) on that date;
 * - `rollover`: the reading is below the previous one and only valid as a pass through zero, which
 *   is rare enough that a person should look (a typo looks exactly like it);
 * - `spike`: the advance per day is more than SPIKE_FACTOR times the register's recent average
 *   (up to a year of accepted readings, at least SPIKE_MIN_HISTORY_DAYS of them) and exceeds that
 *   average by at least SPIKE_MIN_EXCESS units, so tiny consumers are not flagged for noise;
 * - `zero`: no advance at all, unless the register's history is zero too (a register that never
 *   moves is not news);
 * - `gap`: the previous accepted reading (or the installation) is more than GAP_DAYS old: months
 *   were estimated, and this reading will recalculate them (billing-rules §4).
 *
 * Several may hold; the reading keeps the first in this order, the most telling one.
 */

/** The VEE codes, in order of precedence. */
export const VEE_CODES = ['duplicate', 'rollover', 'spike', 'zero', 'gap'] as const;
export type VeeCode = (typeof VEE_CODES)[number];

/** A spike is an advance per day above this many times the recent average. */
export const SPIKE_FACTOR = 3n;
/** … and at least this much (10.00 on the dial, in thousandths) above the average for its days. */
export const SPIKE_MIN_EXCESS = 10_000n;
/** Fewer days of history than this say nothing about a spike. */
export const SPIKE_MIN_HISTORY_DAYS = 28;
/** The history the average is taken over: accepted readings of the last year. */
export const HISTORY_DAYS = 366;
/** A reading more than this many days after the previous accepted one closes a gap. */
export const GAP_DAYS = 62;

/** An accepted reading of the register. */
export type PastReading = { readOn: LocalDate; value: Milli };

/** What the check needs to know about a new reading. */
export type VeeInput = {
  reading: { readOn: LocalDate; value: Milli };
  register: { digits: number; installedOn: LocalDate; installReading: Milli };
  /** Accepted readings of the register dated on or before the new one, oldest first. */
  history: readonly PastReading[];
  /** A reading of the register on the same date exists and is not rejected. */
  duplicate: boolean;
};

/** The outcome: every rule that fired (in precedence order) and the one the reading keeps. */
export type VeeResult = { codes: VeeCode[]; code: VeeCode | null };

/**
 * Checks a reading against the register's history (see the rules above). The reading must have
 * passed recordReading's checks: a reading below the previous one that is no rollover throws
 * READING_BELOW_PREVIOUS here as there.
 */
export function validateReading(input: VeeInput): VeeResult {
  const { reading, register } = input;
  const last = input.history[input.history.length - 1];
  const previous: PastReading = last ?? { readOn: register.installedOn, value: register.installReading };
  const advance = readingAdvance({ previous: previous.value, value: reading.value, digits: register.digits });
  const days = Math.max(1, daysBetween(previous.readOn, reading.readOn));
  const usual = averageAdvance(input);

  const fired = new Set<VeeCode>();
  if (input.duplicate) fired.add('duplicate');
  if (reading.value < previous.value) fired.add('rollover');
  if (usual && usual.days >= SPIKE_MIN_HISTORY_DAYS) {
    const perDayAbove = advance * BigInt(usual.days) > SPIKE_FACTOR * usual.advance * BigInt(days);
    const excess = advance * BigInt(usual.days) - usual.advance * BigInt(days);
    if (perDayAbove && excess >= SPIKE_MIN_EXCESS * BigInt(usual.days)) fired.add('spike');
  }
  if (advance === 0n && (usual === null || usual.advance > 0n)) fired.add('zero');
  if (daysBetween(previous.readOn, reading.readOn) > GAP_DAYS) fired.add('gap');

  const codes = VEE_CODES.filter((c) => fired.has(c));
  return { codes, code: codes[0] ?? null };
}

/**
 * The register's advance over its recent accepted history (from the installation when the meter
 * is younger than HISTORY_DAYS), or null with fewer than one interval. Intervals that the rules
 * would refuse today (data entered before them) are left out rather than trusted.
 */
function averageAdvance(input: VeeInput): { advance: bigint; days: number } | null {
  const { register } = input;
  const last = input.history[input.history.length - 1];
  if (!last) return null;
  const since = input.history.filter((h) => daysBetween(h.readOn, last.readOn) <= HISTORY_DAYS);
  const first = since[0];
  const points: PastReading[] =
    input.history.length === since.length &&
    first &&
    compareDates(register.installedOn, first.readOn) < 0 &&
    daysBetween(register.installedOn, last.readOn) <= HISTORY_DAYS
      ? [{ readOn: register.installedOn, value: register.installReading }, ...since]
      : since;
  let advance = 0n;
  let days = 0;
  for (let i = 1; i < points.length; i++) {
    const from = points[i - 1];
    const to = points[i];
    if (!from || !to) continue;
    try {
      advance += readingAdvance({ previous: from.value, value: to.value, digits: register.digits });
      days += daysBetween(from.readOn, to.readOn);
    } catch (e) {
      // An old pair that no longer passes the checks says nothing about the usual advance.
      if (!isAppError(e)) throw e;
    }
  }
  return days > 0 ? { advance, days } : null;
}
