import { ChineseDaysCalendar, ruleSetCatalog } from '@banli/domain';
import { type EventStore, openEventStore } from '@banli/event-store';
import { InProcessMessageBus, KafkaMessageBus, type MessageBus } from '@banli/messaging';
import { type DynamicModule, Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { TerminusModule } from '@nestjs/terminus';
import { AuthGuard, TokenVerifier } from './auth';
import { type BanliConfig, ConfigError, loadRuleSets } from './banli.config';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { PERSONAL_DATA_FILE, PersonalDataVault, UnitsDirectory } from '@banli/application';
import { join } from 'node:path';
import { Metrics, ObservabilityHttpController, RequestMetricsInterceptor } from './observability';
import { ProblemFilter } from './problem.filter';
import { type DomainServices, ProposalCommandService } from './proposal-commands.service';
import { ProposalCommandSender } from './proposal-routes';
import { IDEMPOTENCY_FILE, IdempotencyStore } from './sqlite/idempotency.sqlite';
import { ReadModelHttpController } from './read-model.http.controller';
import { ReadModelService } from './read-model.service';
import { RelayService } from './relay.service';
import type { ItemProjection } from '@banli/read-model';
import { BANLI_CONFIG, CLOCK, DOMAIN_SERVICES, EVENT_STORE, MESSAGE_BUS, READ_PROJECTIONS } from './tokens';

@Injectable()
class Lifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    private readonly idempotency: IdempotencyStore,
    private readonly readModel: ReadModelService,
    private readonly relay: RelayService,
    private readonly personalData: PersonalDataVault,
  ) {}

  /** The relay and the readers first, then the bus and the store they read. */
  async onApplicationShutdown(): Promise<void> {
    await this.relay.shutdown();
    await this.readModel.shutdown();
    await this.bus.close();
    await this.store.close();
    this.idempotency.close();
    this.personalData.close();
  }
}

export interface PlatformOptions {
  readonly config: BanliConfig;
  /** The system clock; tests pin it. */
  readonly clock?: () => Date;
  /** What the features of this process keep of each item (each feature lib exports its own). */
  readonly projections: readonly ItemProjection[];
}

/**
 * What every Banli service shares: configuration, the event store, the domain's calendar and rule sets,
 * authentication, problem+json errors, idempotency and the proposal command path.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot({ config, clock = () => new Date(), projections }: PlatformOptions): DynamicModule {
    const ruleSets = ruleSetCatalog(loadRuleSets(config.ruleSetsDir));
    if (!ruleSets.get(config.defaultRuleSet)) {
      throw new ConfigError(`BANLI_RULE_SET=${config.defaultRuleSet} is not a known rule set (${ruleSets.ids().join(', ')})`);
    }
    const domain: DomainServices = { calendar: new ChineseDaysCalendar(), ruleSets, defaultRuleSet: config.defaultRuleSet };
    const providers = [
      { provide: BANLI_CONFIG, useValue: config },
      { provide: CLOCK, useValue: clock },
      { provide: DOMAIN_SERVICES, useValue: domain },
      {
        provide: EVENT_STORE,
        // The store stamps recordedAt with the same clock the commands are decided by.
        useFactory: () => openEventStore({ ...config.eventStore, clock }),
      },
      {
        provide: MESSAGE_BUS,
        useFactory: (): Promise<MessageBus> | MessageBus =>
          config.kafka
            ? KafkaMessageBus.connect({ clientId: `banli-${config.service}`, ...config.kafka })
            : new InProcessMessageBus(),
      },
      { provide: READ_PROJECTIONS, useValue: projections },
      ReadModelService,
      RelayService,
      { provide: IdempotencyStore, useFactory: () => new IdempotencyStore(join(config.dataDir, IDEMPOTENCY_FILE), config.idempotencyTtlSeconds) },
      { provide: TokenVerifier, useValue: new TokenVerifier(config.jwt) },
      { provide: APP_GUARD, useClass: AuthGuard },
      { provide: APP_FILTER, useClass: ProblemFilter },
      { provide: APP_INTERCEPTOR, useClass: RequestMetricsInterceptor },
      { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      { provide: PersonalDataVault, useFactory: () => new PersonalDataVault(join(config.dataDir, PERSONAL_DATA_FILE)) },
      Metrics,
      ProposalCommandService,
      ProposalCommandSender,
      { provide: UnitsDirectory, useFactory: (store: EventStore) => new UnitsDirectory(store), inject: [EVENT_STORE] },
      Lifecycle,
    ];
    return {
      module: PlatformModule,
      imports: [CqrsModule.forRoot(), TerminusModule.forRoot({ logger: false })],
      controllers: [ObservabilityHttpController, ReadModelHttpController],
      providers,
      exports: [BANLI_CONFIG, CLOCK, DOMAIN_SERVICES, EVENT_STORE, MESSAGE_BUS, ReadModelService, Metrics, PersonalDataVault, ProposalCommandService, ProposalCommandSender, UnitsDirectory, CqrsModule],
    };
  }
}
