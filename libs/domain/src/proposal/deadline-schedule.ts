import { withLocalDaysOff, type WorkingDayCalendar } from '../calendar/working-day-calendar.port';
import { isPending } from './deadline-predicates';
import { type Period, periodEnd, type PeriodEnd, workingDaysLeftFrom } from '../periods/period';
import { type CitedPeriod, type RuleSet, sourceText, type StepName } from '../rule-sets/rule-set';
import {
  addDays,
  type CalendarDate,
  compareInstants,
  endOfShanghaiDay,
  type Instant,
  shanghaiDate,
  startOfShanghaiDay,
} from '../shared/calendar-date';
import { type DeadlineKind, type DeadlineSchedule, event, type EventOf } from './proposal.events';
import type { Deadline, ExistingProposal } from './proposal.state';

/** The national calendar plus the jurisdiction's own days off. */
export function calendarFor(ruleSet: RuleSet, calendar: WorkingDayCalendar): WorkingDayCalendar {
  return withLocalDaysOff(calendar, ruleSet.localDaysOff);
}

/**
 * The latest due date an extension may give a reply deadline: `total` from the period's start where the
 * text caps the whole reply (至迟不得超过六个月), else `max` beyond its original due date.
 */
export function extensionLimit(ruleSet: RuleSet, deadline: Pick<Deadline, 'startDate' | 'originalDueDate'>, calendar: WorkingDayCalendar): PeriodEnd | undefined {
  const extension = ruleSet.extension;
  if (!extension) return undefined;
  if (extension.total) return periodEnd(deadline.startDate, extension.total, calendar);
  return periodEnd(deadline.originalDueDate, extension.max!, calendar);
}

/** Warning and escalation instants for a due date, from the rule set's lead time and ladder. */
export function scheduleFor(end: PeriodEnd, ruleSet: RuleSet, calendar: WorkingDayCalendar): DeadlineSchedule {
  let provisional = end.provisional;
  const escalations = ruleSet.escalation.map((rung, index) => {
    const rungEnd = rung.after.duration === 0 ? { dueAt: end.dueAt, provisional: false } : periodEnd(end.dueDate, rung.after, calendar);
    provisional ||= rungEnd.provisional;
    return { rung: index + 1, at: rungEnd.dueAt, to: rung.to };
  });
  return {
    dueDate: end.dueDate,
    dueAt: end.dueAt,
    warnAt: warnAt(end.dueDate, ruleSet.approaching, calendar),
    escalations,
    provisional,
  };
}

/** 00:00 of the day from which `lead` days remain, the due date included. */
function warnAt(dueDate: CalendarDate, lead: Period, calendar: WorkingDayCalendar): Instant {
  return lead.unit === 'working-days'
    ? workingDaysLeftFrom(dueDate, lead.duration, calendar)
    : startOfShanghaiDay(addDays(dueDate, 1 - lead.duration));
}

/**
 * Produces `DeadlineSet` events with ids derived from the item's own history (`reply:unit:1`,
 * `reply:unit:2` after a re-assignment), so the same decision always names the same deadline.
 */
export class DeadlinePlanner {
  private readonly issued = new Map<string, number>();

  constructor(
    private readonly state: ExistingProposal,
    private readonly ruleSet: RuleSet,
    private readonly baseCalendar: WorkingDayCalendar,
  ) {}

  get calendar(): WorkingDayCalendar {
    return calendarFor(this.ruleSet, this.baseCalendar);
  }

  /**
   * A deadline for a rule-set step counted from `from`; nothing when the rule set does not time that step.
   * `rule` stands in for the step's own period (a complex item's reply period).
   */
  forStep(step: StepName, kind: DeadlineKind, from: Instant, unitId?: string, rule: CitedPeriod | undefined = this.ruleSet.steps[step]): EventOf<'DeadlineSet'>[] {
    if (!rule) return [];
    const startDate = shanghaiDate(from);
    const end = periodEnd(startDate, rule, this.calendar);
    return [
      event('DeadlineSet', {
        deadlineId: this.nextId(kind, unitId),
        kind,
        ...(unitId === undefined ? {} : { unitId }),
        startDate,
        period: { duration: rule.duration, unit: rule.unit },
        ...scheduleFor(end, this.ruleSet, this.calendar),
        source: sourceText(rule.source),
        calendarId: this.calendar.id,
      }),
    ];
  }

  /** The first-round reply deadline of a replying unit: the rule set's complex period for a complex item, where it has one. */
  forReply(from: Instant, unitId: string, complex: boolean): EventOf<'DeadlineSet'>[] {
    return this.forStep('reply', 'reply', from, unitId, complex ? (this.ruleSet.complexReply ?? this.ruleSet.steps.reply) : this.ruleSet.steps.reply);
  }

  /** A deadline on a fixed date someone promised (a commitment's due date). */
  forDate(kind: DeadlineKind, from: Instant, dueDate: CalendarDate, unitId: string, commitmentId: string, source: string): EventOf<'DeadlineSet'> {
    const end: PeriodEnd = { dueDate, dueAt: endOfShanghaiDay(dueDate), provisional: !this.calendar.isOfficial(dueDate) };
    return event('DeadlineSet', {
      deadlineId: this.nextId(kind, unitId),
      kind,
      unitId,
      commitmentId,
      startDate: shanghaiDate(from),
      ...scheduleFor(end, this.ruleSet, this.calendar),
      source,
      calendarId: this.calendar.id,
    });
  }

  private nextId(kind: DeadlineKind, unitId?: string): string {
    const prefix = `${kind}:${unitId ?? 'item'}:`;
    const existing = Object.keys(this.state.deadlines).filter((id) => id.startsWith(prefix)).length;
    const issued = (this.issued.get(prefix) ?? 0) + 1;
    this.issued.set(prefix, issued);
    return `${prefix}${existing + issued}`;
  }
}

/**
 * The deadlines a step meets, each on time when it happened by its due instant. A step dated before a
 * breach the system had already recorded (back-dated after the fact) does not undo it: that deadline is
 * met late, whoever enters the step; the office may confirm it on time, with a reason
 * (`ConfirmDeadlineMetOnTime`), once it has seen the paper.
 */
export function meetDeadlines(state: ExistingProposal, at: Instant, matches: (deadline: Deadline) => boolean): EventOf<'DeadlineMet'>[] {
  return Object.values(state.deadlines)
    .filter((d) => isPending(d) && matches(d))
    .map((d) => event('DeadlineMet', { deadlineId: d.id, metAt: at, onTime: compareInstants(at, d.dueAt) <= 0 && !backdatedBeforeRecordedBreach(d, at) }));
}

/**
 * Whether a step at `at` claims to have happened no later than a breach of this deadline the system had
 * already recorded: the breach was recorded because the step had not happened by then, so a step dated
 * at that very instant (the due instant, when the clock ran exactly on it) is back-dated too.
 */
export function backdatedBeforeRecordedBreach(deadline: Deadline, at: Instant): boolean {
  return deadline.breachedAt !== undefined && compareInstants(at, deadline.breachedAt) <= 0;
}

export function cancelDeadlines(state: ExistingProposal, reason: string, matches: (deadline: Deadline) => boolean): EventOf<'DeadlineCancelled'>[] {
  return Object.values(state.deadlines)
    .filter((d) => isPending(d) && matches(d))
    .map((d) => event('DeadlineCancelled', { deadlineId: d.id, reason }));
}
