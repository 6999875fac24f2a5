import {
  BACKWARDS,
  END,
  excludeSystemEvents,
  FORWARDS,
  jsonEvent,
  KurrentDBClient,
  NO_STREAM,
  type Position,
  START,
  StreamNotFoundError,
  streamNameFilter,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import {
  type AppendResult,
  type BatchHandler,
  ConcurrencyError,
  type EventActor,
  type EventHandler,
  type EventStore,
  type ExpectedRevision,
  type GlobalPosition,
  matchesFilter,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type Revision,
  type StoredEvent,
  StoreUnavailableError,
  type SubscribeOptions,
  type Subscription,
  type VerifyResult,
} from '../event-store.port';
import { canonicalJson, eventHash, firstBrokenRevision, GENESIS_HASH, metadataText } from '../hash-chain';
import { validateAppend } from '../append-validation';
import { newEventId } from '../event-id';

/** What Banli keeps in a KurrentDB event's metadata (the payload stays the domain event's data). */
interface BanliMetadata {
  schemaVersion: number;
  occurredAt: string;
  recordedAt: string;
  actor?: EventActor;
  correlationId?: string;
  causationId?: string;
  hash: string;
  /** KurrentDB's own correlation fields, so its projections and UI link events up. */
  $correlationId?: string;
  $causationId?: string;
}

interface RecordedLike {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  data: unknown;
  metadata: unknown;
  position?: Position;
}

const CHECKPOINT_PREFIX = 'banli-checkpoint-';
const MAX_APPEND_ATTEMPTS = 5;

/**
 * The event store on KurrentDB (the EventStoreDB successor) for cluster deployments. Expected
 * revisions map to KurrentDB stream states; its wrong-expected-version error becomes ours.
 *
 * The hash chain is computed by the writer: an append reads the stream's last event for its hash and
 * then appends at exactly that revision, so a racing writer is caught by the server, never by luck.
 * Appends with `any` or `stream-exists` simply re-read and retry when they lose that race.
 *
 * The global position is KurrentDB's prepare position: unique per event (the events of one append share a
 * commit position) and in `$all` order. Resuming from `{commit: p, prepare: p}` can only redeliver, never
 * skip, and redelivered events at or before the checkpoint are dropped. Checkpoints live in
 * `banli-checkpoint-<id>` streams.
 */
export class KurrentDbEventStore implements EventStore {
  private readonly subscriptions = new Set<KurrentSubscription>();

  constructor(
    private readonly client: KurrentDBClient,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  static connect(url: string, options: { clock?: () => Date } = {}): KurrentDbEventStore {
    return new KurrentDbEventStore(KurrentDBClient.connectionString(url), options.clock);
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    validateAppend(streamId, events, expected);
    const ids = events.map((e) => e.eventId ?? newEventId());
    for (let attempt = 1; ; attempt++) {
      const head = await this.head(streamId);
      const actual: Revision | 'no-stream' = head ? head.revision : 'no-stream';
      const fits =
        expected === 'any' ||
        (expected === 'no-stream' && !head) ||
        (expected === 'stream-exists' && head !== undefined) ||
        (typeof expected === 'number' && head?.revision === expected);
      if (!fits) throw new ConcurrencyError(streamId, expected, actual);

      let previous = head?.hash ?? GENESIS_HASH;
      let revision = head ? head.revision : -1;
      const now = this.clock().toISOString();
      const recordedAt = head && head.recordedAt > now ? head.recordedAt : now;
      const data = events.map((e, i) => {
        revision += 1;
        const occurredAt = new Date(e.occurredAt).toISOString();
        const dataText = canonicalJson(e.data);
        const hash = eventHash(previous, {
          streamId,
          revision,
          eventId: ids[i],
          type: e.type,
          schemaVersion: e.schemaVersion,
          occurredAt,
          recordedAt,
          metadataText: metadataText(e),
          dataText,
        });
        previous = hash;
        const metadata: BanliMetadata = {
          schemaVersion: e.schemaVersion,
          occurredAt,
          recordedAt,
          ...(e.actor === undefined ? {} : { actor: e.actor }),
          ...(e.correlationId === undefined ? {} : { correlationId: e.correlationId, $correlationId: e.correlationId }),
          ...(e.causationId === undefined ? {} : { causationId: e.causationId, $causationId: e.causationId }),
          hash,
        };
        return jsonEvent({ id: ids[i], type: e.type, data: JSON.parse(dataText), metadata: metadata as unknown as Record<string, unknown> });
      });
      try {
        const result = await this.client.appendToStream(streamId, data, { streamState: head ? BigInt(head.revision) : NO_STREAM });
        return { revision: Number(result.nextExpectedRevision), position: Number(result.position?.prepare ?? -1n) };
      } catch (error) {
        if (error instanceof WrongExpectedVersionError) {
          const retryable = (expected === 'any' || expected === 'stream-exists') && attempt < MAX_APPEND_ATTEMPTS;
          if (retryable) continue;
          const current = error.actualState;
          throw new ConcurrencyError(streamId, expected, current === NO_STREAM ? 'no-stream' : Number(current));
        }
        throw new StoreUnavailableError(`KurrentDB append failed: ${(error as Error).message}`, error);
      }
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, { fromRevision: BigInt(options.fromRevision ?? 0), direction: FORWARDS })) {
        if (!resolved.event) continue;
        const stored = toStoredEvent(resolved.event as RecordedLike);
        if (options.recordedBefore !== undefined && stored.recordedAt >= new Date(options.recordedBefore).toISOString()) break;
        events.push(stored);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw new StoreUnavailableError(`KurrentDB read failed: ${(error as Error).message}`, error);
    }
    return events;
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    const from = options.fromPosition ?? 0;
    const limit = options.limit ?? 1000;
    const events: StoredEvent[] = [];
    const read = this.client.readAll({
      fromPosition: from > 0 ? { commit: BigInt(from), prepare: BigInt(from) } : START,
      direction: FORWARDS,
      filter: excludeSystemEvents(),
    });
    for await (const resolved of read) {
      const event = resolved.event as RecordedLike | undefined;
      if (!event || event.streamId.startsWith(CHECKPOINT_PREFIX) || !isBanliEvent(event)) continue;
      const stored = toStoredEvent(event);
      if (stored.position <= from) continue; // KurrentDB reads $all from a position inclusively
      events.push(stored);
      if (events.length >= limit) break;
    }
    return events;
  }

  subscribe(options: SubscribeOptions, handler: EventHandler): Subscription {
    const subscription = new KurrentSubscription(this.client, options, handler, (id) => this.loadCheckpoint(id), (id, p) => this.saveCheckpoint(id, p));
    this.subscriptions.add(subscription);
    void subscription.done.catch(() => undefined).finally(() => this.subscriptions.delete(subscription));
    return subscription;
  }

  /** KurrentDB pushes events one at a time; each is delivered as a batch of one. */
  subscribeBatches(options: SubscribeOptions, handler: BatchHandler): Subscription {
    return this.subscribe(options, (event) => handler([event]));
  }

  async verify(streamId: string): Promise<VerifyResult> {
    const events = await this.readStream(streamId);
    const broken = firstBrokenRevision(
      events.map((e) => ({
        streamId: e.streamId,
        revision: e.revision,
        eventId: e.eventId,
        type: e.type,
        schemaVersion: e.schemaVersion,
        occurredAt: e.occurredAt,
        recordedAt: e.recordedAt,
        metadataText: metadataText(e),
        dataText: canonicalJson(e.data),
        hash: e.hash,
      })),
    );
    return broken === undefined ? { ok: true, checked: events.length } : { ok: false, checked: broken, firstBrokenRevision: broken };
  }

  async headPosition(): Promise<GlobalPosition> {
    for await (const resolved of this.client.readAll({ maxCount: 100, fromPosition: END, direction: BACKWARDS, filter: excludeSystemEvents() })) {
      const event = resolved.event as RecordedLike | undefined;
      if (event && !event.streamId.startsWith(CHECKPOINT_PREFIX) && isBanliEvent(event)) return toStoredEvent(event).position;
    }
    return 0;
  }

  async ping(): Promise<void> {
    for await (const _ of this.client.readAll({ maxCount: 1, fromPosition: END, direction: BACKWARDS })) break;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.client.dispose();
  }

  private async head(streamId: string): Promise<{ revision: Revision; hash: string; recordedAt: string } | undefined> {
    try {
      for await (const resolved of this.client.readStream(streamId, { fromRevision: END, direction: BACKWARDS, maxCount: 1 })) {
        if (!resolved.event) continue;
        const stored = toStoredEvent(resolved.event as RecordedLike);
        return { revision: stored.revision, hash: stored.hash, recordedAt: stored.recordedAt };
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return undefined;
      throw new StoreUnavailableError(`KurrentDB read failed: ${(error as Error).message}`, error);
    }
    return undefined;
  }

  private async loadCheckpoint(subscriptionId: string): Promise<GlobalPosition | undefined> {
    try {
      for await (const resolved of this.client.readStream(CHECKPOINT_PREFIX + subscriptionId, { fromRevision: END, direction: BACKWARDS, maxCount: 1 })) {
        return (resolved.event?.data as { position: number } | undefined)?.position;
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return undefined;
  }

  private async saveCheckpoint(subscriptionId: string, position: GlobalPosition): Promise<void> {
    const stream = CHECKPOINT_PREFIX + subscriptionId;
    await this.client.appendToStream(stream, jsonEvent({ type: 'CheckpointStored', data: { position } }));
    // Only the latest checkpoint matters; let KurrentDB scavenge the rest.
    await this.client.setStreamMetadata(stream, { maxCount: 5 }).catch(() => undefined);
  }
}

class KurrentSubscription implements Subscription {
  readonly caughtUp: Promise<void>;
  readonly done: Promise<void>;
  private markCaughtUp!: () => void;
  private current: GlobalPosition = 0;
  private unsubscribe?: () => Promise<void>;
  private stopped = false;

  constructor(
    private readonly client: KurrentDBClient,
    private readonly options: SubscribeOptions,
    private readonly handler: EventHandler,
    private readonly load: (id: string) => Promise<GlobalPosition | undefined>,
    private readonly save: (id: string, position: GlobalPosition) => Promise<void>,
  ) {
    this.caughtUp = new Promise((resolve) => (this.markCaughtUp = resolve));
    this.done = this.run();
  }

  position(): GlobalPosition {
    return this.current;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.unsubscribe?.();
    await this.done.catch(() => undefined);
  }

  private async run(): Promise<void> {
    const id = this.options.subscriptionId;
    const stored = id === undefined ? undefined : await this.load(id);
    this.current = stored ?? (this.options.from === undefined || this.options.from === 'start' ? 0 : this.options.from);
    const prefixes = this.options.filter?.streamPrefixes;
    const subscription = this.client.subscribeToAll({
      fromPosition: this.current > 0 ? { commit: BigInt(this.current), prepare: BigInt(this.current) } : START,
      // The stream-name filter runs on the server; event types are checked here.
      filter: prefixes && prefixes.length > 0 ? streamNameFilter({ prefixes: [...prefixes] }) : excludeSystemEvents(),
    });
    this.unsubscribe = () => subscription.unsubscribe();
    subscription.on('caughtUp', () => this.markCaughtUp());
    let sinceCheckpoint = 0;
    try {
      for await (const resolved of subscription) {
        if (this.stopped) break;
        const event = resolved.event as RecordedLike | undefined;
        if (!event || event.streamId.startsWith(CHECKPOINT_PREFIX) || !isBanliEvent(event)) continue;
        const stored = toStoredEvent(event);
        if (stored.position <= this.current && this.current > 0) continue;
        if (matchesFilter(stored, this.options.filter)) await this.handler(stored);
        this.current = stored.position;
        if (id !== undefined && ++sinceCheckpoint >= 50) {
          await this.save(id, this.current);
          sinceCheckpoint = 0;
        }
      }
    } finally {
      if (id !== undefined && sinceCheckpoint > 0) await this.save(id, this.current).catch(() => undefined);
      this.markCaughtUp();
    }
  }
}

function isBanliEvent(event: RecordedLike): boolean {
  const metadata = event.metadata as Partial<BanliMetadata> | undefined;
  return typeof metadata?.hash === 'string' && typeof metadata.schemaVersion === 'number';
}

function toStoredEvent(event: RecordedLike): StoredEvent {
  const m = event.metadata as BanliMetadata;
  return {
    streamId: event.streamId,
    revision: Number(event.revision),
    position: Number(event.position?.prepare ?? -1n),
    eventId: event.id,
    type: event.type,
    schemaVersion: m.schemaVersion,
    data: event.data,
    occurredAt: m.occurredAt,
    recordedAt: m.recordedAt,
    ...(m.actor === undefined ? {} : { actor: m.actor }),
    ...(m.correlationId === undefined ? {} : { correlationId: m.correlationId }),
    ...(m.causationId === undefined ? {} : { causationId: m.causationId }),
    hash: m.hash,
  };
}
