import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, decidePaymentRepeat, type OpenItem } from './allocation.ts';
import { type Tiyin, tiyin, ZERO_TIYIN } from './money.ts';
import {
  accruePenalty,
  accruePenaltyBetween,
  type ExactPenalty,
  exactPenalty,
  overdueFrom,
  PENALTY_SCALE,
  type PenaltyInput,
  penaltyLineAmount,
  type UnpaidChange,
  ZERO_PENALTY,
} from './penalty.ts';
import {
  addDays,
  addPeriods,
  firstDay,
  type LocalDate,
  lastDay,
  type Period,
  parseLocalDate,
  parsePeriod,
  periodsBetween,
} from './period.ts';
import { parseRatio, type Ratio } from './price.ts';

const P = (s: string): Period => parsePeriod(s);
const D = (s: string): LocalDate => parseLocalDate(s);
const so = (n: bigint): Tiyin => tiyin(n * 100n);
const soExact = (n: bigint): ExactPenalty => exactPenalty(n * 100n * PENALTY_SCALE);
const RATE = parseRatio('0.001');
const SPECIAL_RATE = parseRatio('0.002');
const CAP = parseRatio('0.5');

function base(over: Partial<PenaltyInput> = {}): PenaltyInput {
  return {
    posted: P('2025-01'),
    amount: so(9_000_000n),
    changes: [],
    rate: RATE,
    cap: CAP,
    period: P('2025-03'),
    accruedBefore: ZERO_PENALTY,
    ...over,
  };
}

