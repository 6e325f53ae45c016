import { sumMoney, type Tiyin, tiyin } from './money.ts';

/**
 * The daily reconciliation of a payment channel (R5): what the channel's registry says was paid
 * that day against what was booked on that channel for that day, paired by external id (the
 * same key that makes payments idempotent):
 * - matched: in both, same amount;
 * - differentAmount: in both, amounts differ;
 * - missing: in the registry, not booked (unmatched, reversed, or never received);
 * - extra: booked, not in the registry.
 */

/** What every side of the comparison carries. */
export type Keyed = { externalId: string; amount: Tiyin };

/** A count and a sum. */
export type Tally = { count: number; amount: Tiyin };

/** The comparison, category by category, with its totals. */
export type Reconciliation<R extends Keyed, B extends Keyed> = {
  matched: { registry: R; booked: B }[];
  differentAmount: { registry: R; booked: B; difference: Tiyin }[];
  missing: R[];
  extra: B[];
  totals: {
    registry: Tally;
    booked: Tally;
    matched: Tally;
    differentAmount: { count: number; registry: Tiyin; booked: Tiyin };
    missing: Tally;
    extra: Tally;
  };
};

/**
 * Compares a registry with the booked payments. A registry line repeated (the same payment in
 * two overlapping statements) counts once; lists keep the registry's and the booking's order.
 */
export function reconcile<R extends Keyed, B extends Keyed>(
  registry: readonly R[],
  booked: readonly B[],
): Reconciliation<R, B> {
  const lines = new Map<string, R>();
  for (const r of registry) if (!lines.has(r.externalId)) lines.set(r.externalId, r);
  const bookings = new Map<string, B>();
  for (const b of booked) if (!bookings.has(b.externalId)) bookings.set(b.externalId, b);

  const out: Reconciliation<R, B> = {
    matched: [],
    differentAmount: [],
    missing: [],
    extra: [],
    totals: {
      registry: tally([...lines.values()]),
      booked: tally([...bookings.values()]),
      matched: tally([]),
      differentAmount: { count: 0, registry: tiyin(0n), booked: tiyin(0n) },
      missing: tally([]),
      extra: tally([]),
    },
  };
  for (const r of lines.values()) {
    const b = bookings.get(r.externalId);
    if (!b) out.missing.push(r);
    else if (b.amount === r.amount) out.matched.push({ registry: r, booked: b });
    else out.differentAmount.push({ registry: r, booked: b, difference: tiyin(b.amount - r.amount) });
  }
  for (const b of bookings.values()) if (!lines.has(b.externalId)) out.extra.push(b);
  out.totals.matched = tally(out.matched.map((m) => m.registry));
  out.totals.missing = tally(out.missing);
  out.totals.extra = tally(out.extra);
  out.totals.differentAmount = {
    count: out.differentAmount.length,
    registry: sumMoney(out.differentAmount.map((d) => d.registry.amount)),
    booked: sumMoney(out.differentAmount.map((d) => d.booked.amount)),
  };
  return out;
}

function tally(xs: readonly Keyed[]): Tally {
  return { count: xs.length, amount: sumMoney(xs.map((x) => x.amount)) };
}
