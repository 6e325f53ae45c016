import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, type LocalDate, lastDay, parseLocalDate, parsePeriod } from './period.ts';
import { assertSubmissionWindowOpen, submissionWindow } from './submission-window.ts';

const d = (s: string): LocalDate => parseLocalDate(s);

describe('cabinet reading submission window (R3.1)', () => {
  it('is open from the 1st to the 25th inclusive and closed from the 26th', () => {
    expect(submissionWindow(d('2025-03-01'))).toEqual({
      period: '2025-03',
      open: true,
      closesOn: '2025-03-25',
    });
    expect(submissionWindow(d('2025-03-25')).open).toBe(true);
    expect(submissionWindow(d('2025-03-26'))).toEqual({
      period: '2025-03',
      open: false,
      closesOn: '2025-03-25',
    });
    expect(submissionWindow(d('2025-03-31')).open).toBe(false);
    expect(submissionWindow(d('2024-02-29')).open).toBe(false);
  });

  it("follows the supplier's own deadline day", () => {
    expect(submissionWindow(d('2025-02-20'), 20)).toEqual({
      period: '2025-02',
      open: true,
      closesOn: '2025-02-20',
    });
    expect(submissionWindow(d('2025-02-21'), 20).open).toBe(false);
    expect(submissionWindow(d('2025-02-28'), 28).open).toBe(true);
    for (const bad of [0, 29, 31, 2.5]) {
      expect(() => submissionWindow(d('2025-02-01'), bad), String(bad)).toThrow(
        expect.objectContaining({ code: 'INVALID_DATE' }),
      );
    }
  });

  it('is open on exactly the first deadline-day days of every month', () => {
    const months = fc
      .tuple(
        fc.integer({ min: 2000, max: 2098 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
      )
      .map(([y, m, day]) => ({ period: parsePeriod(`${y}-${String(m).padStart(2, '0')}`), day }));
    fc.assert(
      fc.property(months, ({ period, day }) => {
        let open = 0;
        for (let date = d(`${period}-01`); date <= lastDay(period); date = addDays(date, 1)) {
          const w = submissionWindow(date, day);
          expect(w.period).toBe(period);
          expect(w.closesOn <= lastDay(period)).toBe(true);
          if (w.open) {
            open += 1;
            expect(date <= w.closesOn).toBe(true);
          }
        }
        expect(open).toBe(day);
      }),
    );
  });

  it('refuses a submission when closed with READING_WINDOW_CLOSED', () => {
    expect(() => assertSubmissionWindowOpen(submissionWindow(d('2025-03-25')))).not.toThrow();
    expect(() => assertSubmissionWindowOpen(submissionWindow(d('2025-03-26')))).toThrow(
      expect.objectContaining({
        code: 'READING_WINDOW_CLOSED',
        details: { period: '2025-03', closesOn: '2025-03-25' },
      }),
    );
  });
});
