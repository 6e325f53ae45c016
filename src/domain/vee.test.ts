import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, type LocalDate, parseLocalDate } from './period.ts';
import { milli, parseReading } from './quantity.ts';
import { type PastReading, type VeeInput, validateReading } from './vee.ts';

const d = (s: string): LocalDate => parseLocalDate(s);
const r = (readOn: string, value: string): PastReading => ({ readOn: d(readOn), value: parseReading(value) });

/** A register installed on 2025-01-01 at 1000.00 that advances 100.00 a month (about 3.3 a day). */
const STEADY = [
  r('2025-01-25', '1080.00'),
  r('2025-02-25', '1180.00'),
  r('2025-03-25', '1270.00'),
  r('2025-04-25', '1370.00'),
];
const REGISTER = { digits: 5, installedOn: d('2025-01-01'), installReading: parseReading('1000.00') };

const input = (readOn: string, value: string, over: Partial<Omit<VeeInput, 'reading'>> = {}): VeeInput => ({
  reading: { readOn: d(readOn), value: parseReading(value) },
  register: REGISTER,
  history: STEADY,
  duplicate: false,
  ...over,
});

describe('VEE of a staff-entered reading (R3.2)', () => {
  const cases: { name: string; in: VeeInput; codes: string[] }[] = [
    { name: 'a usual month passes', in: input('2025-05-25', '1470.00'), codes: [] },
    { name: 'twice the usual passes', in: input('2025-05-25', '1570.00'), codes: [] },
    { name: 'just under three times the usual passes', in: input('2025-05-25', '1660.00'), codes: [] },
    {
      name: 'just over three times the usual is a spike',
      in: input('2025-05-25', '1670.00'),
      codes: ['spike'],
    },
    { name: 'a tenfold advance is a spike', in: input('2025-05-25', '2370.00'), codes: ['spike'] },
    {
      name: 'a spike is measured per day: a big advance after a long interval is only a gap',
      in: input('2025-07-20', '1670.00'),
      codes: ['gap'],
    },
    { name: 'the same value again is zero consumption', in: input('2025-05-25', '1370.00'), codes: ['zero'] },
    {
      name: 'zero is no news for a register that never moves',
      in: input('2025-05-25', '1000.00', {
        history: [r('2025-01-25', '1000.00'), r('2025-03-25', '1000.00')],
      }),
      codes: [],
    },
    {
      name: 'a register that never moved and now moves a lot is a spike',
      in: input('2025-05-25', '1100.00', {
        history: [r('2025-01-25', '1000.00'), r('2025-03-25', '1000.00')],
      }),
      codes: ['spike'],
    },
    {
      name: 'a small wobble of a register that never moved is no spike (minimum excess)',
      in: input('2025-05-25', '1005.00', {
        history: [r('2025-01-25', '1000.00'), r('2025-03-25', '1000.00')],
      }),
      codes: [],
    },
    {
      name: 'a reading already there on that date is a duplicate',
      in: input('2025-05-25', '1470.00', { duplicate: true }),
      codes: ['duplicate'],
    },
    {
      name: 'more than 62 days since the last accepted reading is a gap',
      in: input('2025-06-27', '1570.00'),
      codes: ['gap'],
    },
    { name: 'exactly 62 days is no gap', in: input('2025-06-26', '1570.00'), codes: [] },
    {
      name: 'a new meter without readings is measured from its installation',
      in: input('2025-04-10', '1300.00', { history: [] }),
      codes: ['gap'],
    },
    {
      name: 'a new meter read on time passes without history for a spike',
      in: input('2025-01-25', '1900.00', { history: [] }),
      codes: [],
    },
    {
      name: 'a new meter that has not moved is zero',
      in: input('2025-01-25', '1000.00', { history: [] }),
      codes: ['zero'],
    },
    {
      name: 'a pass through zero is flagged for a person to look',
      in: input('2025-05-25', '50.00', {
        register: { ...REGISTER, digits: 4, installReading: parseReading('9800.00') },
        history: [r('2025-03-25', '9900.00'), r('2025-04-25', '9960.00')],
      }),
      codes: ['rollover'],
    },
    {
      name: 'several rules at once, in precedence order',
      in: input('2025-08-25', '1370.00', { duplicate: true }),
      codes: ['duplicate', 'zero', 'gap'],
    },
  ];

  it.each(cases)('$name', (c) => {
    const result = validateReading(c.in);
    expect(result.codes).toEqual(c.codes);
    expect(result.code).toBe(c.codes[0] ?? null);
  });

  it('refuses a reading below the previous one that is no rollover, as recordReading does', () => {
    expect(() => validateReading(input('2025-05-25', '1360.00'))).toThrow(
      expect.objectContaining({ code: 'READING_BELOW_PREVIOUS' }),
    );
  });

  it('takes only the last year of history for the average', () => {
    // A year ago and more the register used 1000 a month; lately 100. 450 now is more than three
    // times the last year's average, though not three times the average of all time.
    const history = [
      r('2024-01-25', '100.00'),
      r('2024-02-25', '1100.00'),
      r('2024-03-25', '2100.00'),
      r('2025-03-25', '3300.00'),
      r('2025-04-25', '3400.00'),
    ];
    const old = { ...REGISTER, installedOn: d('2023-12-31'), installReading: parseReading('0.00') };
    expect(validateReading(input('2025-05-25', '3850.00', { history, register: old })).codes).toEqual([
      'spike',
    ]);
  });

  it('never flags a month that advances exactly like the average', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 25, max: 35 }), (perMonth, days) => {
        const history: PastReading[] = [];
        let value = 1000n * 1000n;
        let on = d('2025-01-01');
        for (let i = 0; i < 6; i++) {
          on = addDays(on, 30);
          value += BigInt(perMonth) * 1000n;
          history.push({ readOn: on, value: milli(value) });
        }
        const next = value + ((BigInt(perMonth) * 1000n * BigInt(days)) / 30n / 10n) * 10n;
        const result = validateReading({
          reading: { readOn: addDays(on, days), value: milli(next) },
          register: { digits: 7, installedOn: d('2025-01-01'), installReading: parseReading('1000.00') },
          history,
          duplicate: false,
        });
        expect(result).toEqual({ codes: [], code: null });
      }),
    );
  });
});
