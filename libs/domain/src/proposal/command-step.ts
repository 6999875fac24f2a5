import type { WorkingDayCalendar } from '../calendar/working-day-calendar.port';
import type { RuleSetCatalog } from '../rule-sets/rule-set';
import type { Actor } from '../shared/actor';
import type { Instant } from '../shared/calendar-date';
import { authorize } from './access.policy';
import type { ProposalCommand } from './proposal.commands';
import { decide, type DecisionContext } from './proposal.decider';
import type { ProposalEvent, RecordedProposalEvent } from './proposal.events';
import { evolve } from './proposal.evolve';
import type { ProposalState } from './proposal.state';

/** One command as someone issued it: who, and when the step really happened if that is not now. */
export interface CommandStep {
  readonly command: ProposalCommand;
  readonly actor: Actor;
  /** When the step happened, if not at `now` (a paper step entered later, a firing, an imported step). */
  readonly occurredAt?: Instant;
  /**
   * Whether `occurredAt` is a live caller back-dating (a permission of its own), rather than history
   * the system records as it was (a firing at its due instant, an imported step).
   */
  readonly backdated?: boolean;
}

/** What every decision is made with besides the step and the state. */
export interface DecisionServices {
  readonly now: Instant;
  readonly calendar: WorkingDayCalendar;
  readonly ruleSets: RuleSetCatalog;
  readonly defaultRuleSet?: string;
}

export interface DecidedStep {
  /** The events the step records, `[]` when it changes nothing (a repeat). */
  readonly events: ProposalEvent[];
  /** The item once they are recorded. */
  readonly state: ProposalState;
  /** The instant they are recorded as having happened. */
  readonly occurredAt: Instant;
}

/**
 * The pure half of the command path, the only place a command is decided: ask the access policy,
 * decide, and fold what was decided into the item. The application's `handleCommand` wraps it with
 * the store (load, append at the decided revision, retry); the specs' `Story` calls it directly.
 */
export function decideStep(state: ProposalState, step: CommandStep, services: DecisionServices): DecidedStep {
  authorize(step.command, state, step.actor, { backdated: step.backdated === true });
  // Built field by field, not spread: this runs for every command (bench:api).
  const context: { -readonly [K in keyof DecisionContext]: DecisionContext[K] } = { now: services.now, actor: step.actor, calendar: services.calendar, ruleSets: services.ruleSets };
  if (step.occurredAt !== undefined) context.occurredAt = step.occurredAt;
  if (services.defaultRuleSet !== undefined) context.defaultRuleSet = services.defaultRuleSet;
  const events = decide(step.command, state, context);
  const occurredAt = new Date(Date.parse(step.occurredAt ?? services.now)).toISOString();
  const metadata = { occurredAt, recordedAt: services.now, actor: step.actor };
  let next = state;
  for (const e of events) next = evolve(next, { type: e.type, schemaVersion: e.schemaVersion, data: e.data, metadata } as RecordedProposalEvent);
  return { events, state: next, occurredAt };
}

/**
 * A plan of steps on one item: a list, or a generator that is handed what each step decided and
 * yields the next from it (the clock's breach brings the escalation rungs already due along with it).
 */
export type CommandPlan<S extends CommandStep = CommandStep> = readonly S[] | ((state: ProposalState) => Generator<S, void, DecidedStep>);

/** Decides every step of a plan in order, each on the state the one before leaves. */
export function decideSteps<S extends CommandStep>(state: ProposalState, plan: CommandPlan<S>, services: DecisionServices): { steps: (DecidedStep & { step: S })[]; state: ProposalState } {
  const steps: (DecidedStep & { step: S })[] = [];
  let current = state;
  const generator = typeof plan === 'function' ? plan(state) : (plan as readonly S[]).values();
  for (let next = generator.next(); !next.done; ) {
    const decided = decideStep(current, next.value, services);
    steps.push({ ...decided, step: next.value });
    current = decided.state;
    next = (generator as Generator<S, void, DecidedStep>).next(decided);
  }
  return { steps, state: current };
}
