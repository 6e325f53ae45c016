import { AppError } from './errors.ts';
import { addDays, addPeriods, compareDates, type LocalDate, type Period, periodOf } from './period.ts';

// Consumers' applications (requirements R6 functions 8, 10, 11): which kinds exist, which need a
// visit, which dates a visit may be asked for, and how an application moves through its statuses.

/** The kinds of application a consumer can file. */
export const APPLICATION_TYPES = [
  'disconnection',
  'meter_inspection',
  'heating_inspection',
  'appeal',
  'contract_renewal',
  'no_debt_certificate',
  'volume_change',
  'requisites_change',
] as const;
export type ApplicationType = (typeof APPLICATION_TYPES)[number];

/** Kinds that send staff to the site: a desired visit date and time slot are required. */
export const VISIT_TYPES: ReadonlySet<ApplicationType> = new Set([
  'disconnection',
  'meter_inspection',
  'heating_inspection',
]);

/** The visit time slots offered. */
export const TIME_SLOTS = ['09:00-12:00', '12:00-15:00', '15:00-18:00'] as const;
export type TimeSlot = (typeof TIME_SLOTS)[number];

/** How far ahead a visit can be asked for. */
export const MAX_VISIT_DAYS_AHEAD = 60;
/** How far ahead a change of the contracted volume can be ordered (months after the current one). */
export const MAX_VOLUME_MONTHS_AHEAD = 12;

export const APPLICATION_STATUSES = [
  'submitted',
  'accepted',
  'scheduled',
  'done',
  'rejected',
  'cancelled',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** The statuses each status may move to; done, rejected and cancelled are final. */
const NEXT: Record<ApplicationStatus, readonly ApplicationStatus[]> = {
  submitted: ['accepted', 'scheduled', 'done', 'rejected', 'cancelled'],
  accepted: ['scheduled', 'done', 'rejected', 'cancelled'],
  scheduled: ['scheduled', 'done', 'rejected', 'cancelled'],
  done: [],
  rejected: [],
  cancelled: [],
};

/** Day of the week of a date, 0 = Sunday. */
function weekday(d: LocalDate): number {
  return new Date(`${d}T00:00:00Z`).getUTCDay();
}

/**
 * Checks a desired visit: required for visit kinds (date and slot), from tomorrow up to 60 days
 * ahead, not on a Sunday; other kinds may not ask for one.
 */
export function checkDesiredVisit(
  type: ApplicationType,
  visit: { date: LocalDate | null; time: TimeSlot | null },
  today: LocalDate,
): void {
  if (!VISIT_TYPES.has(type)) {
    if (visit.date !== null || visit.time !== null)
      throw new AppError('APPLICATION_NO_VISIT', 'This kind of application has no visit', { type });
    return;
  }
  if (visit.date === null || visit.time === null)
    throw new AppError('APPLICATION_VISIT_REQUIRED', 'Choose the desired visit date and time', { type });
  const latest = addDays(today, MAX_VISIT_DAYS_AHEAD);
  if (
    compareDates(visit.date, today) <= 0 ||
    compareDates(visit.date, latest) > 0 ||
    weekday(visit.date) === 0
  )
    throw new AppError('APPLICATION_VISIT_DATE', 'The visit date must be a working day within 60 days', {
      date: visit.date,
      from: addDays(today, 1),
      to: latest,
    });
}

/**
 * Checks the months of a volume change order: each once, from the current month up to 12 months
 * ahead, and in order-independent form (the caller keeps the order given).
 */
export function checkVolumeMonths(months: readonly Period[], today: LocalDate): void {
  const current = periodOf(today);
  const last = addPeriods(current, MAX_VOLUME_MONTHS_AHEAD);
  const seen = new Set<string>();
  for (const p of months) {
    if (p < current || p > last)
      throw new AppError(
        'APPLICATION_VOLUME_PERIOD',
        'A volume can be changed from this month up to 12 months ahead',
        {
          period: p,
          from: current,
          to: last,
        },
      );
    if (seen.has(p))
      throw new AppError('VALIDATION_FAILED', `Month ${p} is given twice`, { issues: `months: ${p}` });
    seen.add(p);
  }
}

/** Checks a status change; the consumer may only cancel, and only before a visit is done. */
export function checkTransition(
  from: ApplicationStatus,
  to: ApplicationStatus,
  by: 'consumer' | 'user',
): void {
  const allowed = by === 'consumer' ? NEXT[from].filter((s) => s === 'cancelled') : NEXT[from];
  if (!allowed.includes(to))
    throw new AppError('APPLICATION_TRANSITION', `An application ${from} cannot become ${to}`, { from, to });
}

/** The application number: A-2026-000042. */
export function applicationNumber(year: number, seq: number): string {
  return `A-${year}-${String(seq).padStart(6, '0')}`;
}
