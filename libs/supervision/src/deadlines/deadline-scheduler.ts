import {
  type Actor,
  authorize,
  command,
  decide,
  DomainError,
  fold,
  type ProposalCommand,
  proposalStreamId,
  type RuleSetCatalog,
  type WorkingDayCalendar,
} from '@banli/domain';
import { ConcurrencyError, type EventStore, type Subscription } from '@banli/event-store';
import { toRecorded } from '@banli/platform';
import { createHash } from 'node:crypto';
import { DeadlineIndex, type DueAction } from './deadline-index';

export const SCHEDULER: Actor = { id: 'deadline-scheduler', name: '督办时钟', roles: ['system'] };
const DEADLINE_EVENTS = ['DeadlineSet', 'DeadlineExtended', 'DeadlineMet', 'DeadlineCancelled', 'DeadlineApproaching', 'DeadlineBreached', 'Escalated'];
/** setTimeout cannot wait longer than ~24.8 days; wake at least hourly and look again. */
const LONGEST_SLEEP_MS = 60 * 60 * 1000;

export interface SchedulerDependencies {
  readonly store: EventStore;
  readonly calendar: WorkingDayCalendar;
  readonly ruleSets: RuleSetCatalog;
  readonly clock: () => Date;
}

/**
 * Turns the due dates recorded in items' events into events that fire on time: DeadlineApproaching
 * at the warning instant, DeadlineBreached at 24:00 of the due date, then Escalated rung by rung. It
 * sleeps until the earliest instant in its index instead of polling everything.
 *
 * Each firing is recorded at the instant it fell due (occurredAt), appended at the exact revision it
 * was decided on, under an event id derived from the deadline and the rung: a second scheduler on the
 * same store, a restart, or a retry finds the decider answering "already done", and nothing is recorded twice.
 */
export class DeadlineScheduler {
  readonly index = new DeadlineIndex();
  private subscription?: Subscription;
  private timer?: NodeJS.Timeout;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;
  /** Events this scheduler recorded, or found already recorded by another. */
  fired = 0;

  constructor(private readonly deps: SchedulerDependencies) {}

  /** Builds the index from the store and starts firing; resolves once the index has caught up. */
  async start(): Promise<void> {
    this.subscription = this.deps.store.subscribeBatches({ filter: { streamPrefixes: ['proposal-'], eventTypes: DEADLINE_EVENTS } }, (events) => {
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
    if (next === undefined) return;
    const delay = Math.min(Math.max(0, next - this.deps.clock().getTime()), LONGEST_SLEEP_MS);
    this.timer = setTimeout(() => {
      this.running = this.running.then(() => this.fireDue()).catch(() => undefined);
    }, delay);
  }

  private async fireDue(): Promise<void> {
    const due = this.index.takeDue(this.deps.clock().getTime());
    // Items fire in parallel; one item's actions in order.
    const byItem = new Map<string, DueAction[]>();
    for (const action of due) byItem.set(action.proposalId, [...(byItem.get(action.proposalId) ?? []), action]);
    await Promise.all([...byItem.values()].map(async (actions) => {
      for (const action of actions) await this.fire(action);
    }));
    this.wake();
  }

  private async fire(action: DueAction): Promise<void> {
    const stream = proposalStreamId(action.proposalId);
    const cmd: ProposalCommand =
      action.action === 'approach'
        ? command('MarkDeadlineApproaching', { deadlineId: action.deadlineId })
        : action.action === 'breach'
          ? command('MarkDeadlineBreached', { deadlineId: action.deadlineId })
          : command('EscalateDeadline', { deadlineId: action.deadlineId, rung: action.rung! });
    const occurredAt = new Date(action.at).toISOString();
    for (let attempt = 1; attempt <= 5; attempt++) {
      try {
        const events = await this.deps.store.readStream(stream);
        const state = fold(events.map(toRecorded));
        authorize(cmd, state, SCHEDULER, { backdated: true });
        const decided = decide(cmd, state, { now: this.deps.clock().toISOString(), actor: SCHEDULER, occurredAt, calendar: this.deps.calendar, ruleSets: this.deps.ruleSets });
        if (decided.length === 0) return;
        await this.deps.store.append(
          stream,
          decided.map((e, i) => ({ eventId: firingId(action, i), type: e.type, schemaVersion: e.schemaVersion, data: e.data, occurredAt, actor: SCHEDULER })),
          events.length - 1,
        );
        this.fired += decided.length;
        return;
      } catch (error) {
        if (error instanceof ConcurrencyError) continue; // someone else wrote first: decide again on what they wrote
        if (error instanceof DomainError && error.code === 'DEADLINE_NOT_DUE') break; // a clock behind the store's: try a little later
        break;
      }
    }
    this.index.retry(action, this.deps.clock().getTime() + 5_000);
  }
}

/** The same firing always gets the same event id (a UUID in form), whichever scheduler records it. */
export function firingId(action: DueAction, index: number): string {
  const h = createHash('sha256').update(`${action.proposalId}|${action.deadlineId}|${action.action}|${action.rung ?? 0}|${action.at}|${index}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
