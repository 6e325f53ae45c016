import { describe, expect, it } from 'vitest';
import {
  formatDate,
  formatDecimal,
  formatMoney,
  formatPeriod,
  formatPeriodShort,
  formatQuantity,
  formatWeekdayDate,
} from './format.ts';

describe('formatting for the UI language', () => {
  it('groups money exactly, without a float, with the locale’s separators and currency', () => {
    expect(formatMoney('1234567.89', 'uz')).toBe("1\u00a0234\u00a0567,89\u00a0so'm");
    expect(formatMoney('1234567.89', 'ru')).toBe('1\u00a0234\u00a0567,89\u00a0сум');
    expect(formatMoney('1234567.89', 'uz-Cyrl')).toBe('1\u00a0234\u00a0567,89\u00a0сўм');
    expect(formatMoney('1234567.89', 'en')).toBe('1,234,567.89\u00a0UZS');
    // Beyond 2^53 a float would lose the tiyin.
    expect(formatDecimal('90071992547409931.01', 'en')).toBe('90,071,992,547,409,931.01');
    expect(formatMoney('-500.00', 'uz')).toBe("−500,00\u00a0so'm");
    expect(formatMoney('0.00', 'ru')).toBe('0,00\u00a0сум');
  });

  it('drops trailing zeros of quantities only after the decimal point', () => {
    expect(formatQuantity('10000.000', 'uz')).toBe('10\u00a0000');
    expect(formatQuantity('1349.150', 'ru')).toBe('1\u00a0349,15');
    expect(formatQuantity('100', 'en')).toBe('100');
  });

  it('writes dates and months in the language', () => {
    expect(formatDate('2026-11-03', 'uz')).toBe('03.11.2026');
    // 26 November 2026 is a Thursday.
    expect(formatWeekdayDate('2026-11-26', 'uz')).toBe('Payshanba, 26.11.2026');
    expect(formatWeekdayDate('2026-11-26', 'uz-Cyrl')).toBe('Пайшанба, 26.11.2026');
    expect(formatWeekdayDate('2026-11-29', 'ru')).toBe('воскресенье, 29.11.2026');
    expect(formatWeekdayDate('2026-11-30', 'en')).toBe('Monday, 30/11/2026');
    expect(formatDate('2026-11-03', 'en')).toBe('03/11/2026');
    expect(formatPeriod('2025-03', 'uz-Cyrl')).toBe('март 2025');
    expect(formatPeriod('2025-03', 'en')).toBe('March 2025');
    const labels = Array.from({ length: 12 }, (_, i) =>
      formatPeriodShort(`2025-${String(i + 1).padStart(2, '0')}`, 'uz'),
    );
    expect(new Set(labels).size).toBe(12);
  });
});
