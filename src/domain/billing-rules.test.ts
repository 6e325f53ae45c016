import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { consumptionOf, readingAdvance } from './consumption.ts';
import { estimateQuantity, splitOverZones } from './estimation.ts';
import { formatMoney, tiyin } from './money.ts';
import { parseLocalDate, parsePeriod } from './period.ts';
import { formatPrice, parsePrice, parseRatio, price } from './price.ts';
import { formatQuantity, milli, parseQuantity, parseReading } from './quantity.ts';
import { reactiveLine } from './reactive.ts';
import { recalculationLine, recalculationShares } from './recalculation.ts';
import {
  assertValidVersions,
  type EnergyLine,
  type Pricing,
  priceEnergy,
  totalOf,
  versionFor,
} from './tariff-pricing.ts';

const RULE = { threshold: parseRatio('0.05'), factor: parseRatio('1.15') };
const flat900: Pricing = { kind: 'flat', price: parsePrice('900.00') };
const q = (s: string) => parseQuantity(s);
const show = (lines: EnergyLine[]) =>
  lines.map((l) => ({
    kind: l.kind,
    register: l.register,
    quantity: formatQuantity(l.quantity),
    price: formatPrice(l.price),
    amount: formatMoney(l.amount),
  }));

describe('reading advance (§2)', () => {
  const r = (s: string) => parseReading(s);
  it('is the difference times nothing: the multiplier comes after', () => {
    expect(readingAdvance({ previous: r('1000.00'), value: r('1250.00'), digits: 6 })).toBe(q('250'));
    expect(
      consumptionOf(readingAdvance({ previous: r('1000.00'), value: r('1250.00'), digits: 6 }), 40n),
    ).toBe(q('10000'));
  });

  it('rolls over only from the top 10 % to the bottom 10 %', () => {
    expect(readingAdvance({ previous: r('99950.00'), value: r('120.00'), digits: 5 })).toBe(q('170'));
    expect(() => readingAdvance({ previous: r('350.00'), value: r('340.00'), digits: 5 })).toThrow(
      expect.objectContaining({ code: 'READING_BELOW_PREVIOUS' }),
    );
    expect(() => readingAdvance({ previous: r('89999.99'), value: r('10.00'), digits: 5 })).toThrow(
      expect.objectContaining({ code: 'READING_BELOW_PREVIOUS' }),
    );
    expect(() => readingAdvance({ previous: r('95000.00'), value: r('10000.00'), digits: 5 })).toThrow(
      expect.objectContaining({ code: 'READING_BELOW_PREVIOUS' }),
    );
  });

  it('refuses readings beyond the digits or with a third decimal', () => {
    expect(() => readingAdvance({ previous: r('0'), value: r('100000.00'), digits: 5 })).toThrow(
      expect.objectContaining({ code: 'READING_TOO_LARGE' }),
    );
    expect(() => readingAdvance({ previous: milli(0n), value: milli(1001n), digits: 5 })).toThrow(
      expect.objectContaining({ code: 'INVALID_READING' }),
    );
  });

  it('never yields a negative advance, and a rollover equals the distance around the dial', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 8 }),
        fc.bigInt({ min: 0n, max: 10n ** 11n }),
        fc.bigInt({ min: 0n, max: 10n ** 11n }),
        (digits, a, b) => {
          const cap = 10n ** BigInt(digits) * 100n; // in hundredths
          const previous = milli((a % cap) * 10n);
          const value = milli((b % cap) * 10n);
          try {
            const adv = readingAdvance({ previous, value, digits });
            expect(adv >= 0n).toBe(true);
            expect((previous + adv) % (cap * 10n)).toBe(value);
          } catch (e) {
            expect(value < previous).toBe(true);
            expect((e as { code: string }).code).toBe('READING_BELOW_PREVIOUS');
          }
        },
      ),
    );
  });
});

describe('tariff versions (§7)', () => {
  const v = (from: string) => ({ from: parseLocalDate(from), pricing: flat900, reactivePrice: null });
  it('refuses a version not on the 1st and two on one day', () => {
    expect(() => assertValidVersions([v('2025-01-02')])).toThrow(
      expect.objectContaining({ code: 'TARIFF_VERSION_NOT_FIRST' }),
    );
    expect(() => assertValidVersions([v('2025-01-01'), v('2025-01-01')])).toThrow(
      expect.objectContaining({ code: 'TARIFF_VERSION_DUPLICATE' }),
    );
  });
  it('uses the version in force on the 1st of the period', () => {
    const versions = [v('2025-01-01'), v('2025-03-01')];
    expect(versionFor(versions, parsePeriod('2025-02')).from).toBe('2025-01-01');
    expect(versionFor(versions, parsePeriod('2025-03')).from).toBe('2025-03-01');
    expect(() => versionFor(versions, parsePeriod('2024-12'))).toThrow(
      expect.objectContaining({ code: 'TARIFF_NOT_IN_FORCE' }),
    );
  });
});

