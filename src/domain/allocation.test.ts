import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Allocation,
  allocate,
  applyAllocations,
  balanceOf,
  decidePaymentRepeat,
  decideReversal,
  LINE_KIND_ORDER,
  type OpenItem,
  orderItems,
  splitCharges,
  unpaidOf,
} from './allocation.ts';
import { type Tiyin, tiyin, ZERO_TIYIN } from './money.ts';
import { addPeriods, type Period, parsePeriod } from './period.ts';

const P = (s: string): Period => parsePeriod(s);
const so = (n: bigint): Tiyin => tiyin(n * 100n);

function item(
  id: string,
  period: string,
  kind: OpenItem['kind'],
  seq: number,
  amount: Tiyin,
  paid = ZERO_TIYIN,
) {
  return { id, period: P(period), kind, seq, amount, paid } satisfies OpenItem;
}

const openItem = fc
  .record({
    month: fc.integer({ min: 0, max: 5 }),
    kind: fc.constantFrom(...LINE_KIND_ORDER),
    seq: fc.integer({ min: 0, max: 1000 }),
    amount: fc.bigInt({ min: 1n, max: 10_000_000n }),
    paidShare: fc.integer({ min: 0, max: 4 }),
  })
  .map(({ month, kind, seq, amount, paidShare }) => ({
    period: addPeriods(P('2025-01'), month),
    kind,
    seq,
    amount: tiyin(amount),
    paid: tiyin(paidShare === 4 ? amount : (amount * BigInt(paidShare)) / 4n),
  }));
const openItems = fc
  .array(openItem, { maxLength: 12 })
  .map((xs) => xs.map((x, i): OpenItem => ({ ...x, id: `i${i}`, seq: x.seq * 100 + i })));
const money = fc.bigInt({ min: 0n, max: 60_000_000n }).map(tiyin);

function given(allocations: readonly Allocation[], id: string): bigint {
  return allocations.filter((a) => a.itemId === id).reduce((s, a) => s + a.amount, 0n);
}

describe('payment allocation', () => {
  it('orders items by posting period, then kind, then posting order', () => {
    const items = [
      item('feb-energy', '2025-02', 'energy', 1, so(5n)),
      item('jan-penalty', '2025-01', 'penalty', 2, so(5n)),
      item('jan-recalc', '2025-01', 'recalculation', 9, so(5n)),
      item('jan-energy-2', '2025-01', 'energy', 7, so(5n)),
      item('jan-energy-1', '2025-01', 'energy', 3, so(5n)),
      item('jan-over', '2025-01', 'overconsumption', 1, so(5n)),
    ];
    expect(orderItems(items).map((i) => i.id)).toEqual([
      'jan-energy-1',
      'jan-energy-2',
      'jan-over',
      'jan-recalc',
      'jan-penalty',
      'feb-energy',
    ]);
  });

  it('covers the oldest items first and leaves the rest as an advance (scenario 01, 5 April)', () => {
    const items = [
      item('mar-penalty', '2025-03', 'penalty', 6, so(191_000n)),
      item('mar-recalc', '2025-03', 'recalculation', 5, tiyin(22_576_230n)),
      item('mar-over', '2025-03', 'overconsumption', 4, tiyin(139_637_336n)),
      item('mar-energy', '2025-03', 'energy', 3, so(9_000_000n)),
      item('feb-energy', '2025-02', 'energy', 2, so(9_000_000n)),
      item('jan-energy', '2025-01', 'energy', 1, so(9_000_000n), so(4_000_000n)),
    ];
    const { allocations, left } = allocate(so(30_000_000n), items);
    expect(allocations).toEqual([
      { itemId: 'jan-energy', amount: so(5_000_000n) },
      { itemId: 'feb-energy', amount: so(9_000_000n) },
      { itemId: 'mar-energy', amount: so(9_000_000n) },
      { itemId: 'mar-over', amount: tiyin(139_637_336n) },
      { itemId: 'mar-recalc', amount: tiyin(22_576_230n) },
      { itemId: 'mar-penalty', amount: so(191_000n) },
    ]);
    expect(left).toBe(tiyin(518_686_434n));
  });

  it('stops part-way through an item when the payment runs out', () => {
    const items = [
      item('a', '2025-01', 'energy', 1, so(100n)),
      item('b', '2025-01', 'reactive', 2, so(100n)),
    ];
    expect(allocate(so(150n), items)).toEqual({
      allocations: [
        { itemId: 'a', amount: so(100n) },
        { itemId: 'b', amount: so(50n) },
      ],
      left: ZERO_TIYIN,
    });
    expect(allocate(ZERO_TIYIN, items)).toEqual({ allocations: [], left: ZERO_TIYIN });
    expect(() => allocate(tiyin(-1n), items)).toThrow(RangeError);
  });

  it('turns negative lines into credits and drops zero lines', () => {
    const { items, credits } = splitCharges([
      { id: 'e', period: P('2025-03'), kind: 'energy', seq: 1, amount: so(900n) },
      { id: 'r', period: P('2025-03'), kind: 'recalculation', seq: 2, amount: so(-250n) },
      { id: 'z', period: P('2025-03'), kind: 'correction', seq: 3, amount: ZERO_TIYIN },
    ]);
    expect(items).toEqual([item('e', '2025-03', 'energy', 1, so(900n))]);
    expect(credits).toEqual([{ lineId: 'r', period: P('2025-03'), amount: so(250n) }]);
    expect(allocate(credits[0]?.amount ?? ZERO_TIYIN, items)).toEqual({
      allocations: [{ itemId: 'e', amount: so(250n) }],
      left: ZERO_TIYIN,
    });
  });

  it('computes the balance as charges minus payments', () => {
    expect(
      balanceOf(
        [so(9_000_000n), so(9_000_000n), tiyin(1_081_313_566n), so(9_056_000n)],
        [so(4_000_000n), so(30_000_000n)],
      ),
    ).toBe(tiyin(386_913_566n));
    expect(balanceOf([so(10n)], [so(15n)])).toBe(so(-5n));
    expect(balanceOf([], [])).toBe(ZERO_TIYIN);
  });

  it('never gives more than the payment nor more than an item is owed', () => {
    fc.assert(
      fc.property(money, openItems, (amount, items) => {
        const { allocations, left } = allocate(amount, items);
        const total = allocations.reduce((s, a) => s + a.amount, 0n);
        expect(total + left).toBe(amount);
        expect(left >= 0n).toBe(true);
        for (const a of allocations) expect(a.amount > 0n).toBe(true);
        for (const i of items) expect(given(allocations, i.id) <= unpaidOf(i)).toBe(true);
      }),
    );
  });

  it('gives no later item money while an earlier one stays unpaid', () => {
    fc.assert(
      fc.property(money, openItems, (amount, items) => {
        const { allocations, left } = allocate(amount, items);
        const after = orderItems(applyAllocations(items, allocations));
        const firstUnpaid = after.findIndex((i) => unpaidOf(i) > 0n);
        if (firstUnpaid === -1) return;
        for (const later of after.slice(firstUnpaid + 1)) {
          expect(given(allocations, later.id)).toBe(0n);
        }
        expect(left).toBe(0n);
      }),
    );
  });

  it('gives the same result for a payment split in two as for the whole', () => {
    fc.assert(
      fc.property(money, money, openItems, (a, b, items) => {
        const first = allocate(a, items);
        const second = allocate(b, applyAllocations(items, first.allocations));
        const whole = allocate(tiyin(a + b), items);
        const split = applyAllocations(applyAllocations(items, first.allocations), second.allocations);
        expect(split).toEqual(applyAllocations(items, whole.allocations));
        expect(first.left + second.left).toBe(whole.left);
      }),
    );
  });
});

