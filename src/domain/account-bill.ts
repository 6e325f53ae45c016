import { readingAdvance } from './consumption.ts';
import { type EstimationMethod, estimateQuantity, splitOverZones } from './estimation.ts';
import type { Tiyin } from './money.ts';
import { daysInPeriod, type Period, prevPeriod } from './period.ts';
import type { Price, Ratio } from './price.ts';
import { type Milli, milli } from './quantity.ts';
import { reactiveLine } from './reactive.ts';
import { recalculationLine, recalculationShares } from './recalculation.ts';
import {
  type EnergyLine,
  type OverconsumptionRule,
  priceEnergy,
  type TariffVersion,
  totalOf,
  versionFor,
} from './tariff-pricing.ts';

// One account's energy bill for one period (billing-rules §2–§7), from data the caller loaded.
// Pure: the bill run loads the inputs of thousands of accounts at once, calls this for each and
// stores what it returns.

/** A bill line to post, before it gets its place in the bill. */
export type DraftLine = {
  kind: string;
  basis: 'actual' | 'estimated' | null;
  obis: string | null;
  forPeriod: Period | null;
  quantity: Milli | null;
  price: Price | null;
  amount: Tiyin;
};

/**
 * One register of one meter that counted in the period. `closing` is the last accepted reading
 * dated in the period (for a meter removed in the period: its removal reading), or null;
 * `previous` is the last accepted reading before the period, else the installation reading.
 */
export type RegisterReads = {
  obis: string;
  digits: number;
  multiplier: bigint;
  previous: Milli;
  closing: Milli | null;
};

/** An earlier period's billed energy and overconsumption (lines of other kinds left out). */
export type BilledPeriod = {
  period: Period;
  /** Some energy line of the period was billed on an actual reading. */
  actual: boolean;
  quantity: Milli;
  amount: Tiyin;
  /** Quantity of the actual lines per register. */
  actualByRegister: ReadonlyMap<string, Milli>;
};

export type AccountBillInput = {
  period: Period;
  versions: readonly TariffVersion[];
  /** The overconsumption rule; null where it does not apply (heat). */
  rule: OverconsumptionRule | null;
  /** The contract volume of a period: the per-period volume, else the default; null when none or 0. */
  volumeOf: (p: Period) => Milli | null;
  estimation: EstimationMethod;
  tanPhiNorm: Ratio | null;
  /** Every register of every meter that counted in the period, in any order. */
  registers: readonly RegisterReads[];
  /** Earlier periods with energy lines, any order. */
  history: readonly BilledPeriod[];
};

export type AccountBill = { lines: DraftLine[]; warning: 'NO_READING_NO_VOLUME' | null };

const isActive = (obis: string) => obis.startsWith('1.8.');

/** Consumption per register code: meters replaced in the period add up per register (§2). */
function consumptionByRegister(reads: readonly RegisterReads[]): Map<string, Milli> {
  const out = new Map<string, Milli>();
  for (const r of reads) {
    if (r.closing === null) continue;
    const advance = readingAdvance({ previous: r.previous, value: r.closing, digits: r.digits });
    out.set(r.obis, milli((out.get(r.obis) ?? 0n) + advance * r.multiplier));
  }
  return out;
}

/** The closed periods right before `period` billed on an estimate, oldest first. */
export function estimatedRun(period: Period, history: readonly BilledPeriod[]): BilledPeriod[] {
  const byPeriod = new Map(history.map((h) => [h.period, h]));
  const out: BilledPeriod[] = [];
  for (let p = prevPeriod(period); ; p = prevPeriod(p)) {
    const h = byPeriod.get(p);
    if (!h || h.actual) break;
    out.unshift(h);
  }
  return out;
}