describe('pricing with overconsumption (§5)', () => {
  const one = (quantity: string) => new Map([['1.8.0', q(quantity)]]);

  it('bills the worked examples of §11', () => {
    expect(
      show(priceEnergy({ pricing: flat900, quantities: one('10000'), volume: q('10000'), rule: RULE })),
    ).toEqual([
      { kind: 'energy', register: '1.8.0', quantity: '10000.000', price: '900.00', amount: '9000000.00' },
    ]);
    expect(
      show(priceEnergy({ pricing: flat900, quantities: one('11349.153'), volume: q('10000'), rule: RULE })),
    ).toEqual([
      { kind: 'energy', register: '1.8.0', quantity: '10000.000', price: '900.00', amount: '9000000.00' },
      {
        kind: 'overconsumption',
        register: '1.8.0',
        quantity: '1349.153',
        price: '1035.00',
        amount: '1396373.36',
      },
    ]);
    // 10,250.847 ≤ 10,500: no overconsumption
    expect(
      formatMoney(
        totalOf(
          priceEnergy({ pricing: flat900, quantities: one('10250.847'), volume: q('10000'), rule: RULE }),
        ),
      ),
    ).toBe('9225762.30');
  });

  it('charges exactly at the threshold at the plain price', () => {
    expect(
      priceEnergy({ pricing: flat900, quantities: one('10500'), volume: q('10000'), rule: RULE }),
    ).toHaveLength(1);
    expect(
      priceEnergy({ pricing: flat900, quantities: one('10500.001'), volume: q('10000'), rule: RULE }),
    ).toHaveLength(2);
    expect(
      priceEnergy({ pricing: flat900, quantities: one('20000'), volume: null, rule: RULE }),
    ).toHaveLength(1);
    expect(
      priceEnergy({ pricing: flat900, quantities: one('20000'), volume: q('10000'), rule: null }),
    ).toHaveLength(1);
  });

  it('splits the volume over zones in proportion to their quantities', () => {
    const zones: Pricing = {
      kind: 'zones',
      zones: { '1.8.1': parsePrice('1000'), '1.8.2': parsePrice('500'), '1.8.3': parsePrice('1500') },
    };
    const quantities = new Map([
      ['1.8.1', q('6000')],
      ['1.8.2', q('3000')],
      ['1.8.3', q('3000')],
    ]);
    expect(show(priceEnergy({ pricing: zones, quantities, volume: q('10000'), rule: RULE }))).toEqual([
      { kind: 'energy', register: '1.8.1', quantity: '5000.000', price: '1000.00', amount: '5000000.00' },
      {
        kind: 'overconsumption',
        register: '1.8.1',
        quantity: '1000.000',
        price: '1150.00',
        amount: '1150000.00',
      },
      { kind: 'energy', register: '1.8.2', quantity: '2500.000', price: '500.00', amount: '1250000.00' },
      {
        kind: 'overconsumption',
        register: '1.8.2',
        quantity: '500.000',
        price: '575.00',
        amount: '287500.00',
      },
      { kind: 'energy', register: '1.8.3', quantity: '2500.000', price: '1500.00', amount: '3750000.00' },
      {
        kind: 'overconsumption',
        register: '1.8.3',
        quantity: '500.000',
        price: '1725.00',
        amount: '862500.00',
      },
    ]);
  });

  it('prices household blocks cumulatively (scenario 02)', () => {
    const blocks: Pricing = {
      kind: 'blocks',
      blocks: [
        { upto: q('200'), price: parsePrice('600') },
        { upto: null, price: parsePrice('1000') },
      ],
    };
    expect(show(priceEnergy({ pricing: blocks, quantities: one('350') }))).toEqual([
      { kind: 'energy', register: '1.8.0', quantity: '200.000', price: '600.00', amount: '120000.00' },
      { kind: 'energy', register: '1.8.0', quantity: '150.000', price: '1000.00', amount: '150000.00' },
    ]);
    expect(show(priceEnergy({ pricing: blocks, quantities: one('170') }))).toEqual([
      { kind: 'energy', register: '1.8.0', quantity: '170.000', price: '600.00', amount: '102000.00' },
    ]);
    expect(() =>
      priceEnergy({ pricing: blocks, quantities: one('170'), volume: q('100'), rule: RULE }),
    ).toThrow(expect.objectContaining({ code: 'BLOCK_TARIFF_WITH_VOLUME' }));
  });

  it('always bills the whole quantity, never less than at the plain price', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 10n }),
        fc.bigInt({ min: 0n, max: 10n ** 10n }),
        fc.bigInt({ min: 1n, max: 10n ** 8n }),
        (qty, vol, p) => {
          const lines = priceEnergy({
            pricing: { kind: 'flat', price: price(p) },
            quantities: new Map([['1.8.0', milli(qty)]]),
            volume: milli(vol),
            rule: RULE,
          });
          expect(lines.reduce((a, l) => a + l.quantity, 0n)).toBe(qty);
          const plain = priceEnergy({
            pricing: { kind: 'flat', price: price(p) },
            quantities: new Map([['1.8.0', milli(qty)]]),
          });
          expect(totalOf(lines) >= totalOf(plain)).toBe(true);
        },
      ),
    );
  });
});

