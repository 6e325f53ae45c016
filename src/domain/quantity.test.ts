import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amountOf, formatPrice, ONE, parsePrice, parseRatio, price, priceTimes } from './price.ts';
import {
  formatQuantity,
  formatReading,
  milli,
  parseQuantity,
  parseReading,
  splitProportional,
} from './quantity.ts';

describe('quantities and readings', () => {
  it('parses quantities with up to 3 decimals', () => {
    expect(parseQuantity('10000')).toBe(10_000_000n);
    expect(parseQuantity('1349.153')).toBe(1_349_153n);
    expect(formatQuantity(milli(10_000_000n))).toBe('10000.000');
    expect(() => parseQuantity('1.0001')).toThrow(expect.objectContaining({ code: 'INVALID_QUANTITY' }));
  });

  it('parses readings with at most 2 decimals, the comma where the cabinet allows it', () => {
    expect(parseReading('1250.00')).toBe(1_250_000n);
    expect(parseReading('001250,5', { allowComma: true })).toBe(1_250_500n);
    expect(formatReading(milli(1_250_500n))).toBe('1250.50');
    for (const bad of ['1250.001', '-1.00', '1250,00', '1e3', '']) {
      expect(() => parseReading(bad), bad).toThrow(expect.objectContaining({ code: 'INVALID_READING' }));
    }
    expect(() => formatReading(milli(1n))).toThrow();
  });

  it('round-trips readings and quantities', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), (v) => {
        expect(parseReading(formatReading(milli(v * 10n)))).toBe(v * 10n);
        expect(parseQuantity(formatQuantity(milli(v)))).toBe(v);
      }),
    );
  });
});

describe('splitProportional (largest remainder)', () => {
  it('splits the worked example of billing-rules §11', () => {
    expect(splitProportional(21_600_000n, [28n, 31n])).toEqual([10_250_847n, 11_349_153n]);
  });

  it('gives ties to the earlier period', () => {
    expect(splitProportional(1n, [1n, 1n])).toEqual([1n, 0n]);
    expect(splitProportional(5n, [1n, 1n, 1n])).toEqual([2n, 2n, 1n]);
  });

  it('refuses an empty or negative split', () => {
    expect(() => splitProportional(10n, [0n, 0n])).toThrow(
      expect.objectContaining({ code: 'INVALID_SPLIT' }),
    );
    expect(() => splitProportional(-1n, [1n])).toThrow(expect.objectContaining({ code: 'INVALID_SPLIT' }));
  });

  it('always adds up to the total, each share within one unit of its exact part', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc
          .array(fc.bigInt({ min: 0n, max: 10_000n }), { minLength: 1, maxLength: 24 })
          .filter((w) => w.some((x) => x > 0n)),
        (total, weights) => {
          const shares = splitProportional(total, weights);
          expect(shares.reduce((a, b) => a + b, 0n)).toBe(total);
          const sum = weights.reduce((a, b) => a + b, 0n);
          shares.forEach((s, i) => {
            const exactTimesSum = total * (weights[i] ?? 0n);
            expect(s * sum >= exactTimesSum - sum && s * sum <= exactTimesSum + sum).toBe(true);
          });
        },
      ),
    );
  });
});

describe('prices and line amounts', () => {
  it('computes the worked examples exactly', () => {
    const p900 = parsePrice('900.00');
    const factor = parseRatio('1.15');
    expect(amountOf(parseQuantity('10000'), p900)).toBe(900_000_000n);
    expect(amountOf(parseQuantity('1349.153'), p900, factor)).toBe(139_637_336n); // 1,396,373.355 → .36
    expect(amountOf(parseQuantity('250.847'), p900)).toBe(22_576_230n);
    expect(amountOf(parseQuantity('1500'), parsePrice('90.00'))).toBe(13_500_000n);
    expect(formatPrice(priceTimes(p900, factor))).toBe('1035.00');
  });

  it('formats prices with 2 to 4 decimals', () => {
    expect(formatPrice(parsePrice('900'))).toBe('900.00');
    expect(formatPrice(parsePrice('12.3456'))).toBe('12.3456');
    expect(formatPrice(parsePrice('12.345'))).toBe('12.345');
    expect(formatPrice(parsePrice('12.34'))).toBe('12.34');
    expect(() => parsePrice('1.00001')).toThrow(expect.objectContaining({ code: 'INVALID_PRICE' }));
    expect(() => parsePrice('-1')).toThrow(expect.objectContaining({ code: 'INVALID_PRICE' }));
    expect(() => parseRatio('1e-3')).toThrow(expect.objectContaining({ code: 'INVALID_RATE' }));
  });

  it('rounds once: equal to a reference computed with decimal strings', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 10n }),
        fc.bigInt({ min: 0n, max: 10n ** 8n }),
        fc.constantFrom('1', '1.15', '0.001', '0.5', '1.333333'),
        (q, p, f) => {
          const ratio = f === '1' ? ONE : parseRatio(f);
          // Reference by digits: the exact product in 10^-13 so'm (3 + 4 + 6 decimals); a tiyin
          // is 10^-2 so'm, so drop 11 digits and round on the first dropped one.
          const exact = q * p * ratio.num * (1_000_000n / ratio.den);
          const s = exact.toString().padStart(12, '0');
          const whole = BigInt(s.slice(0, s.length - 11));
          const expected = whole + (Number(s[s.length - 11]) >= 5 ? 1n : 0n);
          expect(amountOf(milli(q), price(p), ratio)).toBe(expected);
        },
      ),
    );
  });
});
