import { describe, expect, it } from 'vitest';
import { applicationNumber, checkDesiredVisit, checkTransition, checkVolumeMonths } from './application.ts';
import type { LocalDate, Period } from './period.ts';

const d = (s: string) => s as LocalDate;
const p = (s: string) => s as Period;
const code = (f: () => void): string | null => {
  try {
    f();
    return null;
  } catch (e) {
    return (e as { code?: string }).code ?? 'thrown';
  }
};

describe('applications (R6 function 11)', () => {
  const today = d('2026-11-23'); // a Monday

  it('asks visit kinds for a working day from tomorrow to 60 days ahead, with a time slot', () => {
    const visit = (date: string | null, time: '09:00-12:00' | null = '09:00-12:00') =>
      code(() =>
        checkDesiredVisit('meter_inspection', { date: date === null ? null : d(date), time }, today),
      );
    expect(visit('2026-11-24')).toBeNull();
    expect(visit('2027-01-22')).toBeNull(); // the 60th day
    expect(visit('2027-01-23')).toBe('APPLICATION_VISIT_DATE');
    expect(visit('2026-11-23')).toBe('APPLICATION_VISIT_DATE'); // today
    expect(visit('2026-11-29')).toBe('APPLICATION_VISIT_DATE'); // a Sunday
    expect(visit(null)).toBe('APPLICATION_VISIT_REQUIRED');
    expect(visit('2026-11-24', null)).toBe('APPLICATION_VISIT_REQUIRED');
    expect(code(() => checkDesiredVisit('appeal', { date: null, time: null }, today))).toBeNull();
    expect(code(() => checkDesiredVisit('appeal', { date: d('2026-11-24'), time: null }, today))).toBe(
      'APPLICATION_NO_VISIT',
    );
  });

  it('takes volume changes from this month to 12 months ahead, each month once', () => {
    expect(code(() => checkVolumeMonths([p('2026-11'), p('2027-11')], today))).toBeNull();
    expect(code(() => checkVolumeMonths([p('2026-10')], today))).toBe('APPLICATION_VOLUME_PERIOD');
    expect(code(() => checkVolumeMonths([p('2027-12')], today))).toBe('APPLICATION_VOLUME_PERIOD');
    expect(code(() => checkVolumeMonths([p('2026-12'), p('2026-12')], today))).toBe('VALIDATION_FAILED');
  });

  it('lets staff move an application on and the consumer only withdraw it before it is final', () => {
    expect(code(() => checkTransition('submitted', 'scheduled', 'user'))).toBeNull();
    expect(code(() => checkTransition('scheduled', 'scheduled', 'user'))).toBeNull(); // rescheduled
    expect(code(() => checkTransition('done', 'rejected', 'user'))).toBe('APPLICATION_TRANSITION');
    expect(code(() => checkTransition('submitted', 'accepted', 'consumer'))).toBe('APPLICATION_TRANSITION');
    expect(code(() => checkTransition('scheduled', 'cancelled', 'consumer'))).toBeNull();
    for (const final of ['done', 'rejected', 'cancelled'] as const)
      expect(code(() => checkTransition(final, 'cancelled', 'consumer'))).toBe('APPLICATION_TRANSITION');
  });

  it('numbers applications per year with six digits', () => {
    expect(applicationNumber(2026, 42)).toBe('A-2026-000042');
  });
});
