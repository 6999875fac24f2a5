import type { EventStore } from '@banli/event-store';
import { EventRelay, type MessageBus } from '@banli/messaging';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { Metrics } from './observability';
import { EVENT_STORE, MESSAGE_BUS } from './tokens';

/**
 * Publishes the store to the bus: one relay per store, in whichever process holds the lead; the
 * others stand by and take over if it goes. Started once every consumer of this process has subscribed.
 */
@Injectable()
export class RelayService implements OnApplicationBootstrap {
  private readonly relay: EventRelay;
  private leaveElection?: () => Promise<void>;
  private readonly leader: Gauge;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    metrics: Metrics,
  ) {
    this.relay = new EventRelay(store, bus);
    this.leader = new Gauge({ name: 'banli_relay_leader', help: '1 while this process relays the store to the bus', registers: [metrics.registry] });
    this.leader.set(0);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.leaveElection = await this.bus.lead(
      'relay',
      () => {
        this.relay.start();
        this.leader.set(1);
      },
      async () => {
        this.leader.set(0);
        await this.relay.stop();
      },
    );
  }

  /** Stops relaying; called before the bus and the store close. */
  async shutdown(): Promise<void> {
    await this.leaveElection?.();
    await this.relay.stop();
  }
}
