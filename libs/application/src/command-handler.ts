import {
  type CommandPlan,
  type CommandStep,
  type CommandWarning,
  commandWarnings,
  decideStep,
  decisionWarnings,
  fold,
  type ProposalEvent,
  proposalIdOf,
  type ProposalState,
  refuseSealedValues,
  type RuleSetCatalog,
  type WorkingDayCalendar,
} from '@banli/domain';
import { ConcurrencyError, type EventStore, type NewEvent, newEventId } from '@banli/event-store';
import { setTimeout as sleep } from 'node:timers/promises';
import { ContentionError, ItemNotFoundError, RevisionMismatchError } from './command-errors';
import { preparePersonalData, sealDecided } from './personal-data/personal-data.sealing';
import { toRecorded } from './recorded';
import type { PersonalDataVault } from './sqlite/personal-data.vault';

/** An item as the command path reads it: its fold and the revision that fold is at (-1: no item yet). */
export interface LoadedItem {
  readonly state: ProposalState;
  readonly revision: number;
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** The first wait after a lost race; it doubles each time up to `maxDelayMs`, and a random part of it is waited. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * Two writers on one item (two processes, or the clock and a handler) each lose a race at most once
 * per append of the other; with per-item lanes in each process a burst meets one rival at a time, and
 * twelve attempts with jittered backoff leave it ample room (command-handler.unit.spec.ts: 40 urges, two writers).
 */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 12, baseDelayMs: 2, maxDelayMs: 100 };

export interface CommandContext<S extends CommandStep = CommandStep> {
  readonly calendar: WorkingDayCalendar;
  readonly ruleSets: RuleSetCatalog;
  /** The rule set an assignment gets when it names none. */
  readonly defaultRuleSet?: string;
  readonly clock: () => Date;
  /** Where personal values are sealed; every caller that takes input from people names it. */
  readonly personalData?: PersonalDataVault;
  /**
   * The revision the caller last saw (`If-Match`), or `'no-stream'` for an item that must arrive new
   * (an import): a command meant for that revision is refused, never decided again on another.
   */
  readonly expected?: number | 'no-stream';
  readonly correlationId?: string;
  /** Reads the item; by default the whole stream, upcast and folded. The service passes its cache. */
  readonly load?: (streamId: string) => Promise<LoadedItem>;
  /** Each recorded event's id; by default a new time-ordered one. */
  readonly eventId?: (step: S, occurredAt: string, index: number) => string;
  readonly retry?: RetryPolicy;
}

export interface CommandOutcome<S extends CommandStep = CommandStep> {
  readonly streamId: string;
  /** The item's revision after the append, or as it was when nothing was decided. */
  readonly revision: number;
  readonly state: ProposalState;
  /** What was recorded, personal values sealed; `[]` when the plan changed nothing (a repeat). */
  readonly events: readonly ProposalEvent[];
  /** Which step recorded which events. */
  readonly steps: readonly { readonly step: S; readonly events: readonly ProposalEvent[] }[];
  /** What the caller is told about the input (contact details typed into free text, a late step). */
  readonly warnings: readonly CommandWarning[];
  /** Attempts it took: more than one when another writer appended first. */
  readonly attempts: number;
}

/** Reads a whole stream and folds it, each event brought up to its type's current schema version. */
export function loadItem(store: EventStore): (streamId: string) => Promise<LoadedItem> {
  return async (streamId) => {
    const events = await store.readStream(streamId);
    return { state: fold(events.map(toRecorded)), revision: events.length - 1 };
  };
}

/** One command on one item: see `handleCommands`. */
export function handleCommand<S extends CommandStep>(store: EventStore, streamId: string, step: S, context: CommandContext<S>): Promise<CommandOutcome<S>> {
  return handleCommands(store, streamId, [step], context);
}

/**
 * The one command path, for the service, the deadline clock, the import and the demo alike: load the
 * item, refuse sealed-looking input, ask the access policy and decide each step in order (the domain's
 * `decideStep`), seal the personal values, and append everything at the revision it was decided on,
 * in one append. When another writer appended first it reads again and decides again, after a jittered
 * backoff, unless the caller pinned the revision (`expected`). It raises the domain's `DomainError`,
 * `ItemNotFoundError`, `RevisionMismatchError` and `ContentionError`; mapping them to HTTP is the edge's.
 */
