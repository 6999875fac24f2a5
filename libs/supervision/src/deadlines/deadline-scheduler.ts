import {
  type Actor,
  command,
  type CommandStep,
  type DecidedStep,
  DEADLINE_EVENT_TYPES,
  decideSteps,
  DomainError,
  fold,
  type ProposalCommand,
  type ProposalState,
  PROPOSAL_STREAM_PREFIX,
  proposalStreamId,
  type RuleSetCatalog,
  type WorkingDayCalendar,
} from '@banli/domain';
import { ConcurrencyError, deterministicEventId, type EventStore, type NewEvent, type Subscription } from '@banli/event-store';
import { handleCommands, toRecorded } from '@banli/application';
import { DeadlineIndex, type DueAction } from './deadline-index';

export const SCHEDULER: Actor = { id: 'deadline-scheduler', name: '督办时钟', roles: ['system'] };
/** setTimeout cannot wait longer than ~24.8 days; wake at least hourly and look again. */
const LONGEST_SLEEP_MS = 60 * 60 * 1000;
/** Firings are prepared (item read, folded, decided) this long before they fall due: at the instant only the append is left. */
const PREPARE_AHEAD_MS = 10_000;
/** At most this many firings wait prepared (their events held in memory), and this many are prepared per turn. */
const PREPARED_AT_MOST = 50_000;
const PREPARE_PER_TURN = 1_000;

export interface SchedulerDependencies {
  readonly store: EventStore;
  readonly calendar: WorkingDayCalendar;
  readonly ruleSets: RuleSetCatalog;
  readonly clock: () => Date;
}

/**
 * A firing decided ahead of its instant against the item's revision then: appended only if nothing
 * was written since. `expected` is absent for one that could not be decided ahead.
 */
interface Prepared {
  readonly action: DueAction;
  readonly stream: string;
  readonly expected?: number;
  readonly events: NewEvent[];
}

/**
 * Turns the due dates recorded in items' events into events that fire on time: DeadlineApproaching
 * at the warning instant, DeadlineBreached at 24:00 of the due date, then Escalated rung by rung. It
 * sleeps until the earliest instant in its index instead of polling everything.
 *
 * Each firing is recorded at the instant it fell due (occurredAt), appended at the exact revision it
 * was decided on, under an event id derived from the deadline and the rung: a second scheduler on the
 * same store, a restart, or a retry finds the decider answering "already done", and nothing is recorded twice.
 *
 * A burst (thousands of reply deadlines ending at the same midnight) is decided in the seconds before
 * it falls due, so at the instant only the appends remain. A firing decided ahead is appended at the
 * revision it was decided on: if anything was written to the item since (the reply went out at 23:59),
 * the append is refused and the firing is decided again on what is there now.
 */
export class DeadlineScheduler {
  readonly index = new DeadlineIndex();
  private subscription?: Subscription;
  private timer?: NodeJS.Timeout;
  private running: Promise<void> = Promise.resolve();
  private prepared: Prepared[] = [];
  private stopped = false;
  /** Events this scheduler recorded, or found already recorded by another. */
  fired = 0;

  constructor(private readonly deps: SchedulerDependencies) {}

  /** Builds the index from the store and starts firing; resolves once the index has caught up. */
  async start(): Promise<void> {
    this.subscription = this.deps.store.subscribeBatches({ filter: { streamPrefixes: [PROPOSAL_STREAM_PREFIX], eventTypes: [...DEADLINE_EVENT_TYPES] } }, (events) => {
      for (const event of events) this.index.apply(event);
      this.wake();
    });
    await this.subscription.caughtUp;
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.subscription?.stop();
    await this.running;
  }

  /** The clock moved (or was corrected): look at the index again now. */
  nudge(): void {
    this.wake();
  }

  /** Resolves when nothing due is waiting to be fired (for specs and benchmarks). */
  async idle(): Promise<void> {
    await this.running;
  }

  private wake(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    const next = this.index.nextAt();
    const lookAt = next === undefined ? undefined : this.prepared.length < PREPARED_AT_MOST ? next - PREPARE_AHEAD_MS : next;
    const candidates = [this.prepared[0]?.action.at, lookAt].filter((t): t is number => t !== undefined);
    if (candidates.length === 0) return;
    const delay = Math.min(Math.max(0, Math.min(...candidates) - this.deps.clock().getTime()), LONGEST_SLEEP_MS);
    this.timer = setTimeout(() => {
      this.running = this.running.then(() => this.turn()).catch(() => undefined);
    }, delay);
  }

  /** Prepares what falls due soon, appends what is due now, and sleeps again. */
  private async turn(): Promise<void> {
    const dueNow = this.index.takeDue(this.deps.clock().getTime(), PREPARE_PER_TURN);
    const room = Math.min(PREPARE_PER_TURN - dueNow.length, PREPARED_AT_MOST - this.prepared.length);
    const soon = [...dueNow, ...(room > 0 ? this.index.takeDue(this.deps.clock().getTime() + PREPARE_AHEAD_MS, room) : [])];
    if (soon.length > 0) {
      for (const actions of byItem(soon)) this.prepared.push(...(await this.prepare(actions)));
      this.prepared.sort((a, b) => a.action.at - b.action.at);
    }
    const now = this.deps.clock().getTime();
    let due = 0;
    while (due < this.prepared.length && this.prepared[due].action.at <= now) due += 1;
    const firing = this.prepared.splice(0, due);
    // Items are appended in parallel (one group commit); one item's firings in order.
    const perItem = new Map<string, Prepared[]>();
    for (const p of firing) {
      const list = perItem.get(p.stream);
      if (list) list.push(p);
      else perItem.set(p.stream, [p]);
    }
    await Promise.all([...perItem.values()].map((list) => this.commit(list)));
    this.wake();
  }