describe('estimation (§3)', () => {
  it('bills the contract volume, or the average day of the last actual period', () => {
    expect(estimateQuantity({ method: 'contract', days: 28, volume: q('10000'), lastActual: null })).toEqual({
      quantity: q('10000'),
      from: 'contract',
    });
    expect(estimateQuantity({ method: 'contract', days: 28, volume: q('0'), lastActual: null })).toBeNull();
    expect(
      estimateQuantity({
        method: 'average_daily',
        days: 28,
        volume: q('10000'),
        lastActual: { quantity: q('3100'), days: 31 },
      }),
    ).toEqual({
      quantity: q('2800'),
      from: 'average_daily',
    });
    expect(
      estimateQuantity({
        method: 'average_daily',
        days: 30,
        volume: q('1'),
        lastActual: { quantity: q('1000'), days: 31 },
      })?.quantity,
    ).toBe(q('967.742'));
    expect(
      estimateQuantity({ method: 'average_daily', days: 30, volume: q('500'), lastActual: null }),
    ).toEqual({ quantity: q('500'), from: 'contract' });
  });

  it('spreads an estimate over zones like the last actual period, else all to 1.8.1', () => {
    const regs = ['1.8.1', '1.8.2', '1.8.3'];
    expect([
      ...splitOverZones(
        q('100'),
        regs,
        new Map([
          ['1.8.1', q('6')],
          ['1.8.2', q('3')],
          ['1.8.3', q('1')],
        ]),
      ).values(),
    ]).toEqual([q('60'), q('30'), q('10')]);
    expect([...splitOverZones(q('100'), regs, null).values()]).toEqual([q('100'), 0n, 0n]);
  });
});

describe('recalculation (§4)', () => {
  it('splits the worked example by days and recalculates February', () => {
    const [feb, mar] = recalculationShares(q('21600'), [28, 31]);
    expect(feb).toBe(q('10250.847'));
    expect(mar).toBe(q('11349.153'));
    const recomputed = totalOf(
      priceEnergy({
        pricing: flat900,
        quantities: new Map([['1.8.0', feb ?? milli(0n)]]),
        volume: q('10000'),
        rule: RULE,
      }),
    );
    const line = recalculationLine({
      forPeriod: '2025-02',
      share: feb ?? milli(0n),
      billedQuantity: q('10000'),
      billedAmount: tiyin(900_000_000n),
      recomputedAmount: recomputed,
    });
    expect(line && { quantity: formatQuantity(line.quantity), amount: formatMoney(line.amount) }).toEqual({
      quantity: '250.847',
      amount: '225762.30',
    });
  });

  it('always gives shares that add up to T', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.array(fc.integer({ min: 28, max: 31 }), { minLength: 1, maxLength: 12 }),
        (t, days) => {
          expect(recalculationShares(milli(t), days).reduce((a, b) => a + b, 0n)).toBe(t);
        },
      ),
    );
  });
});

describe('reactive energy (§6)', () => {
  it('charges the excess over tan φ × active', () => {
    const line = reactiveLine({
      active: q('10000'),
      reactive: q('6500'),
      tanPhiNorm: parseRatio('0.5'),
      price: parsePrice('90.00'),
    });
    expect(line && { quantity: formatQuantity(line.quantity), amount: formatMoney(line.amount) }).toEqual({
      quantity: '1500.000',
      amount: '135000.00',
    });
    expect(
      reactiveLine({
        active: q('10000'),
        reactive: q('5000'),
        tanPhiNorm: parseRatio('0.5'),
        price: parsePrice('90.00'),
      }),
    ).toBeNull();
  });
});
