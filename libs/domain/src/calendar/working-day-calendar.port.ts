import type { CalendarDate } from '../shared/calendar-date';

/**
 * Which days are working days. Deciders receive one through their context; they never read a
 * holiday table themselves.
 */
export interface WorkingDayCalendar {
  /**
   * Names the calendar and its data version; recorded with every due date it produced. Two calendars
   * with the same id must answer alike: period ends are remembered by it.
   */
  readonly id: string;
  isWorkingDay(date: CalendarDate): boolean;
  /**
   * False when the State Council has not yet published this day's year, so the answer rests on
   * the statutory holidays alone (no bridging days, no make-up working days).
   */
  isOfficial(date: CalendarDate): boolean;
}

/** A jurisdiction's extra local days off (e.g. a minority autonomous region's festival) on top of a base calendar. */
export function withLocalDaysOff(base: WorkingDayCalendar, daysOff: readonly CalendarDate[]): WorkingDayCalendar {
  if (daysOff.length === 0) return base;
  const off = new Set(daysOff);
  return {
    id: `${base.id}+local(${[...off].sort().join(',')})`,
    isWorkingDay: (date) => !off.has(date) && base.isWorkingDay(date),
    isOfficial: (date) => base.isOfficial(date),
  };
}
