import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMoney, type Tiyin, tiyin } from './money.ts';
import { reconcile } from './payment-reconciliation.ts';

const r = (externalId: string, amount: string) => ({
  externalId,
  amount: parseMoney(amount),
  side: 'registry',
});
const b = (externalId: string, amount: string) => ({
  externalId,
  amount: parseMoney(amount),
  side: 'booked',
});

describe('daily reconciliation of a channel', () => {
  it('sorts every payment into matched, different amount, missing and extra', () => {
    const result = reconcile(
      [r('A', '100.00'), r('B', '200.00'), r('C', '300.00'), r('A', '100.00')],
      [b('A', '100.00'), b('B', '250.00'), b('D', '400.00')],
    );
    expect(result.matched.map((m) => m.registry.externalId)).toEqual(['A']);
    expect(result.differentAmount).toEqual([
      { registry: r('B', '200.00'), booked: b('B', '250.00'), difference: parseMoney('50.00') },
    ]);
    expect(result.missing).toEqual([r('C', '300.00')]);
    expect(result.extra).toEqual([b('D', '400.00')]);
    expect(result.totals).toEqual({
      registry: { count: 3, amount: parseMoney('600.00') },
      booked: { count: 3, amount: parseMoney('750.00') },
      matched: { count: 1, amount: parseMoney('100.00') },
      differentAmount: { count: 1, registry: parseMoney('200.00'), booked: parseMoney('250.00') },
      missing: { count: 1, amount: parseMoney('300.00') },
      extra: { count: 1, amount: parseMoney('400.00') },
    });
  });

  it('accounts for every registry and booked payment exactly once', () => {
    const entry = fc.record({
      externalId: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
      amount: fc.bigInt({ min: 1n, max: 10_000n }).map((v): Tiyin => tiyin(v)),
    });
    fc.assert(
      fc.property(
        fc.array(entry, { maxLength: 8 }),
        fc.array(entry, { maxLength: 8 }),
        (registry, booked) => {
          const t = reconcile(registry, booked).totals;
          expect(t.matched.amount + t.differentAmount.registry + t.missing.amount).toBe(t.registry.amount);
          expect(t.matched.amount + t.differentAmount.booked + t.extra.amount).toBe(t.booked.amount);
          expect(t.matched.count + t.differentAmount.count + t.missing.count).toBe(t.registry.count);
          expect(t.matched.count + t.differentAmount.count + t.extra.count).toBe(t.booked.count);
        },
      ),
    );
  });
});
