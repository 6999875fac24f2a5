/**
 * The event store port. Each item's lifecycle is one stream; every stored event is chained to the
 * one before it in its stream by a SHA-256 hash, so an auditor can prove nobody altered history.
 *
 * Two adapters implement it: SQLite (the embedded default) and KurrentDB (cluster deployments).
 */

/** Revisions count from 0 within a stream, as in KurrentDB. */
export type Revision = number;

/** A position in the store's global order. Gap-free and monotonic in SQLite; KurrentDB's log position there. */
export type GlobalPosition = number;

export type ExpectedRevision = Revision | 'no-stream' | 'stream-exists' | 'any';

export interface EventActor {
  readonly id: string;
  readonly name?: string;
  readonly unit?: string;
  readonly roles?: readonly string[];
  /** How the step reached Banli when not through its API: `import` for a legacy system's steps. */
  readonly via?: string;
}

export interface NewEvent {
  /** A deterministic id makes a retried append idempotent; one is generated when absent. */
  readonly eventId?: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  /** When it happened (may be back-dated by the caller). */
  readonly occurredAt: string;
  readonly actor?: EventActor;
  readonly correlationId?: string;
  readonly causationId?: string;
}

export interface StoredEvent {
  readonly streamId: string;
  readonly revision: Revision;
  readonly position: GlobalPosition;
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly occurredAt: string;
  /** When the store recorded it: never earlier than the stream's previous event. */
  readonly recordedAt: string;
  readonly actor?: EventActor;
  readonly correlationId?: string;
  readonly causationId?: string;
  /** SHA-256 (hex) over the previous event's hash in the stream and this event's canonical form. */
  readonly hash: string;
}

/**
 * What folding an item's state reads of an event: neither its id and hash (the chain is checked by
 * `verify`) nor its actor and correlation. A replay reads only these (bench:replay).
 */
export type FoldableEvent = Pick<StoredEvent, 'streamId' | 'revision' | 'position' | 'type' | 'schemaVersion' | 'data' | 'occurredAt' | 'recordedAt'>;

export interface AppendResult {
  /** The stream's revision after the append (its last event's revision). */
  readonly revision: Revision;
  /** The global position of the last event appended. */
  readonly position: GlobalPosition;
}

export interface ReadStreamOptions {
  readonly fromRevision?: Revision;
  /** Only events recorded strictly before this instant: "what did the system know then". */
  readonly recordedBefore?: string;
}

export interface ReadAllOptions {
  /** Events after this position (exclusive); 0 or absent reads from the beginning. */
  readonly fromPosition?: GlobalPosition;
  readonly limit?: number;
}

export interface SubscriptionFilter {
  /** Only streams whose id starts with one of these prefixes. */
  readonly streamPrefixes?: readonly string[];
  readonly eventTypes?: readonly string[];
}

export interface SubscribeOptions {
  /**
   * Names a durable subscription: its checkpoint is stored after each handled event and the next
   * subscription under the same id resumes after it. Without one, nothing is remembered.
   */
  readonly subscriptionId?: string;
  /** Where to start when there is no stored checkpoint: `start` (default) or after a position. */
  readonly from?: 'start' | GlobalPosition;
  readonly filter?: SubscriptionFilter;
}

export type EventHandler = (event: StoredEvent) => Promise<void> | void;
/** Takes consecutive events at once; the batch is checkpointed only when the handler succeeds. */
export type BatchHandler = (events: StoredEvent[]) => Promise<void> | void;

export interface Subscription {
  /** Resolves when the subscription has delivered everything up to the store's current end once. */
  readonly caughtUp: Promise<void>;
  /**
   * Settles when the subscription ends: resolves after `stop()`, rejects when a handler failed. The
   * failed event is not checkpointed, so the next subscription under the same id gets it again.
   */
  readonly done: Promise<void>;
  /** The position of the last event handled (and checkpointed). */
  position(): GlobalPosition;
  stop(): Promise<void>;
}

export interface VerifyResult {
  readonly ok: boolean;
  readonly checked: number;
  readonly firstBrokenRevision?: Revision;
}

export interface EventStore {
  append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;
  readAll(options?: ReadAllOptions): Promise<StoredEvent[]>;
  subscribe(options: SubscribeOptions, handler: EventHandler): Subscription;
  /** As `subscribe`, delivering what is available in batches (a relay publishes each in one request). */
  subscribeBatches(options: SubscribeOptions, handler: BatchHandler): Subscription;
  /** Recomputes a stream's hash chain and names the first revision that does not match. */
  verify(streamId: string): Promise<VerifyResult>;
  /** The position of the store's last event (0 when empty): how far a replay has to go. */
  headPosition(): Promise<GlobalPosition>;
  /** A cheap liveness probe for health checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The stream was not at the expected revision: someone else appended first. Nothing was written. */
export class ConcurrencyError extends Error {
  readonly code = 'REVISION_MISMATCH';

  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: Revision | 'no-stream',
  ) {
    super(`Stream ${streamId} is at ${actual === 'no-stream' ? 'no stream' : `revision ${actual}`}, expected ${expected}`);
    this.name = 'ConcurrencyError';
  }
}

/** The store could not take the write (locked by another process past the busy timeout, disk full…). Nothing was written. */
export class StoreUnavailableError extends Error {
  readonly code = 'STORE_UNAVAILABLE';

  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}

/** An append that reused an event id with other content, or another invalid write. Nothing was written. */
export class InvalidAppendError extends Error {
  readonly code = 'INVALID_APPEND';

  constructor(message: string) {
    super(message);
    this.name = 'InvalidAppendError';
  }
}

/** A stored event whose data or metadata does not parse (the file was edited by hand, or damaged): named, never a bare SyntaxError. */
export class UnreadableEventError extends Error {
  readonly code = 'UNREADABLE_EVENT';

  constructor(
    readonly position: GlobalPosition,
    readonly streamId: string,
    readonly revision: Revision,
    reason: string,
  ) {
    super(`The event at position ${position} (${streamId} revision ${revision}) cannot be read: ${reason}`);
    this.name = 'UnreadableEventError';
  }
}

export function matchesFilter(event: Pick<StoredEvent, 'streamId' | 'type'>, filter: SubscriptionFilter | undefined): boolean {
  if (!filter) return true;
  if (filter.streamPrefixes && !filter.streamPrefixes.some((prefix) => event.streamId.startsWith(prefix))) return false;
  if (filter.eventTypes && !filter.eventTypes.includes(event.type)) return false;
  return true;
}
