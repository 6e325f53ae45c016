import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addPeriods,
  daysBetween,
  daysInPeriod,
  firstDay,
  lastDay,
  nextPeriod,
  type Period,
  parseLocalDate,
  parsePeriod,
  periodInTashkent,
  periodOf,
  periodsBetween,
  prevPeriod,
  todayInTashkent,
} from './period.ts';

const periods = fc
  .tuple(fc.integer({ min: 2000, max: 2098 }), fc.integer({ min: 1, max: 12 }))
  .map(([y, m]) => parsePeriod(`${y}-${String(m).padStart(2, '0')}`));

describe('periods and dates', () => {
  it('accepts real periods and dates only', () => {
    expect(parsePeriod('2025-03')).toBe('2025-03');
    for (const bad of ['2025-3', '2025-13', '2025-00', '1999-12', '2025-03-01', '', 'March']) {
      expect(() => parsePeriod(bad), bad).toThrow(expect.objectContaining({ code: 'INVALID_PERIOD' }));
    }
    expect(parseLocalDate('2024-02-29')).toBe('2024-02-29');
    for (const bad of ['2025-02-29', '2025-13-01', '2025-1-1', '2025-04-31', '2025-03-01T00:00', '']) {
      expect(() => parseLocalDate(bad), bad).toThrow(expect.objectContaining({ code: 'INVALID_DATE' }));
    }
  });

  it('knows month lengths, first and last days', () => {
    expect(daysInPeriod(parsePeriod('2025-02'))).toBe(28);
    expect(daysInPeriod(parsePeriod('2024-02'))).toBe(29);
    expect(lastDay(parsePeriod('2025-04'))).toBe('2025-04-30');
    expect(nextPeriod(parsePeriod('2025-12'))).toBe('2026-01');
    expect(prevPeriod(parsePeriod('2025-01'))).toBe('2024-12');
    expect(periodsBetween(parsePeriod('2024-11'), parsePeriod('2025-02'))).toEqual([
      '2024-11',
      '2024-12',
      '2025-01',
      '2025-02',
    ]);
  });

  it('uses the Tashkent calendar (UTC+5) whatever the machine’s zone', () => {
    expect(todayInTashkent(new Date('2025-03-31T18:59:59Z'))).toBe('2025-03-31');
    expect(todayInTashkent(new Date('2025-03-31T19:00:00Z'))).toBe('2025-04-01');
    expect(periodInTashkent(new Date('2024-12-31T19:30:00Z'))).toBe('2025-01');
  });

  it('has next and prev as inverses and months that add up to the year', () => {
    fc.assert(
      fc.property(periods, fc.integer({ min: -120, max: 120 }), (p, n) => {
        expect(prevPeriod(nextPeriod(p))).toBe(p);
        expect(addPeriods(addPeriods(p, n), -n)).toBe(p);
        expect(periodOf(firstDay(p))).toBe(p);
        expect(periodOf(lastDay(p))).toBe(p);
        expect(addDays(lastDay(p), 1)).toBe(firstDay(nextPeriod(p)));
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2098 }), (y) => {
        const months = periodsBetween(`${y}-01` as Period, `${y}-12` as Period);
        const days = months.reduce((a, p) => a + daysInPeriod(p), 0);
        expect(days).toBe(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 366 : 365);
        expect(daysBetween(firstDay(months[0] as Period), addDays(lastDay(months[11] as Period), 1))).toBe(
          days,
        );
      }),
    );
  });
});
