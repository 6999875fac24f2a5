import { type EventStore, type FoldableEvent, SqliteEventStore } from '@banli/event-store';
import Database from 'better-sqlite3';
import { closeSync, existsSync, fsyncSync, mkdtempSync, openSync, renameSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ItemProjection } from './item-projection';
import { ProposalReadModel, readModelTables } from './read-model.sqlite';

export interface ReplayOptions {
  /** The store to replay; an SQLite store is replayed stream by stream, on one thread or several. */
  readonly store: EventStore;
  readonly readFile: string;
  /** What the features keep of each item: every thread loads them from their modules. */
  readonly projections: readonly ItemProjection[];
  /** Threads for an SQLite store; by default one per core, at most four. */
  readonly shards?: number;
  readonly onProgress?: (events: number) => void;
  /** Told why the threads failed before the replay runs again on this thread (to be logged: it is slower). */
  readonly onThreadsFailed?: (error: unknown) => void;
  /**
   * A running service's own connection to the read model: closed just before its file is replaced and
   * opened again just after, in the same turn of the event loop, so it serves the old rows until then.
   */
  readonly replacing?: { readonly close: () => void; readonly reopen: () => void };
}

export interface ReplayResult {
  readonly events: number;
  readonly shards: number;
}

/** The streams whose ids lie in [from, to), up to a global position: what one replay thread folds. */
export interface StreamRange {
  readonly from: string;
  readonly to?: string;
  readonly upTo: number;
}

/**
 * Rebuilds the read model from position zero.
 *
 * On an SQLite store every item is folded whole, stream by stream, up to the store's head when the replay
 * began; the checkpoint is set there, and whatever came after is caught up as usual. The streams are cut
 * into ranges of ids, one per thread, each folded into a file of its own without a journal; the others are
 * then gathered into the first in one transaction, its indexes built, and it replaces the read model's file
 * whole. Until then the read model is untouched: a replay that fails leaves it as it was. Folded states are
 * not kept (`keepStates`): an item's next live event reads its stream. Should a thread fail, the replay
 * runs again on this thread.
 *
 * Any other store is replayed in global order into the read model itself, keeping states.
 */