/** Bills one account for one period: energy, overconsumption, recalculation and reactive lines. */
export function billAccount(input: AccountBillInput): AccountBill {
  const { period, versions, rule, volumeOf } = input;
  const version = versionFor(versions, period);
  const active = input.registers.filter((r) => isActive(r.obis));
  const activeCodes = [...new Set(active.map((r) => r.obis))].sort();
  const read = active.filter((r) => r.closing !== null);
  const lines: DraftLine[] = [];
  const toDraft = (energy: EnergyLine[], basis: 'actual' | 'estimated'): DraftLine[] =>
    energy.map((l) => ({
      kind: l.kind,
      basis,
      obis: l.register,
      forPeriod: null,
      quantity: l.quantity,
      price: l.price,
      amount: l.amount,
    }));

  if (read.length === 0) {
    const last = [...input.history]
      .filter((h) => h.actual && h.period < period)
      .sort((a, b) => (a.period < b.period ? 1 : -1))[0];
    const estimate = estimateQuantity({
      method: input.estimation,
      days: daysInPeriod(period),
      volume: volumeOf(period),
      lastActual: last ? { quantity: last.quantity, days: daysInPeriod(last.period) } : null,
    });
    if (!estimate || activeCodes.length === 0) return { lines: [], warning: 'NO_READING_NO_VOLUME' };
    const split =
      activeCodes.length > 1
        ? splitOverZones(estimate.quantity, activeCodes, last?.actualByRegister ?? null)
        : new Map([[activeCodes[0] ?? '1.8.0', estimate.quantity]]);
    return {
      lines: toDraft(priceEnergy({ pricing: version.pricing, quantities: split }), 'estimated'),
      warning: null,
    };
  }

  const quantities = consumptionByRegister(active);
  for (const code of activeCodes) if (!quantities.has(code)) quantities.set(code, milli(0n));
  const estimated = estimatedRun(period, input.history);
  let current: Map<string, Milli> = quantities;
  if (estimated.length > 0) {
    const days = [...estimated.map((h) => daysInPeriod(h.period)), daysInPeriod(period)];
    const shares = new Map([...quantities].map(([obis, t]) => [obis, recalculationShares(t, days)]));
    const shareOf = (i: number) => new Map([...shares].map(([obis, s]) => [obis, s[i] ?? milli(0n)]));
    for (const [i, billed] of estimated.entries()) {
      const own = shareOf(i);
      const recomputed = totalOf(
        priceEnergy({
          pricing: versionFor(versions, billed.period).pricing,
          quantities: own,
          volume: volumeOf(billed.period),
          rule,
        }),
      );
      const line = recalculationLine({
        forPeriod: billed.period,
        share: milli([...own.values()].reduce((a, b) => a + b, 0n)),
        billedQuantity: billed.quantity,
        billedAmount: billed.amount,
        recomputedAmount: recomputed,
      });
      if (line)
        lines.push({
          kind: 'recalculation',
          basis: null,
          obis: null,
          forPeriod: billed.period,
          quantity: line.quantity,
          price: null,
          amount: line.amount,
        });
    }
    current = shareOf(estimated.length);
  }
  lines.unshift(
    ...toDraft(
      priceEnergy({ pricing: version.pricing, quantities: current, volume: volumeOf(period), rule }),
      'actual',
    ),
  );
  const reactiveReads = input.registers.filter((r) => r.obis === '3.8.0');
  if (
    reactiveReads.some((r) => r.closing !== null) &&
    input.tanPhiNorm !== null &&
    version.reactivePrice !== null
  ) {
    const reactive = consumptionByRegister(reactiveReads).get('3.8.0') ?? milli(0n);
    const line = reactiveLine({
      active: milli([...current.values()].reduce((a, b) => a + b, 0n)),
      reactive,
      tanPhiNorm: input.tanPhiNorm,
      price: version.reactivePrice,
    });
    if (line)
      lines.push({
        kind: 'reactive',
        basis: 'actual',
        obis: '3.8.0',
        forPeriod: null,
        quantity: line.quantity,
        price: line.price,
        amount: line.amount,
      });
  }
  return { lines, warning: null };
}
