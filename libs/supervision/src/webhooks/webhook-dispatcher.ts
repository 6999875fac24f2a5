import { mayReceiveNotice, PROPOSAL_STREAM_PREFIX } from '@banli/domain';
import type { EventStore, StoredEvent, Subscription } from '@banli/event-store';
import { setTimeout as sleep } from 'node:timers/promises';
import { noticeOf, unitConcerned } from '../supervision-notice';
import { signingSecrets, type Webhook } from './webhook-registry';
import { SIGNATURE_HEADER, signDelivery, standardWebhookHeaders } from './webhook-signature';
import { checkTarget, DeliveryError, post, type TargetPolicy, WebhookTargetRefused } from './webhook-target';

export interface DeliveryOptions {
  /** The wait before the first retry; each further retry waits twice as long, up to `maxRetryMs`. */
  readonly firstRetryMs: number;
  readonly maxRetryMs: number;
  /** How long one request may take before it counts as failed, and how long connecting may take of it. */
  readonly timeoutMs: number;
  readonly connectMs: number;
  readonly clock: () => Date;
  /** Where deliveries may go: checked again before each one. */
  readonly target: TargetPolicy;
}

export const DEFAULT_DELIVERY_OPTIONS: DeliveryOptions = {
  firstRetryMs: 1_000,
  maxRetryMs: 5 * 60_000,
  timeoutMs: 10_000,
  connectMs: 5_000,
  clock: () => new Date(),
  target: { allowHttp: false, allowNetworks: [] },
};

export interface DeliveryStatus {
  /** The store position of the last event handled for this webhook. */
  readonly position: number;
  readonly delivered: number;
  readonly lastDeliveredAt?: string;
  /** Set while the receiver refuses: since when, how often it was tried, why, and when next. */
  readonly failing?: { readonly since: string; readonly attempts: number; readonly lastError: string; readonly nextAttemptAt: string; readonly eventId: string };
}

/**
 * Delivers one webhook's events in store order, each as a signed POST, retried with exponential
 * backoff until the receiver answers 2xx. The webhook's place in the store is a durable subscription
 * checkpoint that moves only past delivered events, so a restart, a crash or a failover resumes where
 * delivery stopped: an event may arrive twice (same `Banli-Delivery-Id`), never not at all.
 */
export class WebhookDispatcher {
  private subscription?: Subscription;
  private readonly stopping = new AbortController();
  private delivered = 0;
  private lastDeliveredAt?: string;
  private failing?: DeliveryStatus['failing'];

  constructor(
    private readonly store: EventStore,
    /** Replaced when the registration changes (a rotated secret); the subscription stays. */
    public webhook: Webhook,
    private readonly options: DeliveryOptions = DEFAULT_DELIVERY_OPTIONS,
  ) {}

  start(): void {
    this.subscription = this.store.subscribe(
      {
        subscriptionId: `webhook-${this.webhook.webhookId}`,
        from: this.webhook.fromPosition,
        filter: { streamPrefixes: [PROPOSAL_STREAM_PREFIX], eventTypes: [...this.webhook.eventTypes] },
      },
      (event) => this.deliver(event),
    );
    // Stopping ends the subscription with the undelivered event failed: it stays undelivered, for next time.
    void this.subscription.done.catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.subscription?.stop();
  }

  status(): DeliveryStatus {
    return {
      position: this.subscription?.position() ?? this.webhook.fromPosition,
      delivered: this.delivered,
      ...(this.lastDeliveredAt ? { lastDeliveredAt: this.lastDeliveredAt } : {}),
      ...(this.failing ? { failing: this.failing } : {}),
    };
  }

  private async deliver(event: StoredEvent): Promise<void> {
    if (this.webhook.unit !== undefined && unitConcerned(event) !== this.webhook.unit) return;
    // What the registrant could follow on the stream, and nothing more.
    if (!mayReceiveNotice(this.webhook.registrant, event.type, unitConcerned(event))) return;
    const body = JSON.stringify({ eventId: event.eventId, type: event.type, position: event.position, ...noticeOf(event) });
    for (let attempt = 1; ; attempt++) {
      this.stopping.signal.throwIfAborted();
      const error = await this.post(event, body);
      if (error === undefined) {
        this.delivered += 1;
        this.lastDeliveredAt = this.options.clock().toISOString();
        this.failing = undefined;
        return;
      }
      const wait = Math.min(this.options.maxRetryMs, this.options.firstRetryMs * 2 ** (attempt - 1)) * (0.8 + 0.4 * Math.random());
      const now = this.options.clock();
      this.failing = {
        since: this.failing?.eventId === event.eventId ? this.failing.since : now.toISOString(),
        attempts: attempt,
        lastError: error,
        nextAttemptAt: new Date(now.getTime() + wait).toISOString(),
        eventId: event.eventId,
      };
      await sleep(wait, undefined, { signal: this.stopping.signal });
    }
  }

  /**
   * Undefined when the receiver took it (2xx); otherwise why not, as a class only (`timeout`, `HTTP 503`,
   * `refused address`…): nothing a receiver or the network said is passed on. The URL is checked and
   * resolved again each time, and the connection goes to the address checked; redirects are not followed.
   */
  private async post(event: StoredEvent, body: string): Promise<string | undefined> {
    try {
      const target = await checkTarget(this.webhook.url, this.options.target);
      const at = this.options.clock();
      const secrets = signingSecrets(this.webhook, at);
      const answer = await post(
        target,
        {
          'content-type': 'application/json',
          'user-agent': 'Banli-Webhooks/1',
          'banli-webhook-id': this.webhook.webhookId,
          'banli-delivery-id': event.eventId,
          'banli-event-type': event.type,
          [SIGNATURE_HEADER]: signDelivery(secrets, body, at),
          ...standardWebhookHeaders(event.eventId, secrets, body, at),
        },
        body,
        { connectMs: this.options.connectMs, timeoutMs: this.options.timeoutMs, signal: this.stopping.signal },
      );
      return answer.status >= 200 && answer.status < 300 ? undefined : `HTTP ${answer.status}`;
    } catch (error) {
      if (this.stopping.signal.aborted) throw error;
      if (error instanceof WebhookTargetRefused) return error.reason === 'unresolvable' ? 'unresolvable' : 'refused address';
      if (error instanceof DeliveryError) return error.errorClass;
      return 'network';
    }
  }
}
