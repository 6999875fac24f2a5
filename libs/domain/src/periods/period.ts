import type { WorkingDayCalendar } from '../calendar/working-day-calendar.port';
import {
  addDays,
  type CalendarDate,
  daysInMonth,
  endOfShanghaiDay,
  formatDate,
  type Instant,
  parseDate,
  startOfShanghaiDay,
} from '../shared/calendar-date';

export const PERIOD_UNITS = ['working-days', 'days', 'months'] as const;
export type PeriodUnit = (typeof PERIOD_UNITS)[number];

export interface Period {
  readonly duration: number;
  readonly unit: PeriodUnit;
}

export interface PeriodEnd {
  /** The last day of the period. */
  readonly dueDate: CalendarDate;
  /** 24:00 of that day in Asia/Shanghai. */
  readonly dueAt: Instant;
  /** True when a day the count relied on lies in a year whose official calendar is not yet published. */
  readonly provisional: boolean;
}

/**
 * The end of a period that starts on `start`, counted as 民法典 arts. 201–203 require:
 * the start day does not count; a month period ends on the corresponding day of the final month
 * (or that month's last day when it has none); a period whose last day is a rest day or holiday
 * ends on the next working day; working days are counted one by one, make-up working days included.
 */
const remembered = new Map<string, PeriodEnd>();
const REMEMBER_AT_MOST = 50_000;

export function periodEnd(start: CalendarDate, period: Period, calendar: WorkingDayCalendar): PeriodEnd {
  if (!Number.isInteger(period.duration) || period.duration < 0) {
    throw new RangeError(`A period's duration must be a whole number ≥ 0, got ${period.duration}`);
  }
  // Pure for a given calendar (its id names its data and local days off), so answers can be reused.
  const key = `${calendar.id}|${start}|${period.duration}|${period.unit}`;
  const known = remembered.get(key);
  if (known) return known;
  const end = computePeriodEnd(start, period, calendar);
  if (remembered.size >= REMEMBER_AT_MOST) remembered.clear();
  remembered.set(key, end);
  return end;
}

function computePeriodEnd(start: CalendarDate, period: Period, calendar: WorkingDayCalendar): PeriodEnd {
  const consulted: CalendarDate[] = [];
  const isWorking = (date: CalendarDate): boolean => {
    consulted.push(date);
    return calendar.isWorkingDay(date);
  };

  let last: CalendarDate;
  switch (period.unit) {
    case 'working-days': {
      last = start;
      for (let counted = 0; counted < period.duration; ) {
        last = addDays(last, 1);
        if (isWorking(last)) counted += 1;
      }
      break;
    }
    case 'days':
      last = rollToWorkingDay(addDays(start, period.duration), isWorking);
      break;
    case 'months':
      last = rollToWorkingDay(addMonths(start, period.duration), isWorking);
      break;
    default:
      throw new Error(`Unknown period unit ${JSON.stringify((period as Period).unit)}`);
  }
  return {
    dueDate: last,
    dueAt: endOfShanghaiDay(last),
    provisional: consulted.some((date) => !calendar.isOfficial(date)),
  };
}

/** The corresponding day `months` later, or that month's last day when it has no such day. */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const { year, month, day } = parseDate(date);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  return formatDate(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)));
}

/**
 * 00:00 of the day from which exactly `count` working days remain up to and including `dueDate`:
 * the moment a deadline starts "approaching" under a lead time such as "5 working days before".
 */
export function workingDaysLeftFrom(dueDate: CalendarDate, count: number, calendar: WorkingDayCalendar): Instant {
  let day = dueDate;
  let remaining = calendar.isWorkingDay(day) ? 1 : 0;
  while (remaining < count) {
    day = addDays(day, -1);
    if (calendar.isWorkingDay(day)) remaining += 1;
  }
  return startOfShanghaiDay(day);
}

function rollToWorkingDay(date: CalendarDate, isWorking: (date: CalendarDate) => boolean): CalendarDate {
  let day = date;
  while (!isWorking(day)) day = addDays(day, 1);
  return day;
}

/** How many working days lie after `from` up to and including `through` (0 when `through` is not later). */
export function workingDaysBetween(from: CalendarDate, through: CalendarDate, calendar: WorkingDayCalendar): number {
  let count = 0;
  for (let day = addDays(from, 1); day <= through; day = addDays(day, 1)) if (calendar.isWorkingDay(day)) count += 1;
  return count;
}

/**
 * Working days left to a due date, as a deadline board shows them: today counts when it is a working day
 * and the date is not yet past; past the date, minus the working days it is overdue by.
 */
export function workingDaysLeft(dueDate: CalendarDate, today: CalendarDate, calendar: WorkingDayCalendar): number {
  if (dueDate < today) return -workingDaysBetween(dueDate, today, calendar);
  return (calendar.isWorkingDay(today) ? 1 : 0) + workingDaysBetween(today, dueDate, calendar);
}

/** The date of the `n`-th working day counted from `date` itself (n ≥ 1): "within the next n working days" ends there. */
export function nthWorkingDay(date: CalendarDate, n: number, calendar: WorkingDayCalendar): CalendarDate {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a whole number ≥ 1, got ${n}`);
  let day = date;
  let seen = calendar.isWorkingDay(day) ? 1 : 0;
  while (seen < n) {
    day = addDays(day, 1);
    if (calendar.isWorkingDay(day)) seen += 1;
  }
  return day;
}