describe('penalty', () => {
  it('makes a charge overdue from the 1st of the month after next', () => {
    expect(overdueFrom(P('2025-01'))).toBe('2025-03-01');
    expect(overdueFrom(P('2024-12'))).toBe('2025-02-01');
    expect(overdueFrom(P('2025-11'))).toBe('2026-01-01');
    expect(accruePenalty(base({ period: P('2025-02') })).exact).toBe(0n);
  });

  it('counts a payment for the end of its day (worked example: March = 191,000.00)', () => {
    const march = accruePenalty(base({ changes: [{ date: D('2025-03-10'), delta: so(-4_000_000n) }] }));
    expect(march.exact).toBe(soExact(9n * 9_000n + 22n * 5_000n));
    expect(march.cumulative).toBe(soExact(191_000n));
    expect(penaltyLineAmount([march.exact])).toBe(so(191_000n));
  });

  it('reproduces scenario 01: April penalty 56,000.00 after the 5 April payment', () => {
    type Item = Omit<OpenItem, 'paid'> & { paid: Tiyin; changes: UnpaidChange[]; accrued: ExactPenalty };
    const items: Item[] = [];
    const post = (id: string, period: string, kind: OpenItem['kind'], amount: Tiyin) =>
      items.push({
        id,
        period: P(period),
        kind,
        seq: items.length,
        amount,
        paid: ZERO_TIYIN,
        changes: [],
        accrued: ZERO_PENALTY,
      });
    const pay = (date: string, amount: Tiyin) => {
      for (const a of allocate(amount, items).allocations) {
        const it = items.find((i) => i.id === a.itemId);
        if (!it) throw new Error(a.itemId);
        it.paid = tiyin(it.paid + a.amount);
        it.changes.push({ date: D(date), delta: tiyin(-a.amount) });
      }
    };
    const close = (period: string): Tiyin => {
      const exacts = items
        .filter((i) => i.kind !== 'penalty')
        .map((i) => {
          const r = accruePenalty({
            ...base(),
            posted: i.period,
            amount: i.amount,
            changes: i.changes,
            period: P(period),
            accruedBefore: i.accrued,
          });
          i.accrued = r.cumulative;
          return r.exact;
        });
      return penaltyLineAmount(exacts);
    };

    post('jan-energy', '2025-01', 'energy', so(9_000_000n));
    expect(close('2025-01')).toBe(ZERO_TIYIN);
    post('feb-energy', '2025-02', 'energy', so(9_000_000n));
    expect(close('2025-02')).toBe(ZERO_TIYIN);
    pay('2025-03-10', so(4_000_000n));
    post('mar-energy', '2025-03', 'energy', so(9_000_000n));
    post('mar-over', '2025-03', 'overconsumption', tiyin(139_637_336n));
    post('mar-recalc', '2025-03', 'recalculation', tiyin(22_576_230n));
    const march = close('2025-03');
    expect(march).toBe(so(191_000n));
    post('mar-penalty', '2025-03', 'penalty', march);
    pay('2025-04-05', so(30_000_000n));
    expect(decidePaymentRepeat({ amount: so(30_000_000n), status: 'booked' }, so(30_000_000n))).toBe(
      'duplicate',
    );
    // January's 5,000,000 remainder: 4 days × 5,000; February's 9,000,000 (overdue 1 April): 4 days × 9,000.
    const april = close('2025-04');
    expect(april).toBe(so(4n * 5_000n + 4n * 9_000n));
    expect(april).toBe(so(56_000n));
  });

  it('caps a special-supply debt at 50 % and spreads it over the periods as they close', () => {
    let accrued = ZERO_PENALTY;
    const lines: bigint[] = [];
    for (const period of periodsBetween(P('2025-03'), P('2026-01'))) {
      const r = accruePenalty(
        base({ amount: so(1_000_000n), rate: SPECIAL_RATE, period, accruedBefore: accrued }),
      );
      accrued = r.cumulative;
      lines.push(penaltyLineAmount([r.exact]) / 100n);
    }
    expect(lines).toEqual([
      62_000n,
      60_000n,
      62_000n,
      60_000n,
      62_000n,
      62_000n,
      60_000n,
      62_000n,
      10_000n,
      0n,
      0n,
    ]);
    expect(accrued).toBe(soExact(500_000n));
  });

  it('accrues on a reopened item from the reversal date and raises the cap to the reopened amount', () => {
    const reopened = accruePenalty(
      base({
        amount: so(1_000_000n),
        changes: [
          { date: D('2025-02-15'), delta: so(-1_000_000n) },
          { date: D('2025-03-20'), delta: so(1_000_000n) },
        ],
      }),
    );
    expect(reopened.exact).toBe(soExact(12n * 1_000n));

    const steep = parseRatio('0.1');
    const capped = accruePenaltyBetween({
      ...base({ amount: so(1_000_000n), rate: steep }),
      changes: [{ date: D('2025-02-10'), delta: so(-600_000n) }],
      from: D('2025-03-01'),
      to: D('2025-03-19'),
    });
    expect(capped.cumulative).toBe(soExact(200_000n));
    const after = accruePenaltyBetween({
      ...base({ amount: so(1_000_000n), rate: steep, accruedBefore: capped.cumulative }),
      changes: [
        { date: D('2025-02-10'), delta: so(-600_000n) },
        { date: D('2025-03-20'), delta: so(600_000n) },
      ],
      from: D('2025-03-20'),
      to: D('2025-03-31'),
    });
    expect(after.exact).toBe(soExact(300_000n));
    expect(after.cumulative).toBe(soExact(500_000n));
  });

  it('rounds once per line, not per item or per day', () => {
    const small = (amount: bigint) => accruePenalty(base({ amount: tiyin(amount) })).exact;
    expect(penaltyLineAmount([small(150n)])).toBe(tiyin(5n)); // 31 × 0.15 = 4.65 tiyin
    const oneDay = accruePenaltyBetween({
      ...base({ amount: tiyin(150n) }),
      from: D('2025-03-01'),
      to: D('2025-03-01'),
    });
    expect(penaltyLineAmount([oneDay.exact, oneDay.exact, oneDay.exact, oneDay.exact])).toBe(tiyin(1n));
    expect(penaltyLineAmount([])).toBe(ZERO_TIYIN);
  });

  it('refuses rates it cannot keep exact and histories outside the charge', () => {
    expect(() => accruePenalty(base({ rate: { num: 1n, den: 3n } }))).toThrow(
      expect.objectContaining({ code: 'INVALID_RATE' }),
    );
    expect(() =>
      accruePenalty(base({ changes: [{ date: D('2025-03-02'), delta: so(-9_000_001n) }] })),
    ).toThrow(RangeError);
    expect(() => accruePenalty(base({ amount: ZERO_TIYIN }))).toThrow(RangeError);
  });
});

