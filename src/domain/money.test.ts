import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDecimal, parseDecimal, roundHalfUp } from './decimal.ts';
import { formatMoney, formatMoneyLocale, parseMoney, sumMoney, type Tiyin, tiyin, vatOf } from './money.ts';

const bigInts = fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n });

describe('roundHalfUp', () => {
  it('rounds halves away from zero, also for negatives', () => {
    expect(roundHalfUp(5n, 2n)).toBe(3n);
    expect(roundHalfUp(-5n, 2n)).toBe(-3n);
    expect(roundHalfUp(4n, 3n)).toBe(1n);
    expect(roundHalfUp(5n, 3n)).toBe(2n);
    expect(roundHalfUp(-4n, 3n)).toBe(-1n);
    expect(roundHalfUp(7n, -2n)).toBe(-4n);
    expect(() => roundHalfUp(1n, 0n)).toThrow();
  });

  it('is symmetric and within half a unit of the exact quotient', () => {
    fc.assert(
      fc.property(bigInts, fc.bigInt({ min: 1n, max: 10n ** 12n }), (n, d) => {
        const q = roundHalfUp(n, d);
        expect(roundHalfUp(-n, d)).toBe(-q);
        // |n − q·d| ≤ d/2, with an exact half going away from zero
        const err = n - q * d;
        expect(2n * (err < 0n ? -err : err) <= d).toBe(true);
        if (2n * (err < 0n ? -err : err) === d) expect(n >= 0n ? err < 0n : err > 0n).toBe(true);
      }),
    );
  });
});

describe('money strings', () => {
  it('parses the exchange format exactly', () => {
    expect(parseMoney('1234.56')).toBe(123456n);
    expect(parseMoney('0.05')).toBe(5n);
    expect(parseMoney('-0.5')).toBe(-50n);
    expect(parseMoney('007.50')).toBe(750n);
    expect(parseMoney('9000000')).toBe(900000000n);
    expect(parseMoney('12,5', { allowComma: true })).toBe(1250n);
  });

  it.each([
    '1e3',
    '12.345',
    '',
    ' 1.00',
    '1.00 ',
    '+1.00',
    '1.',
    '.5',
    '1,5',
    '1 000.00',
    '1,000.00',
    'NaN',
    'Infinity',
    '0x10',
    '--1',
    '１２',
  ])('refuses %j with INVALID_MONEY', (s) => {
    expect(() => parseMoney(s)).toThrow(expect.objectContaining({ code: 'INVALID_MONEY' }));
  });

  it('refuses non-strings and negatives where not allowed', () => {
    expect(() => parseMoney(12.5)).toThrow(expect.objectContaining({ code: 'INVALID_MONEY' }));
    expect(() => parseMoney(null)).toThrow(expect.objectContaining({ code: 'INVALID_MONEY' }));
    expect(() => parseMoney('-1.00', { allowNegative: false })).toThrow(
      expect.objectContaining({ code: 'INVALID_MONEY' }),
    );
  });

  it('formats with exactly two decimals', () => {
    expect(formatMoney(tiyin(0n))).toBe('0.00');
    expect(formatMoney(tiyin(-5n))).toBe('-0.05');
    expect(formatMoney(tiyin(900000000n))).toBe('9000000.00');
  });

  it('round-trips every amount through its string', () => {
    fc.assert(
      fc.property(bigInts, (v) => {
        expect(parseMoney(formatMoney(tiyin(v)))).toBe(v);
      }),
    );
  });

  it('round-trips every scaled decimal', () => {
    fc.assert(
      fc.property(bigInts, fc.integer({ min: 0, max: 8 }), (v, scale) => {
        expect(parseDecimal(formatDecimal(v, scale), { scale, code: 'X' })).toBe(v);
      }),
    );
  });
});

describe('money for people', () => {
  it('groups thousands per language', () => {
    const t = parseMoney('1234567.89');
    expect(formatMoneyLocale(t, 'uz')).toBe('1\u00a0234\u00a0567,89');
    expect(formatMoneyLocale(t, 'ru', { currency: true })).toBe('1\u00a0234\u00a0567,89\u00a0сум');
    expect(formatMoneyLocale(t, 'uz', { currency: true })).toBe("1\u00a0234\u00a0567,89\u00a0so'm");
    expect(formatMoneyLocale(t, 'uz-Cyrl', { currency: true })).toBe('1\u00a0234\u00a0567,89\u00a0сўм');
    expect(formatMoneyLocale(t, 'en')).toBe('1,234,567.89');
    expect(formatMoneyLocale(parseMoney('-1000.00'), 'en')).toBe('-1,000.00');
    expect(formatMoneyLocale(parseMoney('999.00'), 'ru')).toBe('999,00');
  });

  it('reads back to the same amount', () => {
    fc.assert(
      fc.property(
        bigInts,
        fc.constantFrom('uz', 'uz-Cyrl', 'ru', 'en') as fc.Arbitrary<'uz' | 'uz-Cyrl' | 'ru' | 'en'>,
        (v, loc) => {
          const text = formatMoneyLocale(tiyin(v), loc);
          const plain =
            loc === 'en' ? text.replaceAll(',', '') : text.replaceAll('\u00a0', '').replace(',', '.');
          expect(parseMoney(plain)).toBe(v);
        },
      ),
    );
  });
});

describe('sums and VAT', () => {
  it('adds exactly however large', () => {
    fc.assert(
      fc.property(fc.array(bigInts, { maxLength: 50 }), (xs) => {
        expect(sumMoney(xs.map((x) => tiyin(x)))).toBe(xs.reduce((a, b) => a + b, 0n));
      }),
    );
  });

  it('takes VAT 12/112 of an inclusive amount, rounded half-up', () => {
    expect(vatOf(parseMoney('9000000.00'))).toBe(parseMoney('964285.71'));
    expect(vatOf(parseMoney('112.00'))).toBe(parseMoney('12.00'));
    expect(vatOf(parseMoney('0.14'))).toBe(parseMoney('0.02')); // 1.5 tiyin → 2
    expect(vatOf(parseMoney('-0.14'))).toBe(parseMoney('-0.02'));
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), (v) => {
        const vat = vatOf(tiyin(v) as Tiyin);
        expect(vat * 112n - v * 12n <= 56n && v * 12n - vat * 112n <= 56n).toBe(true);
      }),
    );
  });
});
