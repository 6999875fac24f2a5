import { PROPOSAL_STREAM_PREFIX, SUPERVISION_NOTICE_TYPES } from '@banli/domain';
import type { EventStore, Subscription } from '@banli/event-store';
import { type MessageBus, TOPICS } from './message-bus.port';

/** What the deadline topic carries: the supervision notices, as the read policy names them. */
const DEADLINE_TYPES = new Set<string>(SUPERVISION_NOTICE_TYPES);

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
    // Whatever is waiting goes out in one request per topic: one broker round-trip per batch, not per event.
    this.subscription = this.store.subscribeBatches({ subscriptionId: this.relayId, filter: { streamPrefixes: [PROPOSAL_STREAM_PREFIX] } }, async (events) => {
      await this.bus.publish(TOPICS.proposalEvents, events);
      const deadlineEvents = events.filter((e) => DEADLINE_TYPES.has(e.type));
      if (deadlineEvents.length > 0) await this.bus.publish(TOPICS.deadlineEvents, deadlineEvents);
    });
    return this.subscription;
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
  }
}
