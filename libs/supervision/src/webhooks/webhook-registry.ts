import type { Actor, Role } from '@banli/domain';
import { ConcurrencyError, type EventActor, type EventStore, type GlobalPosition, type StoredEvent } from '@banli/event-store';
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import type { StreamedType } from '../supervision-notice';

/** Registrations live in the event store, so every replica of the supervision service sees the same ones. */
export const WEBHOOKS_STREAM = 'supervision-webhooks';
export const WEBHOOK_EVENT_SCHEMA_VERSIONS = { WebhookRegistered: 1, WebhookRemoved: 1, WebhookSecretRotated: 1 } as const;

export interface Webhook {
  readonly webhookId: string;
  readonly url: string;
  /** Only events about this unit; every unit when absent. */
  readonly unit?: string;
  readonly eventTypes: readonly StreamedType[];
  readonly registeredAt: string;
  readonly registeredBy: string;
  /** Who registered it, as their token said: the read policy delivers them only what they may receive. */
  readonly registrant: Actor;
  /** The unit that owns it: its supervisors see and manage it (the office and admins manage every one). */
  readonly ownerUnit?: string;
  /** Deliveries start after this store position: a new webhook is not sent the past. */
  readonly fromPosition: GlobalPosition;
  readonly secret: string;
  /** While a secret is rotated, the one before is still signed with until `validUntil`. */
  readonly previousSecret?: { readonly secret: string; readonly validUntil: string };
}

/** The secrets a delivery at `at` is signed with: the current one, and the previous while it is still valid. */
export function signingSecrets(webhook: Webhook, at: Date): string[] {
  const previous = webhook.previousSecret;
  return previous && Date.parse(previous.validUntil) > at.getTime() ? [webhook.secret, previous.secret] : [webhook.secret];
}

/** A secret as stored: AES-256-GCM under the deployment's webhook key, bound to its webhook id. */
interface SealedSecret {
  readonly alg: 'A256GCM';
  readonly iv: string;
  readonly tag: string;
  readonly data: string;
}

interface WebhookRegisteredV1 {
  readonly webhookId: string;
  readonly url: string;
  readonly unit?: string;
  readonly eventTypes: StreamedType[];
  readonly secret: SealedSecret;
}

/** A webhook's secret does not open with this process's key: the deployment's processes do not share one. */
export class WebhookKeyMismatchError extends Error {
  constructor(webhookId: string) {
    super(`The secret of webhook ${webhookId} does not open with this BANLI_WEBHOOK_KEY: every supervision process must share one key`);
    this.name = 'WebhookKeyMismatchError';
  }
}

/**
 * The webhooks the supervision office registered. The secret never enters the store in the clear:
 * it is sealed with a key the deployment keeps outside it (BANLI_WEBHOOK_KEY), so exports, histories
 * and backups of the store do not carry it.
 */
export class WebhookRegistry {
  private readonly webhooks = new Map<string, Webhook>();
  private revision = -1;

  constructor(
    private readonly store: EventStore,
    private readonly key: Buffer,
  ) {}

  async list(): Promise<Webhook[]> {
    await this.refresh();
    return [...this.webhooks.values()].sort((a, b) => a.registeredAt.localeCompare(b.registeredAt) || a.webhookId.localeCompare(b.webhookId));
  }

  async get(webhookId: string): Promise<Webhook | undefined> {
    await this.refresh();
    return this.webhooks.get(webhookId);
  }

  async register(input: { url: string; secret: string; unit?: string; eventTypes: readonly StreamedType[] }, actor: EventActor, now: Date): Promise<Webhook> {
    const webhookId = randomUUID();
    const data: WebhookRegisteredV1 = {
      webhookId,
      url: input.url,
      ...(input.unit === undefined ? {} : { unit: input.unit }),
      eventTypes: [...input.eventTypes],
      secret: this.seal(webhookId, input.secret),
    };
    await this.appendAtHead({ type: 'WebhookRegistered', schemaVersion: WEBHOOK_EVENT_SCHEMA_VERSIONS.WebhookRegistered, data, occurredAt: now.toISOString(), actor });
    return (await this.get(webhookId))!;
  }

  /** Replaces the secret; the one before keeps being signed with until `validUntil`, so receivers can change over. */
  async rotate(webhookId: string, secret: string, validUntil: Date, actor: EventActor, now: Date): Promise<Webhook | undefined> {
    if (!(await this.get(webhookId))) return undefined;
    await this.appendAtHead({
      type: 'WebhookSecretRotated',
      schemaVersion: WEBHOOK_EVENT_SCHEMA_VERSIONS.WebhookSecretRotated,
      data: { webhookId, secret: this.seal(webhookId, secret), previousValidUntil: validUntil.toISOString() },
      occurredAt: now.toISOString(),
      actor,
    });
    return this.get(webhookId);
  }

  /** False when there is no such webhook. */
  async remove(webhookId: string, actor: EventActor, now: Date): Promise<boolean> {
    if (!(await this.get(webhookId))) return false;
    await this.appendAtHead({ type: 'WebhookRemoved', schemaVersion: WEBHOOK_EVENT_SCHEMA_VERSIONS.WebhookRemoved, data: { webhookId }, occurredAt: now.toISOString(), actor });
    await this.refresh();
    return true;
  }

  /** Reads what was recorded since the last look (registrations made by other replicas included). */
  async refresh(): Promise<void> {
    const events = await this.store.readStream(WEBHOOKS_STREAM, { fromRevision: this.revision + 1 });
    for (const event of events) {
      this.apply(event);
      this.revision = event.revision;
    }
  }

  private async appendAtHead(event: Parameters<EventStore['append']>[1][number]): Promise<void> {
    for (;;) {
      await this.refresh();
      try {
        await this.store.append(WEBHOOKS_STREAM, [event], this.revision < 0 ? 'no-stream' : this.revision);
        return;
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
      }
    }
  }

  private apply(event: StoredEvent): void {
    if (event.type === 'WebhookRegistered') {
      const data = event.data as WebhookRegisteredV1;
      this.webhooks.set(data.webhookId, {
        webhookId: data.webhookId,
        url: data.url,
        ...(data.unit === undefined ? {} : { unit: data.unit }),
        eventTypes: data.eventTypes,
        registeredAt: event.occurredAt,
        registeredBy: event.actor?.id ?? 'unknown',
        registrant: { id: event.actor?.id ?? 'unknown', ...(event.actor?.unit ? { unit: event.actor.unit } : {}), roles: (event.actor?.roles ?? []) as Role[] },
        ...(event.actor?.unit ? { ownerUnit: event.actor.unit } : {}),
        fromPosition: event.position,
        secret: this.unseal(data.webhookId, data.secret),
      });
    } else if (event.type === 'WebhookSecretRotated') {
      const data = event.data as { webhookId: string; secret: SealedSecret; previousValidUntil: string };
      const webhook = this.webhooks.get(data.webhookId);
      if (webhook) this.webhooks.set(data.webhookId, { ...webhook, secret: this.unseal(data.webhookId, data.secret), previousSecret: { secret: webhook.secret, validUntil: data.previousValidUntil } });
    } else if (event.type === 'WebhookRemoved') {
      this.webhooks.delete((event.data as { webhookId: string }).webhookId);
    }
  }

  private seal(webhookId: string, secret: string): SealedSecret {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(Buffer.from(webhookId));
    const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return { alg: 'A256GCM', iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
  }

  private unseal(webhookId: string, sealed: SealedSecret): string {
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(sealed.iv, 'base64')).setAAD(Buffer.from(webhookId));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new WebhookKeyMismatchError(webhookId);
    }
  }
}