  /** Decides one item's coming firings in order, each on the state the one before leaves. */
  private async prepare(actions: DueAction[]): Promise<Prepared[]> {
    const stream = proposalStreamId(actions[0].proposalId);
    try {
      const events = await this.deps.store.readStream(stream);
      let state = fold(events.map(toRecorded));
      let expected = events.length - 1;
      const prepared: Prepared[] = [];
      for (const action of actions) {
        const decided = this.decideFiring(action, state, Math.max(action.at, this.deps.clock().getTime()));
        prepared.push({ action, stream, expected, events: decided.events });
        state = decided.state;
        expected += decided.events.length;
      }
      return prepared;
    } catch {
      // Not decidable ahead (not due by the store's reckoning, say): decided again at the instant.
      return actions.map((action) => ({ action, stream, events: [] }));
    }
  }

  private async commit(list: Prepared[]): Promise<void> {
    for (let i = 0; i < list.length; i++) {
      const { action, stream, expected, events } = list[i];
      if (expected === undefined) {
        await this.fire(action);
        continue;
      }
      if (events.length === 0) continue; // already done when it was decided
      try {
        await this.deps.store.append(stream, events, expected);
        this.fired += events.length;
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
        // Written to since it was decided: decide this and the rest again on what is there now.
        for (const rest of list.slice(i)) await this.fire(rest.action);
        return;
      }
    }
  }

  /** Reads the item and decides now, through the command path: for what could not be prepared, or was overtaken by another write. */
  private async fire(action: DueAction): Promise<void> {
    try {
      const outcome = await handleCommands(this.deps.store, proposalStreamId(action.proposalId), () => firingPlan(action, this.deps.clock().getTime()), {
        ...this.deps,
        eventId: (step, _occurredAt, index) => firingId(step.action, index),
      });
      this.fired += outcome.events.length;
      return;
    } catch (error) {
      if (error instanceof DomainError && error.code === 'DEADLINE_NOT_DUE') {
        // Moved by an extension: the index holds the new instant. Otherwise a clock behind the store's: try a little later.
        const dueAt = Date.parse(String(error.details.dueAt ?? error.details.at));
        if (dueAt > action.at) return;
      }
    }
    this.index.retry(action, this.deps.clock().getTime() + 5_000);
  }

  /** What the clock records for an action at `now`, decided ahead on a state read before (`prepare`). */
  private decideFiring(action: DueAction, state: ProposalState, now: number): { events: NewEvent[]; state: ProposalState } {
    const decided = decideSteps(state, () => firingPlan(action, now), { now: new Date(now).toISOString(), calendar: this.deps.calendar, ruleSets: this.deps.ruleSets });
    const events = decided.steps.flatMap(({ step, events: stepEvents, occurredAt }) =>
      stepEvents.map((e, n): NewEvent => ({ eventId: firingId(step.action, n), type: e.type, schemaVersion: e.schemaVersion, data: e.data, occurredAt, actor: SCHEDULER })),
    );
    return { events, state: decided.state };
  }
}

/** A firing as a command step, with the action it came from (its event ids derive from it). */
interface FiringStep extends CommandStep {
  readonly action: DueAction;
}

/**
 * What the clock records for an action at `now`, each event at the instant it fell due. A breach
 * carries along the escalation rungs already due with it (the first rung usually falls at the breach
 * itself), in one append.
 */
function* firingPlan(action: DueAction, now: number): Generator<FiringStep, void, DecidedStep> {
  const breach = yield firingStep(action);
  if (action.action !== 'breach' || breach.events.length === 0 || !('deadlines' in breach.state)) return;
  const deadline = breach.state.deadlines[action.deadlineId];
  for (const rung of deadline?.escalations ?? []) {
    const at = Date.parse(rung.at);
    if (at > now || deadline.escalatedRungs.includes(rung.rung)) continue;
    yield firingStep({ proposalId: action.proposalId, deadlineId: action.deadlineId, action: 'escalate', rung: rung.rung, at });
  }
}

function firingStep(action: DueAction): FiringStep {
  // A firing is recorded at the instant it fell due: history as the clock keeps it, not a caller back-dating.
  return { command: commandFor(action), actor: SCHEDULER, occurredAt: new Date(action.at).toISOString(), backdated: true, action };
}

function commandFor(action: DueAction): ProposalCommand {
  return action.action === 'approach'
    ? command('MarkDeadlineApproaching', { deadlineId: action.deadlineId })
    : action.action === 'breach'
      ? command('MarkDeadlineBreached', { deadlineId: action.deadlineId })
      : command('EscalateDeadline', { deadlineId: action.deadlineId, rung: action.rung! });
}

function byItem(actions: DueAction[]): DueAction[][] {
  const items = new Map<string, DueAction[]>();
  for (const action of actions) {
    const list = items.get(action.proposalId);
    if (list) list.push(action);
    else items.set(action.proposalId, [action]);
  }
  return [...items.values()];
}

/**
 * The same firing always gets the same event id, whichever scheduler records it. It leads with the
 * instant the firing fell due, so a burst's ids sit together in the store's index.
 */
export function firingId(action: DueAction, index: number): string {
  return deterministicEventId(action.at, `${action.proposalId}|${action.deadlineId}|${action.action}|${action.rung ?? 0}|${action.at}|${index}`);
}
