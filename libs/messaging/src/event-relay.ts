import type { EventStore, Subscription } from '@banli/event-store';
import { type MessageBus, TOPICS } from './message-bus.port';

const DEADLINE_TYPES = new Set(['DeadlineApproaching', 'DeadlineBreached', 'Urged', 'Escalated']);

/**
 * Tails the event store from its stored checkpoint and publishes every event to the bus; the
 * checkpoint moves only after the bus accepted the event, so nothing appended is ever left unpublished.
 */
export class EventRelay {
  private subscription?: Subscription;

  constructor(
    private readonly store: EventStore,
    private readonly bus: MessageBus,
    private readonly relayId = 'relay',
  ) {}

  start(): Subscription {
    this.subscription = this.store.subscribe({ subscriptionId: this.relayId, filter: { streamPrefixes: ['proposal-'] } }, async (event) => {
      await this.bus.publish(TOPICS.proposalEvents, [event]);
      if (DEADLINE_TYPES.has(event.type)) await this.bus.publish(TOPICS.deadlineEvents, [event]);
    });
    return this.subscription;
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
  }
}
