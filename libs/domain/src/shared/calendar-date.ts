/**
 * Calendar days (`YYYY-MM-DD`) and instants (ISO-8601, stored in UTC) as Banli uses them.
 *
 * Every period is counted in Asia/Shanghai. China has kept UTC+8 without daylight saving since
 * 1991, so a fixed offset is exact for every date this system handles and avoids a timezone
 * database in the domain.
 */
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export type CalendarDate = string;
export type Instant = string;

export function isCalendarDate(value: unknown): value is CalendarDate {
  if (typeof value !== 'string') return false;
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number);
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

export function isInstant(value: unknown): value is Instant {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value));
}

export function parseDate(date: CalendarDate): { year: number; month: number; day: number } {
  const match = DATE_PATTERN.exec(date);
  const year = Number(match?.[1]);
  const month = Number(match?.[2]);
  const day = Number(match?.[3]);
  if (!match || month < 1 || month > 12 || day < 1 || (day > 28 && day > daysInMonth(year, month))) {
    throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${date}`);
  }
  return { year, month, day };
}

export function formatDate(year: number, month: number, day: number): CalendarDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  const { year, month, day } = parseDate(date);
  return new Date(Date.UTC(year, month - 1, day) + days * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: CalendarDate): number {
  const { year, month, day } = parseDate(date);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

/** The Asia/Shanghai calendar day an instant falls on. */
export function shanghaiDate(instant: Instant): CalendarDate {
  return new Date(Date.parse(instant) + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** 00:00 of a day in Asia/Shanghai, as a UTC instant. */
export function startOfShanghaiDay(date: CalendarDate): Instant {
  const { year, month, day } = parseDate(date);
  return new Date(Date.UTC(year, month - 1, day) - SHANGHAI_OFFSET_MS).toISOString();
}

/** 24:00 of a day in Asia/Shanghai (民法典 art. 203: a period ends at 24:00 of its last day). */
export function endOfShanghaiDay(date: CalendarDate): Instant {
  return startOfShanghaiDay(addDays(date, 1));
}

export function compareInstants(a: Instant, b: Instant): number {
  return Date.parse(a) - Date.parse(b);
}

export function normaliseInstant(instant: Instant): Instant {
  return new Date(Date.parse(instant)).toISOString();
}
