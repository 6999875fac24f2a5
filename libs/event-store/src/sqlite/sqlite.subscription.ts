import { type BatchHandler, type EventHandler, type GlobalPosition, matchesFilter, type SubscribeOptions, type Subscription } from '../event-store.port';
import { POSITION, type Row, STREAM, toStoredEvent, TYPE } from './sqlite.rows';

/** What a subscription reads from: the store's synchronous reads, its wake-ups and its checkpoints. */
export interface SubscriptionSource {
  readonly subscriptionBatchSize: number;
  readAllSync(fromPosition: GlobalPosition, limit: number): Row[];
  waitForAppends(): Promise<void>;
  saveCheckpoint(subscriptionId: string, position: GlobalPosition): void;
}

/** A catch-up subscription on the embedded store: reads from its position, then waits for appends, checkpointing as it goes. */
export class SqliteSubscription implements Subscription {
  readonly caughtUp: Promise<void>;
  readonly done: Promise<void>;
  private markCaughtUp!: () => void;
  private stopped = false;
  private current: GlobalPosition;
  private saved: GlobalPosition;
  private savedAt = 0;

  constructor(
    private readonly store: SubscriptionSource,
    private readonly options: SubscribeOptions,
    private readonly handler: { each: EventHandler } | { batch: BatchHandler },
    start: GlobalPosition,
  ) {
    this.current = start;
    this.saved = start;
    this.caughtUp = new Promise((resolve) => (this.markCaughtUp = resolve));
    this.done = this.run();
  }

  position(): GlobalPosition {
    return this.current;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done.catch(() => undefined);
  }

  private async run(): Promise<void> {
    try {
      while (!this.stopped) {
        const rows = this.store.readAllSync(this.current, this.store.subscriptionBatchSize);
        if (rows.length === 0) {
          this.checkpoint(true);
          this.markCaughtUp();
          await this.store.waitForAppends();
          continue;
        }
        if ('batch' in this.handler) {
          const events = rows.filter((row) => matchesFilter({ streamId: row[STREAM], type: row[TYPE] }, this.options.filter)).map(toStoredEvent);
          if (events.length > 0) await this.handler.batch(events);
          this.current = rows[rows.length - 1][POSITION];
        } else {
          for (const row of rows) {
            if (this.stopped) break;
            if (matchesFilter({ streamId: row[STREAM], type: row[TYPE] }, this.options.filter)) await this.handler.each(toStoredEvent(row));
            this.current = row[POSITION];
          }
        }
        this.checkpoint(false);
      }
    } finally {
      // Checkpoint what was handled, even when a handler failed: the failed event is delivered again.
      this.checkpoint(true);
    }
  }

  /**
   * Under load a checkpoint is written at most every 250 ms (each write is an fsync); when idle or
   * stopping, at once. Delivery stays at least once: a crash redelivers at most that window.
   */
  private checkpoint(now: boolean): void {
    if (this.options.subscriptionId === undefined || this.current === this.saved) return;
    if (!now && Date.now() - this.savedAt < 250) return;
    this.store.saveCheckpoint(this.options.subscriptionId, this.current);
    this.saved = this.current;
    this.savedAt = Date.now();
  }
}