export async function replayReadModel(options: ReplayOptions): Promise<ReplayResult> {
  const { store, readFile, projections, onProgress, replacing } = options;
  if (!(store instanceof SqliteEventStore)) {
    const result = await replayInOrder(store, readFile, projections, onProgress);
    // Rebuilt in place: the service's connection is opened again, without the states it had cached.
    replacing?.close();
    replacing?.reopen();
    return result;
  }
  const upTo = await store.headPosition();
  const ranges = store.streamRanges(Math.max(1, options.shards ?? Math.min(4, availableParallelism()))).map((range) => ({ ...range, upTo }));
  const building = `${readFile}.replay`;
  const dir = mkdtempSync(join(tmpdir(), 'banli-replay-'));
  let files = ranges.map((_, shard) => (shard === 0 ? building : join(dir, `shard-${shard}.db`)));
  try {
    removeDatabase(building);
    let events = await foldOnThreads(store.file, files, ranges, projections, onProgress).catch((error: unknown) => {
      options.onThreadsFailed?.(error);
      return undefined;
    });
    if (events === undefined) {
      removeDatabase(building);
      files = [building];
      events = foldRangeInto(store, building, { from: '', upTo }, projections, onProgress);
    }
    gather(building, files.slice(1), upTo, projections);
    // The read model's own file, its write-ahead log folded in and removed as its last connection closes,
    // is replaced by the one built.
    replacing?.close();
    try {
      if (existsSync(readFile)) new Database(readFile).close();
      removeDatabase(readFile);
      renameSync(building, readFile);
      syncDirectory(dirname(readFile));
    } finally {
      replacing?.reopen();
    }
    return { events, shards: files.length };
  } finally {
    removeDatabase(building);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Folds the streams of one range into a new read model file, kept without a journal; returns how many events. */
export function foldRangeInto(store: SqliteEventStore, file: string, range: StreamRange, projections: readonly ItemProjection[], onProgress?: (events: number) => void): number {
  const model = new ProposalReadModel(file, { scratch: true, keepStates: false, projections });
  try {
    model.beginReplay();
    let events = 0;
    // 1,000 events at a time: measured faster than larger pages, which keep more garbage alive.
    for (let last: FoldableEvent | undefined; ; ) {
      const page = store.readStreamRange(range, last, 1_000);
      if (page.length === 0) return events;
      // The checkpoint stays at zero until the replay ends: the streams are not folded in global order.
      model.fill(page);
      events += page.length;
      last = page[page.length - 1];
      onProgress?.(events);
    }
  } finally {
    model.close();
  }
}

/**
 * Gathers the shards' rows into the first file in one transaction, builds its indexes and sets its
 * checkpoint. The file is written without a journal, as the shards were, and flushed to disk whole at the
 * end, before it can replace the read model.
 */
function gather(file: string, shards: string[], upTo: number, projections: readonly ItemProjection[]): void {
  const db = new Database(file, { timeout: 5000 });
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    shards.forEach((shard, n) => db.prepare('ATTACH DATABASE ? AS ?').run(shard, `s${n}`));
    db.transaction(() => {
      shards.forEach((_, n) => {
        for (const table of readModelTables(projections)) if (table !== 'rm_checkpoint') db.exec(`INSERT INTO main.${table} SELECT * FROM s${n}.${table}`);
      });
    })();
    shards.forEach((_, n) => db.exec(`DETACH DATABASE s${n}`));
  } finally {
    db.close();
  }
  const model = new ProposalReadModel(file, { scratch: true, projections });
  model.endReplay(upTo);
  model.close();
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes a rename in a directory durable (where the platform lets a directory be flushed). */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot open a directory to flush it; its renames are journaled by NTFS.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function removeDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
}

async function replayInOrder(store: EventStore, readFile: string, projections: readonly ItemProjection[], onProgress?: (events: number) => void): Promise<ReplayResult> {
  const model = new ProposalReadModel(readFile, { projections });
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

/**
 * Folding allocates many short-lived objects: a young generation larger than V8's default keeps them from
 * being copied and promoted. bench:replay measured about a quarter less time with it.
 */
const YOUNG_GENERATION_MB = 256;

/** The compiled worker, or, running from TypeScript source (tests, benchmarks), the source through tsx. */
function startWorker(workerData: object): Worker {
  const file = join(__dirname, `read-model.replay.worker${extname(__filename)}`);
  const options = { workerData, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } };
  if (extname(__filename) === '.js') return new Worker(file, options);
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(file)});`, { ...options, eval: true });
}

/**
 * Folds each range on a thread of its own into its file; resolves with how many events in all. Should one
 * thread fail, the others are stopped before it rejects, so none still writes when the replay runs again.
 */
async function foldOnThreads(eventsFile: string, files: string[], ranges: StreamRange[], projections: readonly ItemProjection[], onProgress?: (events: number) => void): Promise<number> {
  const seen = new Array<number>(ranges.length).fill(0);
  const modules = projections.map(({ module, exportName }) => ({ module, exportName }));
  const workers = ranges.map((range, shard) => startWorker({ eventsFile, outFile: files[shard], range, projections: modules }));
  const finished = workers.map(
    (worker, shard) =>
      new Promise<number>((resolve, reject) => {
        worker.on('message', (m: { progress?: number; done?: number }) => {
          if (m.progress !== undefined) {
            seen[shard] = m.progress;
            onProgress?.(seen.reduce((a, b) => a + b, 0));
          }
          if (m.done !== undefined) resolve(m.done);
        });
        worker.on('error', reject);
        worker.on('exit', (code) => (code === 0 ? undefined : reject(new Error(`replay shard ${shard} stopped with ${code}`))));
      }),
  );
  const counts = await Promise.all(finished).catch(async (error: unknown) => {
    await Promise.all(workers.map((worker) => worker.terminate()));
    throw error;
  });
  return counts.reduce((a, b) => a + b, 0);
}
