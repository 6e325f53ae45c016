import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AccountBillInput, type BilledPeriod, billAccount, estimatedRun } from './account-bill.ts';
import { tiyin } from './money.ts';
import { type Period, parseLocalDate } from './period.ts';
import { price } from './price.ts';
import { milli } from './quantity.ts';

const JAN = '2025-01' as Period;
const FEB = '2025-02' as Period;
const MAR = '2025-03' as Period;

const base: AccountBillInput = {
  period: MAR,
  versions: [
    {
      from: parseLocalDate('2025-01-01'),
      pricing: { kind: 'flat', price: price(9_000_000n) },
      reactivePrice: null,
    },
  ],
  rule: { threshold: { num: 5n, den: 100n }, factor: { num: 115n, den: 100n } },
  volumeOf: () => milli(10_000_000n),
  estimation: 'contract',
  tanPhiNorm: null,
  registers: [],
  history: [],
};

const billed = (period: Period, actual: boolean, quantity: bigint, amount: bigint): BilledPeriod => ({
  period,
  actual,
  quantity: milli(quantity),
  amount: tiyin(amount),
  actualByRegister: new Map(actual ? [['1.8.0', milli(quantity)]] : []),
});

describe('one account’s bill (billing-rules §2–§6)', () => {
  it('bills the worked example of §11 for March: its share, overconsumption and February’s recalculation', () => {
    const bill = billAccount({
      ...base,
      registers: [
        {
          obis: '1.8.0',
          digits: 6,
          multiplier: 40n,
          previous: milli(1_250_000n),
          closing: milli(1_790_000n),
        },
      ],
      history: [billed(JAN, true, 10_000_000n, 900_000_000n), billed(FEB, false, 10_000_000n, 900_000_000n)],
    });
    expect(bill.warning).toBeNull();
    expect(bill.lines.map((l) => [l.kind, l.basis, l.forPeriod, l.quantity, l.amount])).toEqual([
      ['energy', 'actual', null, 10_000_000n, 900_000_000n],
      ['overconsumption', 'actual', null, 1_349_153n, 139_637_336n],
      ['recalculation', null, FEB, 250_847n, 22_576_230n],
    ]);
  });

  it('adds up an old and a new meter of one register into one line (meter replacement)', () => {
    const bill = billAccount({
      ...base,
      volumeOf: () => null,
      registers: [
        {
          obis: '1.8.0',
          digits: 6,
          multiplier: 40n,
          previous: milli(1_250_000n),
          closing: milli(1_300_000n),
        },
        { obis: '1.8.0', digits: 6, multiplier: 20n, previous: milli(0n), closing: milli(100_000n) },
      ],
    });
    expect(bill.lines.map((l) => [l.kind, l.quantity, l.amount])).toEqual([
      ['energy', 4_000_000n, 360_000_000n],
    ]);
  });

  it('estimates without a reading, warns with neither reading nor volume, and never estimates reactive energy', () => {
    const registers = [
      { obis: '1.8.0', digits: 6, multiplier: 1n, previous: milli(0n), closing: null },
      { obis: '3.8.0', digits: 6, multiplier: 1n, previous: milli(0n), closing: milli(500_000n) },
    ];
    const estimated = billAccount({ ...base, registers, tanPhiNorm: { num: 1n, den: 2n } });
    expect(estimated.lines.map((l) => [l.kind, l.basis, l.quantity])).toEqual([
      ['energy', 'estimated', 10_000_000n],
    ]);
    expect(billAccount({ ...base, registers, volumeOf: () => null })).toEqual({
      lines: [],
      warning: 'NO_READING_NO_VOLUME',
    });
  });

  it('finds the estimated periods right before, stopping at the last actual one or a gap', () => {
    const history = [
      billed('2024-11' as Period, false, 1n, 1n),
      billed(JAN, true, 1n, 1n),
      billed(FEB, false, 1n, 1n),
    ];
    expect(estimatedRun(MAR, history).map((h) => h.period)).toEqual([FEB]);
    expect(estimatedRun('2025-04' as Period, history)).toEqual([]);
  });

  it('bills the same whether a register’s consumption came through one meter or two', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.option(fc.integer({ min: 1, max: 8_000_000 }), { nil: null }),
        (a, b, volume) => {
          const input = { ...base, volumeOf: () => (volume === null ? null : milli(BigInt(volume))) };
          const reg = (closing: number) => ({
            obis: '1.8.0',
            digits: 7,
            multiplier: 1n,
            previous: milli(0n),
            closing: milli(BigInt(closing) * 10n),
          });
          const one = billAccount({ ...input, registers: [reg(a + b)] });
          const two = billAccount({ ...input, registers: [reg(a), reg(b)] });
          expect(two).toEqual(one);
        },
      ),
    );
  });
});
