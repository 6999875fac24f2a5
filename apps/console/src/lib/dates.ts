/** Dates as Chinese offices read them: ISO order (2025-12-26), the day in Beijing time, the weekday beside a deadline. */

const BEIJING = 8 * 3600_000;

/** The calendar day (Asia/Shanghai) of an instant, as YYYY-MM-DD; a plain date is returned as it is. */
export function dayOf(value: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const t = Date.parse(value);
  if (Number.isNaN(t)) return value;
  return new Date(t + BEIJING).toISOString().slice(0, 10);
}

/**
 * The due date of a due instant: a deadline is due at 24:00 Beijing time of its date, which is 00:00 of
 * the next day, so the day is the one that ends there.
 */
export function dueDayOf(dueAt: string): string {
  const t = Date.parse(dueAt);
  if (Number.isNaN(t)) return dueAt;
  return new Date(t - 1 + BEIJING).toISOString().slice(0, 10);
}

/** 2025-12-26 14:05 (Beijing time). */
export function dayAndTime(value: string): string {
  const t = Date.parse(value);
  if (Number.isNaN(t)) return value;
  const iso = new Date(t + BEIJING).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** 0 = Sunday … 6 = Saturday, of a YYYY-MM-DD day. */
export function weekdayOf(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

/**
 * The words beside a deadline: due today, past due (even by no working day: a Friday's deadline seen on
 * Saturday), or the working days left (the service counts them, today included when it is a working day).
 */
export function workingDaysPhrase(left: number | undefined, dueDay?: string, today?: string): { key: 'deadline.left' | 'deadline.overdue' | 'deadline.today' | 'deadline.pastDue'; n: number } | undefined {
  if (left === undefined) return undefined;
  if (dueDay !== undefined && today !== undefined) {
    if (dueDay === today) return { key: 'deadline.today', n: 0 };
    if (dueDay < today) return left < 0 ? { key: 'deadline.overdue', n: -left } : { key: 'deadline.pastDue', n: 0 };
  }
  if (left < 0) return { key: 'deadline.overdue', n: -left };
  return { key: 'deadline.left', n: left };
}

/** Today in Beijing, YYYY-MM-DD. */
export function beijingToday(now: Date = new Date()): string {
  return new Date(now.getTime() + BEIJING).toISOString().slice(0, 10);
}