export async function handleCommands<S extends CommandStep>(store: EventStore, streamId: string, plan: CommandPlan<S>, context: CommandContext<S>): Promise<CommandOutcome<S>> {
  const proposalId = proposalIdOf(streamId) ?? streamId;
  const retry = context.retry ?? DEFAULT_RETRY;
  const load = context.load ?? loadItem(store);
  for (let attempt = 1; ; attempt++) {
    const item = await load(streamId);
    refusePinnedMismatch(item, context.expected);
    const services = { now: context.clock().toISOString(), calendar: context.calendar, ruleSets: context.ruleSets, defaultRuleSet: context.defaultRuleSet };
    // The persons' first keys are written once everything is decided: a refused step leaves none.
    const pending = new Map<string, { subject: string; field: string; value: string }>();
    const steps: { step: S; events: ProposalEvent[]; occurredAt: string }[] = [];
    const warnings: CommandWarning[] = [];
    let state = item.state;
    const generator = typeof plan === 'function' ? plan(item.state) : plan.values();
    for (let next = generator.next(); !next.done; ) {
      const step = next.value;
      refuseSealedValues(step.command.data, 'The command');
      if (state.status === 'empty' && step.command.type !== 'SubmitProposal') throw new ItemNotFoundError(proposalId);
      warnings.push(...commandWarnings(step.command));
      const command = context.personalData ? preparePersonalData(context.personalData, proposalId, step.command, state, pending).command : step.command;
      const decided = decideStep(state, command.data === step.command.data ? step : { ...step, command }, services);
      warnings.push(...decisionWarnings(state, decided.events));
      steps.push({ step, events: decided.events, occurredAt: decided.occurredAt });
      state = decided.state;
      next = (generator as Generator<S, void, typeof decided>).next(decided);
    }
    const decidedEvents = steps.length === 1 ? steps[0].events : steps.flatMap((s) => s.events);
    if (decidedEvents.length === 0) return { streamId, revision: item.revision, state, events: [], steps, warnings, attempts: attempt };
    const sealed = context.personalData ? await sealDecided(context.personalData, { pending }, proposalId, decidedEvents) : decidedEvents;
    try {
      const appended = await store.append(streamId, toNewEvents(steps, sealed, context), item.revision < 0 ? 'no-stream' : item.revision);
      let n = 0;
      const recorded = steps.map((s) => ({ step: s.step, events: sealed.slice(n, (n += s.events.length)) }));
      return { streamId, revision: appended.revision, state, events: sealed, steps: recorded, warnings, attempts: attempt };
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      if (context.expected !== undefined) throw new RevisionMismatchError('The item moved on while the command was decided');
      if (attempt >= retry.attempts) throw new ContentionError(streamId, attempt);
      await sleep(Math.random() * Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1)));
    }
  }
}

function refusePinnedMismatch(item: LoadedItem, expected: number | 'no-stream' | undefined): void {
  if (expected === undefined) return;
  if (expected === 'no-stream') {
    if (item.revision >= 0) throw new RevisionMismatchError(`The item is already recorded, at revision ${item.revision}`, item.revision);
  } else if (expected !== item.revision) {
    throw new RevisionMismatchError(`The item is at revision ${item.revision}, not ${expected}`, item.revision);
  }
}

function toNewEvents<S extends CommandStep>(steps: readonly { step: S; events: readonly ProposalEvent[]; occurredAt: string }[], sealed: readonly ProposalEvent[], context: CommandContext<S>): NewEvent[] {
  const out: NewEvent[] = [];
  for (const { step, events, occurredAt } of steps) {
    for (let index = 0; index < events.length; index++) {
      const e = sealed[out.length];
      const event: NewEvent = { eventId: context.eventId?.(step, occurredAt, index) ?? newEventId(), type: e.type, schemaVersion: e.schemaVersion, data: e.data, occurredAt, actor: step.actor };
      if (context.correlationId !== undefined) (event as { correlationId?: string }).correlationId = context.correlationId;
      out.push(event);
    }
  }
  return out;
}
