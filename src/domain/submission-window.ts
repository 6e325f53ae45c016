import { AppError } from './errors.ts';
import { dayOfMonth, type LocalDate, type Period, periodOf } from './period.ts';

/** The day of the month up to which consumers submit readings (R3.1: "by the 25th"). */
export const DEFAULT_SUBMISSION_DEADLINE_DAY = 25;

/** The cabinet's reading submission window of the month `today` falls in. */
export type SubmissionWindow = {
  /** The period the readings are for: the month of `today`. */
  period: Period;
  /** True from the 1st to the deadline day, both included. */
  open: boolean;
  /** The last day of the window, 'YYYY-MM-DD'. */
  closesOn: LocalDate;
};

/**
 * The submission window of `today`'s month (Asia/Tashkent calendar): open from the 1st to the
 * deadline day inclusive, closed for the rest of the month. The deadline is a supplier setting
 * between 1 and 28, so it exists in every month.
 */
export function submissionWindow(
  today: LocalDate,
  deadlineDay: number = DEFAULT_SUBMISSION_DEADLINE_DAY,
): SubmissionWindow {
  if (!Number.isInteger(deadlineDay) || deadlineDay < 1 || deadlineDay > 28) {
    throw new AppError('INVALID_DATE', `A submission deadline is a day from 1 to 28: ${deadlineDay}`, {
      value: String(deadlineDay),
    });
  }
  const period = periodOf(today);
  return {
    period,
    open: dayOfMonth(today) <= deadlineDay,
    closesOn: `${period}-${String(deadlineDay).padStart(2, '0')}` as LocalDate,
  };
}

/** Refuses a submission outside the window: READING_WINDOW_CLOSED with the closing day. */
export function assertSubmissionWindowOpen(window: SubmissionWindow): void {
  if (!window.open) {
    throw new AppError(
      'READING_WINDOW_CLOSED',
      `Readings for ${window.period} were accepted until ${window.closesOn}`,
      { period: window.period, closesOn: window.closesOn },
    );
  }
}