describe('repeated and reversed payments', () => {
  it('accepts a repeat with the same amount as a duplicate and refuses another amount', () => {
    expect(decidePaymentRepeat(undefined, so(100n))).toBe('new');
    expect(decidePaymentRepeat({ amount: so(100n), status: 'booked' }, so(100n))).toBe('duplicate');
    expect(decidePaymentRepeat({ amount: so(100n), status: 'reversed' }, so(100n))).toBe('duplicate');
    expect(() => decidePaymentRepeat({ amount: so(100n), status: 'booked' }, so(101n))).toThrow(
      expect.objectContaining({ code: 'PAYMENT_CONFLICT' }),
    );
  });

  it('refuses to reverse an unknown or already reversed payment', () => {
    expect(decideReversal({ status: 'booked' })).toBe('reopen_items');
    expect(decideReversal({ status: 'unmatched' })).toBe('void_unmatched');
    expect(() => decideReversal(undefined)).toThrow(expect.objectContaining({ code: 'PAYMENT_NOT_FOUND' }));
    expect(() => decideReversal({ status: 'reversed' })).toThrow(
      expect.objectContaining({ code: 'PAYMENT_ALREADY_REVERSED' }),
    );
  });

  it('changes nothing when a payment is received twice', () => {
    type Ledger = { items: OpenItem[]; advance: bigint; seen: Map<string, Tiyin> };
    const receive = (ledger: Ledger, id: string, amount: Tiyin): Ledger => {
      const existing = ledger.seen.get(id);
      const decision = decidePaymentRepeat(
        existing === undefined ? undefined : { amount: existing, status: 'booked' },
        amount,
      );
      switch (decision) {
        case 'duplicate':
          return ledger;
        case 'new': {
          const { allocations, left } = allocate(amount, ledger.items);
          return {
            items: applyAllocations(ledger.items, allocations),
            advance: ledger.advance + left,
            seen: new Map([...ledger.seen, [id, amount]]),
          };
        }
      }
    };
    const payments = fc.array(fc.tuple(fc.constantFrom('P1', 'P2', 'P3'), money), { maxLength: 4 });
    fc.assert(
      fc.property(openItems, payments, fc.nat(), (items, list, dupAt) => {
        const unique = list.filter(([id], i) => list.findIndex(([other]) => other === id) === i);
        const start: Ledger = { items, advance: 0n, seen: new Map() };
        const once = unique.reduce((l, [id, amount]) => receive(l, id, amount), start);
        if (unique.length === 0) return;
        const dup = unique[dupAt % unique.length];
        if (dup === undefined) return;
        const withDup = [...unique, dup].reduce((l, [id, amount]) => receive(l, id, amount), start);
        expect(withDup.items).toEqual(once.items);
        expect(withDup.advance).toBe(once.advance);
      }),
    );
  });
});
