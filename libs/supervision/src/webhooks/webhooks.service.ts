import type { EventStore } from '@banli/event-store';
import type { MessageBus } from '@banli/messaging';
import { BANLI_CONFIG, type BanliConfig, CLOCK, EVENT_STORE, MESSAGE_BUS, webhookKey } from '@banli/platform';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { DEFAULT_DELIVERY_OPTIONS, type DeliveryStatus, WebhookDispatcher } from './webhook-dispatcher';
import { WebhookRegistry } from './webhook-registry';
import type { TargetPolicy } from './webhook-target';

/** How often the delivering process looks for webhooks registered or removed through another replica. */
const REGISTRY_POLL_MS = 2_000;

/**
 * Runs the webhook deliveries. Every process serves the registry; one process of the deployment (the
 * `webhooks` leader) delivers, so a receiver is not called once per replica. When the leader goes,
 * another takes over from the durable checkpoints.
 */
@Injectable()
export class WebhooksService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  readonly registry: WebhookRegistry;
  private readonly dispatchers = new Map<string, WebhookDispatcher>();
  private leading = false;
  private poll?: NodeJS.Timeout;
  private leaveElection?: () => Promise<void>;
  private syncing: Promise<void> = Promise.resolve();
  private readonly log = new Logger('Webhooks');
  /** Where webhooks may go: the operator's settings, and never this service itself. */
  readonly target: TargetPolicy;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(CLOCK) private readonly clock: () => Date,
    @Inject(BANLI_CONFIG) config: BanliConfig,
    adapterHost: HttpAdapterHost,
  ) {
    this.registry = new WebhookRegistry(store, webhookKey(config));
    this.target = {
      ...config.webhooks,
      ownPort: () => {
        const address = adapterHost.httpAdapter?.getHttpServer()?.address() as AddressInfo | string | null | undefined;
        return typeof address === 'object' && address ? address.port : config.port;
      },
    };
  }

  /**
   * The start-up check of BANLI_WEBHOOK_KEY: the registered webhooks' secrets must open with it. A process
   * with another key than the one they were sealed with does not start (WebhookKeyMismatchError).
   */
  async onModuleInit(): Promise<void> {
    await this.registry.refresh();
  }

  async onApplicationBootstrap(): Promise<void> {
    this.leaveElection = await this.bus.lead(
      'webhooks',
      async () => {
        this.leading = true;
        await this.sync();
        this.poll = setInterval(() => void this.sync(), REGISTRY_POLL_MS);
        this.poll.unref();
      },
      async () => {
        this.leading = false;
        clearInterval(this.poll);
        await this.sync();
      },
    );
  }

  async onModuleDestroy(): Promise<void> {
    this.leading = false;
    clearInterval(this.poll);
    await this.leaveElection?.();
    await this.sync();
  }

  /** This process's delivery status of a webhook; undefined where another process delivers. */
  status(webhookId: string): DeliveryStatus | undefined {
    return this.dispatchers.get(webhookId)?.status();
  }

  /** Starts deliveries for new webhooks and stops removed ones (all of them when not leading). */
  sync(): Promise<void> {
    this.syncing = this.syncing
      .then(async () => {
        const wanted = this.leading ? await this.registry.list() : [];
        const ids = new Set(wanted.map((w) => w.webhookId));
        for (const [id, dispatcher] of this.dispatchers) {
          if (ids.has(id)) continue;
          this.dispatchers.delete(id);
          await dispatcher.stop();
        }
        for (const webhook of wanted) {
          const running = this.dispatchers.get(webhook.webhookId);
          // A rotated secret is signed with from the next delivery on.
          if (running) running.webhook = webhook;
          if (running) continue;
          const dispatcher = new WebhookDispatcher(this.store, webhook, { ...DEFAULT_DELIVERY_OPTIONS, clock: this.clock, target: this.target });
          this.dispatchers.set(webhook.webhookId, dispatcher);
          dispatcher.start();
        }
      })
      .catch((error) => this.log.error({ msg: 'webhook registry could not be read', error: (error as Error).message }));
    return this.syncing;
  }
}