// Histories: a charge posted 2025-01, unpaid parts set on random days over ~13 months.
const START = D('2025-01-01');
const history = fc
  .record({
    amount: fc.bigInt({ min: 1n, max: 100_000_000n }),
    steps: fc.array(fc.tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 1000 })), {
      maxLength: 6,
    }),
  })
  .map(({ amount, steps }) => {
    const sorted = [...steps].sort((a, b) => a[0] - b[0]);
    const changes: UnpaidChange[] = [];
    let unpaid = amount;
    for (const [day, share] of sorted) {
      const target = (amount * BigInt(share)) / 1000n;
      changes.push({ date: addDays(START, day), delta: tiyin(target - unpaid) });
      unpaid = target;
    }
    return { amount: tiyin(amount), changes };
  });
const rate = fc.constantFrom('0.001', '0.002', '0.05').map(parseRatio);
const closing = fc.integer({ min: 0, max: 12 }).map((n) => addPeriods(P('2025-01'), n));

function unpaidAt(amount: Tiyin, changes: readonly UnpaidChange[], day: LocalDate): bigint {
  return changes.filter((c) => c.date <= day).reduce((s, c) => s + c.delta, amount as bigint);
}

function accrueThrough(h: { amount: Tiyin; changes: UnpaidChange[] }, r: Ratio, last: Period): ExactPenalty {
  let accrued = ZERO_PENALTY;
  for (const period of periodsBetween(P('2025-01'), last)) {
    accrued = accruePenalty({ ...base(), ...h, rate: r, period, accruedBefore: accrued }).cumulative;
  }
  return accrued;
}

describe('penalty properties', () => {
  it('never exceeds the cap on the largest overdue unpaid part', () => {
    fc.assert(
      fc.property(history, rate, closing, (h, r, last) => {
        const total = accrueThrough(h, r, last);
        let largest = 0n;
        for (let d = overdueFrom(P('2025-01')); d <= lastDay(last); d = addDays(d, 1)) {
          const u = unpaidAt(h.amount, h.changes, d);
          if (u > largest) largest = u;
        }
        expect(total <= (largest * PENALTY_SCALE) / 2n).toBe(true);
        expect(total >= 0n).toBe(true);
      }),
    );
  });

  it('grows with the unpaid amount', () => {
    fc.assert(
      fc.property(history, fc.bigInt({ min: 0n, max: 10_000_000n }), rate, closing, (h, extra, r, last) => {
        const more = { amount: tiyin(h.amount + extra), changes: h.changes };
        expect(accrueThrough(more, r, last) >= accrueThrough(h, r, last)).toBe(true);
      }),
    );
  });

  it('grows with the number of days', () => {
    fc.assert(
      fc.property(
        history,
        rate,
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 0, max: 60 }),
        (h, r, n, k) => {
          const range = (to: LocalDate) =>
            accruePenaltyBetween({ ...base(), ...h, rate: r, from: START, to }).exact;
          expect(range(addDays(START, n + k)) >= range(addDays(START, n))).toBe(true);
        },
      ),
    );
  });

  it('accrues nothing on an item with nothing unpaid', () => {
    fc.assert(
      fc.property(history, rate, closing, fc.integer({ min: 0, max: 58 }), (h, r, last, paidDay) => {
        const paid = {
          amount: h.amount,
          changes: [{ date: addDays(START, paidDay), delta: tiyin(-h.amount) }],
        };
        expect(accrueThrough(paid, r, last)).toBe(0n);
      }),
    );
  });

  it('gives the same total accrued day by day, period by period, or at once', () => {
    fc.assert(
      fc.property(history, rate, closing, (h, r, period) => {
        const whole = accruePenalty({
          ...base(),
          ...h,
          rate: r,
          period,
          accruedBefore: accrueThrough(h, r, addPeriods(period, -1)),
        });
        let accrued = accrueThrough(h, r, addPeriods(period, -1));
        let sum = 0n;
        for (let d = firstDay(period); d <= lastDay(period); d = addDays(d, 1)) {
          const day = accruePenaltyBetween({
            ...base(),
            ...h,
            rate: r,
            from: d,
            to: d,
            accruedBefore: accrued,
          });
          accrued = day.cumulative;
          sum += day.exact;
        }
        expect(sum).toBe(whole.exact);
        expect(accrued).toBe(whole.cumulative);
        const atOnce = accruePenaltyBetween({ ...base(), ...h, rate: r, from: START, to: lastDay(period) });
        expect(atOnce.cumulative).toBe(accrueThrough(h, r, period));
      }),
    );
  });
});
