import type { EventStore } from '@banli/event-store';
import { BANLI_CONFIG, type BanliConfig, CLOCK, DOMAIN_SERVICES, type DomainServices, EVENT_STORE } from '@banli/platform';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DeadlineScheduler } from './deadline-scheduler';

/** Runs the deadline scheduler in this process (BANLI_SCHEDULER=on, the default); it stops before the store closes. */
@Injectable()
export class DeadlineSchedulerService implements OnApplicationBootstrap, OnModuleDestroy {
  readonly scheduler?: DeadlineScheduler;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(DOMAIN_SERVICES) domain: DomainServices,
    @Inject(CLOCK) clock: () => Date,
    @Inject(BANLI_CONFIG) config: BanliConfig,
  ) {
    if (config.scheduler) this.scheduler = new DeadlineScheduler({ store, calendar: domain.calendar, ruleSets: domain.ruleSets, clock });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.scheduler) return;
    await this.scheduler.start();
    new Logger('DeadlineScheduler').log({ msg: 'deadline scheduler started', openDeadlines: this.scheduler.index.size });
  }

  async onModuleDestroy(): Promise<void> {
    await this.scheduler?.stop();
  }
}
