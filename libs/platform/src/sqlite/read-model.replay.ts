import { type EventStore, SqliteEventStore } from '@banli/event-store';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ProposalReadModel, READ_MODEL_TABLES } from './read-model.sqlite';

export interface ReplayOptions {
  /** The store to replay; an SQLite store can be replayed on several threads. */
  readonly store: EventStore;
  readonly readFile: string;
  /**
   * Threads for an SQLite store; 1 replays on this thread. By default one per core beyond two, at most
   * four: on a two-core machine two threads measured no faster than one (bench:replay).
   */
  readonly shards?: number;
  readonly onProgress?: (events: number) => void;
}

export interface ReplayResult {
  readonly events: number;
  readonly shards: number;
}

/**
 * Rebuilds the read model from position zero. On an SQLite store the items are split into shards (a
 * stream always in the same one), each replayed on its own thread into its own file, and the shards are
 * then gathered into the read model in one transaction: every item is folded exactly as a live update
 * would fold it, only several at a time. Should a thread fail, it replays on this thread instead.
 */
export async function replayReadModel(options: ReplayOptions): Promise<ReplayResult> {
  const shards = options.shards ?? Math.min(4, Math.max(1, availableParallelism() - 1));
  if (options.store instanceof SqliteEventStore && shards > 1) {
    const parallel = await replayInShards(options.store, options.readFile, shards, options.onProgress).catch(() => undefined);
    if (parallel) return parallel;
  }
  return replayHere(options.store, options.readFile, options.onProgress);
}

async function replayHere(store: EventStore, readFile: string, onProgress?: (events: number) => void): Promise<ReplayResult> {
  const model = new ProposalReadModel(readFile);
  let events = 0;
  try {
    model.reset();
    for (let from = 0; ; ) {
      const page = await store.readAll({ fromPosition: from, limit: 5_000 });
      if (page.length === 0) break;
      model.apply(page);
      events += page.length;
      from = page[page.length - 1].position;
      onProgress?.(events);
    }
  } finally {
    model.close();
  }
  return { events, shards: 1 };
}

/** The compiled worker, or, running from TypeScript source (tests, benchmarks), the source through tsx. */
function startWorker(workerData: object): Worker {
  const file = join(__dirname, `read-model.replay.worker${extname(__filename)}`);
  if (extname(__filename) === '.js') return new Worker(file, { workerData });
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(file)});`, { eval: true, workerData });
}

async function replayInShards(store: SqliteEventStore, readFile: string, of: number, onProgress?: (events: number) => void): Promise<ReplayResult> {
  const dir = mkdtempSync(join(tmpdir(), 'banli-replay-'));
  try {
    const seen = new Array<number>(of).fill(0);
    const results = await Promise.all(
      Array.from({ length: of }, (_, shard) => {
        const worker = startWorker({ eventsFile: store.file, outFile: join(dir, `shard-${shard}.db`), shard, of });
        return new Promise<{ events: number; position: number }>((resolve, reject) => {
          worker.on('message', (m: { progress?: number; done?: { events: number; position: number } }) => {
            if (m.progress !== undefined) {
              seen[shard] = m.progress;
              onProgress?.(seen.reduce((a, b) => a + b, 0));
            }
            if (m.done) resolve(m.done);
          });
          worker.on('error', reject);
          worker.on('exit', (code) => (code === 0 ? undefined : reject(new Error(`replay shard ${shard} stopped with ${code}`))));
        });
      }),
    );
    // Gather the shards into the read model in one transaction, and set its checkpoint to the store's end.
    new ProposalReadModel(readFile).close(); // creates or upgrades its tables
    const db = new Database(readFile, { timeout: 5000 });
    try {
      results.forEach((_, shard) => db.prepare('ATTACH DATABASE ? AS ?').run(join(dir, `shard-${shard}.db`), `s${shard}`));
      db.transaction(() => {
        for (const table of READ_MODEL_TABLES) db.exec(`DELETE FROM main.${table}`);
        for (let shard = 0; shard < of; shard++) {
          for (const table of READ_MODEL_TABLES) if (table !== 'rm_checkpoint') db.exec(`INSERT INTO main.${table} SELECT * FROM s${shard}.${table}`);
        }
        db.prepare("INSERT INTO rm_checkpoint (name, position) VALUES ('proposals', ?)").run(Math.max(0, ...results.map((r) => r.position)));
      })();
      results.forEach((_, shard) => db.exec(`DETACH DATABASE s${shard}`));
    } finally {
      db.close();
    }
    return { events: results.reduce((n, r) => n + r.events, 0), shards: of };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
