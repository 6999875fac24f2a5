import Database from 'better-sqlite3';
import { EventEmitter } from 'node:events';
import {
  type AppendResult,
  type BatchHandler,
  ConcurrencyError,
  type EventHandler,
  type EventStore,
  type ExpectedRevision,
  type FoldableEvent,
  type GlobalPosition,
  InvalidAppendError,
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
import { SCHEMA, SCHEMA_VERSION } from './sqlite.schema';
import { COLUMNS, FOLDABLE_COLUMNS, type FoldableRow, type Row, toFoldableEvent, toStoredEvent } from './sqlite.rows';
import { SqliteSubscription } from './sqlite.subscription';
import { validateAppend } from '../append-validation';
import { newEventId } from '../event-id';

export interface SqliteEventStoreOptions {
  /** A file path, or `:memory:` for a store private to this connection. */
  readonly file: string;
  /** `FULL` (default) survives power loss; `NORMAL` survives a crash of the process only. */
  readonly synchronous?: 'FULL' | 'NORMAL';
  /** How long a write waits for another process holding the write lock. */
  readonly busyTimeoutMs?: number;
  /** How often an idle subscription looks for appends made by other processes. */
  readonly pollIntervalMs?: number;
  /** Subscription batch size. */
  readonly batchSize?: number;
  readonly clock?: () => Date;
}

interface PreparedEvent {
  eventId: string;
  explicitId: boolean;
  type: string;
  schemaVersion: number;
  dataText: string;
  metadataText: string;
  occurredAt: string;
}

interface PendingAppend {
  streamId: string;
  events: PreparedEvent[];
  expected: ExpectedRevision;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

/**
 * The embedded event store on one SQLite file (better-sqlite3, WAL). Several processes on a host may
 * share the file: writers serialise on SQLite's write lock (BEGIN IMMEDIATE, with a busy timeout), so
 * global positions stay gap-free and monotonic across them.
 *
 * Appends issued concurrently in this process are group-committed: those waiting when the previous
 * write finishes share one transaction and one fsync, each checked against its own expected revision
 * inside its own savepoint, so one append's conflict never undoes another's.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly clock: () => Date;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly appended = new EventEmitter();
  private readonly subscriptions = new Set<SqliteSubscription>();
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private closed = false;

  private readonly stmt: {
    stream: Database.Statement<[string], { revision: number; hash: string; recorded_at: string }>;
    insert: Database.Statement;
    upsertStream: Database.Statement;
    byEventId: Database.Statement<[string], { stream_id: string; revision: number; position: number }>;
    readStream: Database.Statement<[string, number], Row>;
    readStreamBefore: Database.Statement<[string, number, string], Row>;
    readAll: Database.Statement<[number, number], Row>;
    checkpoint: Database.Statement<[string], { position: number }>;
    saveCheckpoint: Database.Statement;
  };
  private readonly writeOne: (pending: PendingAppend, recordedAt: string) => AppendResult;
  private readonly writeBatch: (batch: PendingAppend[], recordedAt: string) => ({ ok: AppendResult } | { error: unknown })[];

  /** The database file (`:memory:` for a private one). */
  readonly file: string;
  private readonly synchronous: 'FULL' | 'NORMAL';

  constructor(options: SqliteEventStoreOptions) {
    this.file = options.file;
    this.clock = options.clock ?? (() => new Date());
    this.pollIntervalMs = options.pollIntervalMs ?? 20;
    this.batchSize = options.batchSize ?? 500;
    this.db = new Database(options.file, { timeout: options.busyTimeoutMs ?? 5000 });
    this.db.pragma('journal_mode = WAL');
    this.synchronous = options.synchronous ?? 'FULL';
    this.db.pragma(`synchronous = ${this.synchronous}`);
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    this.db.exec(SCHEMA);
    if ((this.db.pragma('user_version', { simple: true }) as number) < SCHEMA_VERSION) this.db.pragma(`user_version = ${SCHEMA_VERSION}`);

    this.stmt = {
      stream: this.db.prepare('SELECT revision, hash, recorded_at FROM streams WHERE stream_id = ?'),
      insert: this.db.prepare(
        'INSERT INTO events (stream_id, revision, event_id, type, schema_version, data, metadata, occurred_at, recorded_at, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      upsertStream: this.db.prepare(
        'INSERT INTO streams (stream_id, revision, hash, recorded_at) VALUES (?, ?, ?, ?) ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision, hash = excluded.hash, recorded_at = excluded.recorded_at',
      ),
      byEventId: this.db.prepare('SELECT stream_id, revision, position FROM events WHERE event_id = ?'),
      readStream: this.db.prepare<[string, number], Row>(`SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision`).raw(true),
      readStreamBefore: this.db
        .prepare<[string, number, string], Row>(`SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? AND recorded_at < ? ORDER BY revision`)
        .raw(true),
      readAll: this.db.prepare<[number, number], Row>(`SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`).raw(true),
      checkpoint: this.db.prepare('SELECT position FROM checkpoints WHERE subscription_id = ?'),
      saveCheckpoint: this.db.prepare(
        'INSERT INTO checkpoints (subscription_id, position) VALUES (?, ?) ON CONFLICT (subscription_id) DO UPDATE SET position = excluded.position',
      ),
    };
    // A transaction function called inside another runs in a savepoint: its failure undoes only itself.
    this.writeOne = this.db.transaction((pending: PendingAppend, recordedAt: string) => this.write(pending, recordedAt));
    const batch = this.db.transaction((pendings: PendingAppend[], recordedAt: string) =>
      pendings.map((pending) => {
        try {
          return { ok: this.writeOne(pending, recordedAt) };
        } catch (error) {
          return { error };
        }
      }),
    );
    // A lone append needs no savepoint: if it fails, the whole transaction is its own.
    const single = this.db.transaction((pending: PendingAppend, recordedAt: string) => this.write(pending, recordedAt));
    this.writeBatch = (pendings, recordedAt) => {
      if (pendings.length > 1) return batch.immediate(pendings, recordedAt);
      try {
        return [{ ok: single.immediate(pendings[0], recordedAt) }];
      } catch (error) {
        if (error instanceof ConcurrencyError || error instanceof InvalidAppendError) return [{ error }];
        throw error;
      }
    };
  }

  append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('The event store is closed'));
    let prepared: PreparedEvent[];
    try {
      validateAppend(streamId, events, expected);
      prepared = events.map(prepare);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ streamId, events: prepared, expected, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const from = options.fromRevision ?? 0;
    const rows = options.recordedBefore === undefined ? this.stmt.readStream.all(streamId, from) : this.stmt.readStreamBefore.all(streamId, from, new Date(options.recordedBefore).toISOString());
    return rows.map(toStoredEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    return this.readAllSync(options.fromPosition ?? 0, options.limit ?? 1000).map(toStoredEvent);
  }

  subscribe(options: SubscribeOptions, handler: EventHandler): Subscription {
    return this.subscribeBatches(options, handler, true);
  }

  subscribeBatches(options: SubscribeOptions, handler: BatchHandler | EventHandler, perEvent = false): Subscription {
    const stored = options.subscriptionId === undefined ? undefined : this.stmt.checkpoint.get(options.subscriptionId)?.position;
    const start = stored ?? (options.from === undefined || options.from === 'start' ? 0 : options.from);
    const subscription = new SqliteSubscription(this, options, perEvent ? { each: handler as EventHandler } : { batch: handler as BatchHandler }, start);
    this.subscriptions.add(subscription);
    void subscription.done.catch(() => undefined).finally(() => this.subscriptions.delete(subscription));
    return subscription;
  }

  async verify(streamId: string): Promise<VerifyResult> {
    const rows = this.stmt.readStream.all(streamId, 0);
    const head = this.stmt.stream.get(streamId);
    const broken = firstBrokenRevision(
      rows.map(([, streamId, revision, eventId, type, schemaVersion, dataText, metadataText, occurredAt, recordedAt, hash]) => ({
        streamId,
        revision,
        eventId,
        type,
        schemaVersion,
        occurredAt,
        recordedAt,
        metadataText,
        dataText,
        hash,
      })),
    );
    if (broken !== undefined) return { ok: false, checked: broken, firstBrokenRevision: broken };
    // A tail cut off the stream leaves a valid chain: the stream head still remembers how far it went.
    if (head && (head.revision !== rows.length - 1 || head.hash !== rows[rows.length - 1]?.[10])) {
      return { ok: false, checked: rows.length, firstBrokenRevision: rows.length };
    }
    return { ok: true, checked: rows.length };
  }

  async headPosition(): Promise<GlobalPosition> {
    return (this.db.prepare('SELECT coalesce(max(position), 0) AS head FROM events').get() as { head: number }).head;
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    while (this.queue.length > 0) this.flush();
    this.closed = true;
    this.db.close();
  }

  /* ---------- used by subscriptions ---------- */

  /**
   * SQLite only, for rebuilding projections on several threads: the streams cut into `parts` ranges of
   * ids (fewer when there are fewer streams) holding about as many streams each.
   */
  streamRanges(parts: number): { from: string; to?: string }[] {
    const count = (this.db.prepare('SELECT count(*) AS n FROM streams').get() as { n: number }).n;
    const at = this.db.prepare<[number], { stream_id: string }>('SELECT stream_id FROM streams ORDER BY stream_id LIMIT 1 OFFSET ?');
    const ranges = Math.max(1, Math.min(parts, count));
    const starts = Array.from({ length: ranges }, (_, i) => at.get(Math.floor((i * count) / ranges))?.stream_id ?? '');
    return starts.map((from, i) => ({ from: i === 0 ? '' : from, ...(i + 1 < starts.length ? { to: starts[i + 1] } : {}) }));
  }

  /**
   * SQLite only, for rebuilding projections on several threads: the events of the streams whose ids lie
   * in [from, to), up to a global position, stream by stream in revision order; `limit` at a time, each
   * page after the last event of the one before. Only what a fold reads of them is read and parsed.
   */
  readStreamRange(range: { from: string; to?: string; upTo: GlobalPosition }, after: Pick<StoredEvent, 'streamId' | 'revision'> | undefined, limit: number): FoldableEvent[] {
    this.rangeStatement ??= this.db
      .prepare<[string, number, string, number, number], FoldableRow>(
        `SELECT ${FOLDABLE_COLUMNS} FROM events WHERE (stream_id, revision) > (?, ?) AND stream_id < ? AND position <= ? ORDER BY stream_id, revision LIMIT ?`,
      )
      .raw(true);
    return this.rangeStatement.all(after?.streamId ?? range.from, after?.revision ?? -1, range.to ?? '\u{10FFFF}', range.upTo, limit).map(toFoldableEvent);
  }

  private rangeStatement?: Database.Statement<[string, number, string, number, number], FoldableRow>;

  /** @internal */
  readAllSync(fromPosition: GlobalPosition, limit: number): Row[] {
    return this.stmt.readAll.all(fromPosition, limit);
  }

  /**
   * @internal A checkpoint is committed without a flush of its own (4 ms each here, a few every second
   * under load): the next append's flush carries it. One lost to a power cut redelivers a little again,
   * as delivery at least once allows; the events it counts were flushed when they were appended.
   */
  saveCheckpoint(subscriptionId: string, position: GlobalPosition): void {
    const flushed = this.synchronous === 'FULL';
    if (flushed) this.db.pragma('synchronous = NORMAL');
    try {
      this.stmt.saveCheckpoint.run(subscriptionId, position);
    } finally {
      if (flushed) this.db.pragma('synchronous = FULL');
    }
  }

  /** @internal Resolves on the next local append or after the poll interval, whichever comes first. */
  waitForAppends(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.appended.off('appended', done);
        resolve();
      };
      const timer = setTimeout(done, this.pollIntervalMs);
      this.appended.once('appended', done);
    });
  }

  /** @internal */
  get subscriptionBatchSize(): number {
    return this.batchSize;
  }

  /* ---------- writing ---------- */

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    let outcomes: ({ ok: AppendResult } | { error: unknown })[];
    try {
      outcomes = this.writeBatch(batch, this.clock().toISOString());
    } catch (error) {
      const failure = new StoreUnavailableError(`The event store could not commit: ${(error as Error).message}`, error);
      for (const pending of batch) pending.reject(failure);
      return;
    }
    outcomes.forEach((outcome, i) => ('ok' in outcome ? batch[i].resolve(outcome.ok) : batch[i].reject(outcome.error)));
    this.appended.emit('appended');
  }

  private write(pending: PendingAppend, now: string): AppendResult {
    const { streamId, events, expected } = pending;
    const head = this.stmt.stream.get(streamId);
    const actual: Revision | 'no-stream' = head ? head.revision : 'no-stream';
    const fits =
      expected === 'any' ||
      (expected === 'no-stream' && !head) ||
      (expected === 'stream-exists' && head !== undefined) ||
      (typeof expected === 'number' && head !== undefined && head.revision === expected);
    if (!fits) {
      const repeated = this.alreadyAppended(pending);
      if (repeated) return repeated;
      throw new ConcurrencyError(streamId, expected, actual);
    }
    let previous = head?.hash ?? GENESIS_HASH;
    let revision = head ? head.revision : -1;
    // recordedAt never goes backwards within a stream, so "as of" reads cut a stream cleanly.
    const recordedAt = head && head.recorded_at > now ? head.recorded_at : now;
    let position = 0;
    for (const [index, e] of events.entries()) {
      revision += 1;
      const hash = eventHash(previous, { streamId, revision, recordedAt, ...e });
      try {
        position = Number(this.stmt.insert.run(streamId, revision, e.eventId, e.type, e.schemaVersion, e.dataText, e.metadataText, e.occurredAt, recordedAt, hash).lastInsertRowid);
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' && String((error as Error).message).includes('event_id')) {
          // Only on the first event has this append written nothing yet, so only then can it be a retry.
          const repeated = index === 0 ? this.alreadyAppended(pending) : undefined;
          if (repeated) return repeated;
          throw new InvalidAppendError(`Event id ${e.eventId} is already used by another event`);
        }
        throw error;
      }
      previous = hash;
    }
    this.stmt.upsertStream.run(streamId, revision, previous, recordedAt);
    return { revision, position };
  }

  /** A retried append whose events (with their own ids) are already in the stream, in order: it succeeded before. */
  private alreadyAppended(pending: PendingAppend): AppendResult | undefined {
    if (!pending.events.every((e) => e.explicitId)) return undefined;
    let last: { stream_id: string; revision: number; position: number } | undefined;
    for (const e of pending.events) {
      const found = this.stmt.byEventId.get(e.eventId);
      if (!found || found.stream_id !== pending.streamId || (last && found.revision !== last.revision + 1)) return undefined;
      last = found;
    }
    return last && { revision: last.revision, position: last.position };
  }
}

function prepare(event: NewEvent): PreparedEvent {
  return {
    eventId: event.eventId ?? newEventId(),
    explicitId: event.eventId !== undefined,
    type: event.type,
    schemaVersion: event.schemaVersion,
    dataText: canonicalJson(event.data),
    metadataText: metadataText(event),
    occurredAt: new Date(event.occurredAt).toISOString(),
  };
}
