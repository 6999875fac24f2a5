import type { WorkingDayCalendar } from '../calendar/working-day-calendar.port';
import type { RuleSetCatalog } from '../rule-sets/rule-set';
import type { Actor } from '../shared/actor';
import type { Instant } from '../shared/calendar-date';

/** What a decision is made with besides the command and the state: the clock, the caller, the calendar and the rule sets. */
export interface DecisionContext {
  /** The system clock when the command arrived. */
  readonly now: Instant;
  readonly actor: Actor;
  /** When a paper step really happened, if the caller back-dates it; defaults to `now`. */
  readonly occurredAt?: Instant;
  readonly calendar: WorkingDayCalendar;
  readonly ruleSets: RuleSetCatalog;
  /** The rule set an assignment gets when it names none (`BANLI_RULE_SET`). */
  readonly defaultRuleSet?: string;
}
