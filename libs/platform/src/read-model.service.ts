import { proposalIdOf } from '@banli/domain';
import { type EventStore, SqliteEventStore, type StoredEvent } from '@banli/event-store';
import { checkedAgainstStore, forgedPersonalData, type MessageBus, TOPICS } from '@banli/messaging';
import { type ItemProjection, MissingEventsError, ProposalReadModel, type ReplayResult, replayReadModel } from '@banli/read-model';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { type BanliConfig, readDatabaseFile } from './banli.config';
import { Metrics } from './observability';
import { BANLI_CONFIG, EVENT_STORE, MESSAGE_BUS, READ_PROJECTIONS } from './tokens';

/**
 * A read model found empty at start (new, or emptied as another version's) over a store of at least this
 * many events is rebuilt by the replay the command-line tool runs, on one thread per core, rather than
 * caught up event by event; below it, starting the threads would take about as long as catching up.
 */
const REBUILD_AT_START_FROM = 10_000;

/**
 * Keeps the read model current from the bus, with or without a broker: each item's events are applied
 * in revision order, repeats skipped, gaps filled from the store. On start it catches up from the store,
 * or rebuilds it whole when it starts empty over a large store.
 */
@Injectable()
export class ReadModelService implements OnModuleInit {
  /**
   * The read model; a rebuild replaces it with the one it built. It keeps folded states in memory only:
   * writing each item's state at every step was a tenth of the time of a command (bench:api).
   */
  model: ProposalReadModel;
  /** What the rebuild at start did, if one was needed. */
  rebuiltAtStart?: ReplayResult;
  private readonly file: string;
  private unsubscribe?: () => Promise<void>;
  private readonly service: string;
  private chain: Promise<void> = Promise.resolve();
  private readonly pending: StoredEvent[] = [];
  private readonly waiters = new Map<string, { revision: number; resolve: () => void }[]>();
  private readonly notify = (proposalId: string, revision: number) => {
    const waiting = this.waiters.get(proposalId);
    if (!waiting) return;
    const still = waiting.filter((w) => (w.revision <= revision ? (w.resolve(), false) : true));
    if (still.length === 0) this.waiters.delete(proposalId);
    else this.waiters.set(proposalId, still);
  };
  private highestSeen = 0;
  /** Whether messages are checked against the store: on a bus that others can write to. */
  private readonly checkAgainstStore: boolean;
  private readonly logger = new Logger('ReadModel');
  private readonly lag: Gauge;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(BANLI_CONFIG) config: BanliConfig,
    @Inject(READ_PROJECTIONS) private readonly projections: readonly ItemProjection[],
    private readonly metrics: Metrics,
  ) {
    this.file = readDatabaseFile(config);
    this.checkAgainstStore = config.bus === 'kafka';
    this.model = new ProposalReadModel(this.file, { keepStates: false, projections });
    this.service = config.service;
    this.lag = new Gauge({ name: 'banli_projection_lag_events', help: 'Events published but not yet in the read model', registers: [metrics.registry] });
  }

  async onModuleInit(): Promise<void> {
    if (await this.startsEmptyOverLargeStore()) {
      const started = Date.now();
      this.rebuiltAtStart = await this.rebuild();
      new Logger('ReadModel').log({ msg: 'read model rebuilt from the store', ...this.rebuiltAtStart, seconds: (Date.now() - started) / 1000 });
    }
    await this.catchUp();
    this.unsubscribe = await this.bus.subscribe(TOPICS.proposalEvents, `banli-${this.service}-read-model`, (message) => {
      const forged = forgedPersonalData(message);
      if (forged !== undefined) {
        // A sealed value outside its field is what a forged message carries: the bus's copy is never
        // applied; the item is read from the store instead, which holds what was really recorded.
        this.metrics.refusedMessages.inc({ consumer: 'read-model', reason: 'personal-data-out-of-place' });
        this.logger.warn({ msg: 'refused a bus message carrying personal data out of place; reading the item from the store', eventId: message.eventId, streamId: message.streamId, type: message.type, field: forged });
        if (proposalIdOf(message.streamId) !== undefined) this.chain = this.chain.then(() => this.fill(new MissingEventsError(message.streamId, 0))).catch(() => undefined);
        return;
      }
      this.highestSeen = Math.max(this.highestSeen, message.position);
      this.pending.push(message);
      // Messages arriving together are applied in one transaction, the way appends are group-committed.
      if (this.pending.length === 1) this.chain = this.chain.then(() => new Promise<void>((resolve) => setImmediate(resolve))).then(() => this.drain());
    });
  }

  /** Only the embedded store is replayed on threads; any other is caught up just as a replay would. */
  private async startsEmptyOverLargeStore(): Promise<boolean> {
    return this.store instanceof SqliteEventStore && this.model.position() === 0 && (await this.store.headPosition()) >= REBUILD_AT_START_FROM;
  }

  /**
   * Applies what arrived together in one transaction. From a bus others can write to (Kafka), what is
   * applied is the store's own copy of each event, and a message the store does not hold is refused.
   */
  private async drain(): Promise<void> {
    let batch = this.pending.splice(0).sort((a, b) => a.position - b.position);
    if (this.checkAgainstStore) {
      const checked = await checkedAgainstStore(this.store, batch);
      for (const m of checked.refused) {
        this.metrics.refusedMessages.inc({ consumer: 'read-model', reason: 'not-in-store' });
        this.logger.warn({ msg: 'refused a bus message the store does not hold', eventId: m.eventId, streamId: m.streamId, revision: m.revision });
      }
      batch = checked.events;
    }
    await this.applyFilled(batch);
    this.lag.set(Math.max(0, this.highestSeen - this.model.position()));
  }

  /**
   * Applies a batch, repeats skipped by the model. An item whose events arrived with a gap (a message lost
   * before this process subscribed, partitions interleaving), or whose folded state is not kept (a
   * replayed read model), has its missing events read from the store first.
   */
  private async applyFilled(batch: StoredEvent[]): Promise<void> {
    for (const gap of this.model.gaps(batch)) await this.fill(gap);
    for (let attempt = 0; ; attempt++) {
      try {
        this.model.apply(batch, this.notify);
        return;
      } catch (error) {
        if (!(error instanceof MissingEventsError) || attempt >= 100) throw error;
        await this.fill(error);
      }
    }
  }

  private async fill(gap: MissingEventsError): Promise<void> {
    this.model.fill(await this.store.readStream(gap.streamId, { fromRevision: gap.fromRevision }), this.notify);
  }

  /** Reads the store from the checkpoint to its end. */
  async catchUp(): Promise<void> {
    for (;;) {
      const batch = await this.store.readAll({ fromPosition: this.model.position(), limit: 1000 });
      if (batch.length === 0) return;
      await this.applyFilled(batch);
    }
  }

  /**
   * Resolves true once this read model holds `revision` of the item (read-your-writes for a client that
   * just sent a command), or false after `timeoutMs`.
   */
  waitForRevision(proposalId: string, revision: number, timeoutMs: number): Promise<boolean> {
    if (this.model.revisionOf(proposalId) >= revision) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const waiting = this.waiters.get(proposalId)?.filter((w) => w !== entry) ?? [];
        if (waiting.length === 0) this.waiters.delete(proposalId);
        else this.waiters.set(proposalId, waiting);
        resolve(false);
      }, timeoutMs);
      const entry = {
        revision,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      this.waiters.set(proposalId, [...(this.waiters.get(proposalId) ?? []), entry]);
    });
  }

  /**
   * Rebuilds the read model from position zero as `npm run banli -- replay` does (on the embedded store,
   * on one thread per core, into a new file that replaces it), then catches up with what came since.
   * Queries are answered from the old rows until the new file replaces them; batches arriving meanwhile
   * wait their turn.
   */
  async rebuild(): Promise<ReplayResult> {
    const replacing = {
      close: () => this.model.close(),
      reopen: () => {
        this.model = new ProposalReadModel(this.file, { keepStates: false, projections: this.projections });
      },
    };
    const replayed = this.chain.then(() => replayReadModel({ store: this.store, readFile: this.file, projections: this.projections, replacing, onThreadsFailed: (error) => this.logger.warn({ msg: 'replay threads failed; replaying on the main thread', error: (error as Error)?.message ?? String(error) }) }));
    this.chain = replayed.then(
      () => undefined,
      () => undefined,
    );
    const result = await replayed;
    await this.catchUp();
    return result;
  }

  /** Resolves once the read model holds every item's events the store holds (other streams, such as erasures, are not its). */
  async settled(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const behind = async () => (await this.store.readAll({ fromPosition: this.model.position(), limit: 1000 })).some((e) => proposalIdOf(e.streamId) !== undefined);
    while (await behind()) {
      if (Date.now() > deadline) throw new Error('The read model did not catch up in time');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await this.chain;
  }

  /** Stops the read model; called before the store closes. */
  async shutdown(): Promise<void> {
    await this.unsubscribe?.();
    await this.chain.catch(() => undefined);
    this.model.close();
  }
}
