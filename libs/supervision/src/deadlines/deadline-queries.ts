import { endOfShanghaiDay, nthWorkingDay, shanghaiDate, workingDaysBetween, workingDaysLeft, type WorkingDayCalendar } from '@banli/domain';
import type { DeadlineOutcomes, UnmetDeadline } from '../sqlite/deadlines.queries';

/** How overdue, in working days after the due date: the buckets a supervision office reports by. */
export const OVERDUE_BUCKETS = [
  { bucket: '0-5', minWorkingDays: 0, maxWorkingDays: 5 },
  { bucket: '6-10', minWorkingDays: 6, maxWorkingDays: 10 },
  { bucket: '11-20', minWorkingDays: 11, maxWorkingDays: 20 },
  { bucket: '21+', minWorkingDays: 21, maxWorkingDays: null },
] as const;

type Source = (query: { dueAfter?: string; dueUpTo?: string }) => UnmetDeadline[];

/** The window of "the next n working days" from now: from now to 24:00 of the n-th working day counted from today. */
export function upcomingWindow(now: Date, workingDays: number, calendar: WorkingDayCalendar): { today: string; through: string; dueUpTo: string } {
  const today = shanghaiDate(now.toISOString());
  const through = nthWorkingDay(today, workingDays, calendar);
  return { today, through, dueUpTo: endOfShanghaiDay(through) };
}

/** What falls due within the next n working days, per unit, each with the working days left (today included). */
export function upcomingByUnit(source: Source, now: Date, workingDays: number, calendar: WorkingDayCalendar) {
  const { today, through, dueUpTo } = upcomingWindow(now, workingDays, calendar);
  const rows = source({ dueAfter: now.toISOString(), dueUpTo }).map((d) => ({ ...d, workingDaysLeft: workingDaysLeft(d.dueDate, today, calendar) }));
  return { asOf: now.toISOString(), workingDays, through, total: rows.length, units: perUnit(rows) };
}

/** What is overdue now, bucketed by working days past the due date, with a per-unit count of each bucket. */
export function overdueBuckets(source: Source, now: Date, calendar: WorkingDayCalendar) {
  const today = shanghaiDate(now.toISOString());
  const rows = source({ dueUpTo: now.toISOString() }).map((d) => ({
    ...d,
    workingDaysOverdue: workingDaysBetween(d.dueDate, today, calendar),
    daysOverdue: Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${d.dueDate}T00:00:00Z`)) / 86_400_000),
  }));
  const bucketOf = (n: number) => OVERDUE_BUCKETS.find((b) => n >= b.minWorkingDays && (b.maxWorkingDays === null || n <= b.maxWorkingDays))!.bucket;
  const buckets = OVERDUE_BUCKETS.map((b) => {
    const deadlines = rows.filter((d) => bucketOf(d.workingDaysOverdue) === b.bucket).sort((x, y) => y.workingDaysOverdue - x.workingDaysOverdue || x.dueAt.localeCompare(y.dueAt));
    return { ...b, count: deadlines.length, deadlines };
  });
  const units = perUnit(rows).map(({ unitId, count, deadlines }) => ({
    unitId,
    count,
    buckets: Object.fromEntries(OVERDUE_BUCKETS.map((b) => [b.bucket, deadlines.filter((d) => bucketOf(d.workingDaysOverdue) === b.bucket).length])),
  }));
  return { asOf: now.toISOString(), total: rows.length, buckets, units };
}

/**
 * Per unit: of the deadlines that have fallen due (met, or past their due instant), the share met on
 * time. A deadline still overdue counts against the unit; one still running does not count yet.
 */
export function onTimeRates(outcomes: DeadlineOutcomes[], now: Date) {
  const units = new Map<string, { unitId: string; metOnTime: number; metLate: number; overdue: number; running: number; byKind: (DeadlineOutcomes & { onTimeRate: number | null })[] }>();
  for (const o of outcomes) {
    const unit = units.get(o.unitId) ?? { unitId: o.unitId, metOnTime: 0, metLate: 0, overdue: 0, running: 0, byKind: [] };
    unit.metOnTime += o.metOnTime;
    unit.metLate += o.metLate;
    unit.overdue += o.overdue;
    unit.running += o.running;
    unit.byKind.push({ ...o, onTimeRate: rate(o) });
    units.set(o.unitId, unit);
  }
  return {
    asOf: now.toISOString(),
    units: [...units.values()].map((u) => ({
      unitId: u.unitId,
      fallenDue: u.metOnTime + u.metLate + u.overdue,
      metOnTime: u.metOnTime,
      metLate: u.metLate,
      overdue: u.overdue,
      running: u.running,
      onTimeRate: rate(u),
      byKind: u.byKind.map(({ unitId: _unitId, ...k }) => k),
    })),
  };
}

function rate(o: { metOnTime: number; metLate: number; overdue: number }): number | null {
  const fallenDue = o.metOnTime + o.metLate + o.overdue;
  return fallenDue === 0 ? null : Math.round((o.metOnTime / fallenDue) * 10_000) / 10_000;
}

function perUnit<T extends { unitId: string }>(rows: T[]): { unitId: string; count: number; deadlines: T[] }[] {
  const units = new Map<string, T[]>();
  for (const row of rows) {
    const list = units.get(row.unitId);
    if (list) list.push(row);
    else units.set(row.unitId, [row]);
  }
  return [...units.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([unitId, deadlines]) => ({ unitId, count: deadlines.length, deadlines }));
}
