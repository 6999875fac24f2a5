import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { ConcurrencyError, type EventStore, InvalidAppendError, type NewEvent, type StoredEvent } from '../event-store.port';

export interface ContractHarness {
  /** A prefix for every stream a test writes, so tests never see each other's streams on a shared server. */
  readonly prefix: string;
  /** Opens an instance on this harness's store; a second call is a second process's view of the same data. */
  open(options?: { clock?: () => Date }): Promise<EventStore>;
  /**
   * Changes a stored event behind the adapter's back. `alter` rewrites the bytes of the stored event
   * (SQLite: the database file itself); `forge` appends an event that did not go through the adapter.
   */
  readonly tamperMode: 'alter' | 'forge';
  tamper(streamId: string, revision: number): Promise<void>;
  /** Environment for a child process to open the same store (see append-worker.ts). */
  workerEnv(): Record<string, string>;
  /** Whether global positions are dense (1, 2, 3 …) rather than merely increasing. */
  readonly gapFreePositions: boolean;
  cleanup(): Promise<void>;
}

const WORKER = join(__dirname, 'append-worker.ts');

export function newEvent(type: string, data: unknown, extra: Partial<NewEvent> = {}): NewEvent {
  return { type, schemaVersion: 1, data, occurredAt: '2025-03-10T02:00:00.000Z', ...extra };
}

async function readEverything(store: EventStore, prefix: string): Promise<StoredEvent[]> {
  const all: StoredEvent[] = [];
  for (let from = 0; ; ) {
    const page = await store.readAll({ fromPosition: from, limit: 500 });
    if (page.length === 0) return all.filter((e) => e.streamId.startsWith(prefix));
    all.push(...page);
    from = page[page.length - 1].position;
  }
}

function runWorker(env: Record<string, string>): { child: ChildProcess; started: Promise<void>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const started = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('appending') && resolve());
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before appending: ${stderr}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, started, exited };
}

function expectConsistent(events: StoredEvent[], gapFree: boolean, batch: number): void {
  for (let i = 1; i < events.length; i++) {
    expect(events[i].position).toBeGreaterThan(events[i - 1].position);
    if (gapFree) expect(events[i].position).toBe(events[i - 1].position + 1);
  }
  const byStream = new Map<string, StoredEvent[]>();
  for (const e of events) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e]);
  for (const [, stream] of byStream) {
    expect(stream.map((e) => e.revision)).toEqual(stream.map((_, i) => i));
    expect(stream.length % batch).toBe(0); // every append is all or nothing
  }
}

/** The behaviour every event store adapter must show. */
export function eventStoreContract(makeHarness: () => Promise<ContractHarness>): void {
  let h: ContractHarness;
  let store: EventStore;
  const opened: EventStore[] = [];
  const open = async (options?: { clock?: () => Date }) => {
    const s = await h.open(options);
    opened.push(s);
    return s;
  };

  beforeEach(async () => {
    h = await makeHarness();
    store = await open();
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close().catch(() => undefined)));
    await h.cleanup();
  });

  describe('appending and reading', () => {
    it('keeps each stream in revision order and every event in global order, with all its fields', async () => {
      const a = `${h.prefix}a`;
      const b = `${h.prefix}b`;
      const actor = { id: 'clerk-1', name: '办事员', unit: 'u-office', roles: ['office'] };
      const first = await store.append(a, [newEvent('One', { n: 1, text: '交办' }, { actor, correlationId: 'c-1' }), newEvent('Two', { n: 2 })], 'no-stream');
      await store.append(b, [newEvent('Other', { n: 0 })], 'no-stream');
      const last = await store.append(a, [newEvent('Three', { n: 3 }, { causationId: 'cause-9' })], 1);
      expect(first.revision).toBe(1);
      expect(last.revision).toBe(2);
      expect(last.position).toBeGreaterThan(first.position);

      const stream = await store.readStream(a);
      expect(stream.map((e) => [e.revision, e.type, e.data])).toEqual([
        [0, 'One', { n: 1, text: '交办' }],
        [1, 'Two', { n: 2 }],
        [2, 'Three', { n: 3 }],
      ]);
      expect(stream[0]).toMatchObject({ streamId: a, schemaVersion: 1, occurredAt: '2025-03-10T02:00:00.000Z', actor, correlationId: 'c-1' });
      expect(stream[2].causationId).toBe('cause-9');
      for (const e of stream) {
        expect(e.eventId).toMatch(/^[0-9a-f-]{36}$/);
        expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
        expect(Number.isNaN(Date.parse(e.recordedAt))).toBe(false);
      }
      expect((await store.readStream(a, { fromRevision: 2 })).map((e) => e.type)).toEqual(['Three']);
      expect(await store.readStream(`${h.prefix}missing`)).toEqual([]);

      const all = await readEverything(store, h.prefix);
      expect(all.map((e) => e.type)).toEqual(['One', 'Two', 'Other', 'Three']);
    });

    it('pages through everything with readAll', async () => {
      for (let i = 0; i < 10; i++) await store.append(`${h.prefix}s${i % 3}`, [newEvent('E', { i })], 'any');
      const seen: number[] = [];
      for (let from = 0; ; ) {
        const page = await store.readAll({ fromPosition: from, limit: 4 });
        if (page.length === 0) break;
        expect(page.length).toBeLessThanOrEqual(4);
        seen.push(...page.filter((e) => e.streamId.startsWith(h.prefix)).map((e) => (e.data as { i: number }).i));
        from = page[page.length - 1].position;
      }
      expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    });

    it('knows the position of its last event', async () => {
      const { position } = await store.append(`${h.prefix}head`, [newEvent('E', {})], 'any');
      expect(await store.headPosition()).toBe(position);
      const next = await store.append(`${h.prefix}head`, [newEvent('E', {}), newEvent('F', {})], 0);
      expect(await store.headPosition()).toBe(next.position);
    });

    it('reads a stream as of a recordedAt instant', async () => {
      let now = Date.parse('2025-03-10T02:00:00.000Z');
      const clocked = await open({ clock: () => new Date(now) });
      const s = `${h.prefix}asof`;
      await clocked.append(s, [newEvent('First', {})], 'no-stream');
      now += 60_000;
      await clocked.append(s, [newEvent('Second', {})], 0);
      now += 60_000;
      await clocked.append(s, [newEvent('Third', {})], 1);
      const types = async (before: string) => (await clocked.readStream(s, { recordedBefore: before })).map((e) => e.type);
      expect(await types('2025-03-10T02:00:00.000Z')).toEqual([]);
      expect(await types('2025-03-10T02:01:00.000Z')).toEqual(['First']);
      expect(await types('2025-03-10T02:01:00.001Z')).toEqual(['First', 'Second']);
      expect(await types('2030-01-01T00:00:00.000Z')).toEqual(['First', 'Second', 'Third']);
    });

    it('never records an event earlier than the one before it in its stream, whatever the clock says', async () => {
      let now = Date.parse('2025-03-10T02:00:00.000Z');
      const clocked = await open({ clock: () => new Date(now) });
      const s = `${h.prefix}skew`;
      await clocked.append(s, [newEvent('First', {})], 'no-stream');
      now -= 3_600_000; // the clock steps back an hour
      await clocked.append(s, [newEvent('Second', {})], 0);
      const [first, second] = await clocked.readStream(s);
      expect(second.recordedAt >= first.recordedAt).toBe(true);
    });

    it('refuses malformed appends and writes nothing', async () => {
      const s = `${h.prefix}bad`;
      await expect(store.append(s, [], 'any')).rejects.toBeInstanceOf(InvalidAppendError);
      await expect(store.append(s, [newEvent('', {})], 'any')).rejects.toBeInstanceOf(InvalidAppendError);
      await expect(store.append(s, [newEvent('E', {}, { schemaVersion: 0 })], 'any')).rejects.toBeInstanceOf(InvalidAppendError);
      await expect(store.append(s, [newEvent('E', {}, { occurredAt: 'yesterday' })], 'any')).rejects.toBeInstanceOf(InvalidAppendError);
      await expect(store.append(s, [newEvent('E', {}, { eventId: 'not-a-uuid' })], 'any')).rejects.toBeInstanceOf(InvalidAppendError);
      await expect(store.append(s, [newEvent('E', {})], -1 as never)).rejects.toBeInstanceOf(InvalidAppendError);
      const id = randomUUID();
      await expect(store.append(s, [newEvent('E', {}, { eventId: id }), newEvent('E', {}, { eventId: id })], 'any')).rejects.toBeInstanceOf(InvalidAppendError);
      expect(await store.readStream(s)).toEqual([]);
    });
  });

  describe('optimistic concurrency', () => {
    it('maps every expected revision and reports the actual one', async () => {
      const s = `${h.prefix}c`;
      await expect(store.append(s, [newEvent('E', {})], 'stream-exists')).rejects.toMatchObject({ name: 'ConcurrencyError', actual: 'no-stream' });
      await expect(store.append(s, [newEvent('E', {})], 0)).rejects.toBeInstanceOf(ConcurrencyError);
      await store.append(s, [newEvent('E', {})], 'no-stream');
      await expect(store.append(s, [newEvent('E', {})], 'no-stream')).rejects.toMatchObject({ actual: 0, expected: 'no-stream' });
      await store.append(s, [newEvent('E', {})], 'stream-exists');
      await expect(store.append(s, [newEvent('E', {})], 0)).rejects.toMatchObject({ actual: 1, expected: 0, code: 'REVISION_MISMATCH' });
      await store.append(s, [newEvent('E', {})], 1);
      await store.append(s, [newEvent('E', {})], 'any');
      expect((await store.readStream(s)).length).toBe(4);
    });

    it('two writers racing on one stream: one wins, one gets the concurrency error, nothing half-written', async () => {
      const s = `${h.prefix}race`;
      await store.append(s, [newEvent('Start', {})], 'no-stream');
      const other = await open(); // a second process's connection
      const results = await Promise.allSettled([
        store.append(s, [newEvent('A1', {}), newEvent('A2', {})], 0),
        other.append(s, [newEvent('B1', {}), newEvent('B2', {})], 0),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(failed).toHaveLength(1);
      expect(failed[0].reason).toBeInstanceOf(ConcurrencyError);
      const types = (await store.readStream(s)).map((e) => e.type);
      expect([['Start', 'A1', 'A2'], ['Start', 'B1', 'B2']]).toContainEqual(types);
      expect(await store.verify(s)).toEqual({ ok: true, checked: 3 });
    });

    it('many appends at once with the same expected revision: exactly one wins', async () => {
      const s = `${h.prefix}many`;
      await store.append(s, [newEvent('Start', {})], 'no-stream');
      const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => store.append(s, [newEvent(`W${i}`, {})], 0)));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof ConcurrencyError)).toHaveLength(9);
      expect(await store.readStream(s)).toHaveLength(2);
    });

    it('concurrent appends to different streams all succeed', async () => {
      const results = await Promise.all(Array.from({ length: 64 }, (_, i) => store.append(`${h.prefix}p${i}`, [newEvent('E', { i })], 'no-stream')));
      expect(new Set(results.map((r) => r.position)).size).toBe(64);
    });

    it('a retried append with the same event ids is recognised and not written twice', async () => {
      const s = `${h.prefix}retry`;
      const events = [newEvent('A', {}, { eventId: randomUUID() }), newEvent('B', {}, { eventId: randomUUID() })];
      const first = await store.append(s, events, 'no-stream');
      const again = await store.append(s, events, 'no-stream');
      expect(again.revision).toBe(first.revision);
      expect(await store.readStream(s)).toHaveLength(2);
    });
  });

  describe('catch-up subscriptions', () => {
    it('delivers every event in global order, then live ones, honouring the filter', async () => {
      await store.append(`${h.prefix}x-1`, [newEvent('Kept', { i: 1 }), newEvent('Dropped', { i: 2 })], 'no-stream');
      await store.append(`${h.prefix}y-1`, [newEvent('Kept', { i: 3 })], 'no-stream');
      await store.append(`${h.prefix}x-2`, [newEvent('Kept', { i: 4 })], 'no-stream');
      const seen: number[] = [];
      const subscription = store.subscribe({ filter: { streamPrefixes: [`${h.prefix}x-`], eventTypes: ['Kept'] } }, (e) => {
        seen.push((e.data as { i: number }).i);
      });
      await subscription.caughtUp;
      expect(seen).toEqual([1, 4]);
      await store.append(`${h.prefix}x-1`, [newEvent('Kept', { i: 5 })], 1);
      await waitFor(() => seen.length === 3);
      expect(seen).toEqual([1, 4, 5]);
      await subscription.stop();
    });

    it('resumes after a restart from its stored checkpoint, losing nothing', async () => {
      const s = `${h.prefix}r`;
      const filter = { streamPrefixes: [h.prefix] };
      for (let i = 0; i < 5; i++) await store.append(s, [newEvent('E', { i })], i === 0 ? 'no-stream' : i - 1);
      const before: number[] = [];
      const first = store.subscribe({ subscriptionId: `${h.prefix}projection`, filter }, (e) => void before.push((e.data as { i: number }).i));
      await first.caughtUp;
      await first.stop();
      for (let i = 5; i < 8; i++) await store.append(s, [newEvent('E', { i })], i - 1);
      await store.close(); // the process goes away

      const restarted = await open();
      const after: number[] = [];
      const second = restarted.subscribe({ subscriptionId: `${h.prefix}projection`, filter }, (e) => void after.push((e.data as { i: number }).i));
      await second.caughtUp;
      await waitFor(() => after.includes(7));
      await second.stop();
      expect(before).toEqual([0, 1, 2, 3, 4]);
      // At least once and in order: nothing after the checkpoint is lost; redelivery may only repeat a tail.
      expect(after.slice(after.indexOf(5))).toEqual([5, 6, 7]);
      expect(new Set([...before, ...after])).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7]));
    });

    it('stops on a failing handler without checkpointing past the failed event, which comes again', async () => {
      const s = `${h.prefix}f`;
      for (let i = 0; i < 4; i++) await store.append(s, [newEvent('E', { i })], 'any');
      const filter = { streamPrefixes: [h.prefix] };
      const first = store.subscribe({ subscriptionId: `${h.prefix}fragile`, filter }, (e) => {
        if ((e.data as { i: number }).i === 2) throw new Error('projection failed');
      });
      await expect(first.done).rejects.toThrow('projection failed');
      const again: number[] = [];
      const second = store.subscribe({ subscriptionId: `${h.prefix}fragile`, filter }, (e) => void again.push((e.data as { i: number }).i));
      await second.caughtUp;
      await waitFor(() => again.includes(3));
      await second.stop();
      expect(again.slice(again.indexOf(2))).toEqual([2, 3]);
    });
  });

  describe('batch subscriptions', () => {
    it('deliver every event in order, in batches; a failed batch comes again whole', async () => {
      const s = `${h.prefix}b`;
      for (let i = 0; i < 6; i++) await store.append(s, [newEvent('E', { i })], 'any');
      const filter = { streamPrefixes: [h.prefix] };
      let calls = 0;
      const failing = store.subscribeBatches({ subscriptionId: `${h.prefix}batcher`, filter }, () => {
        calls += 1;
        throw new Error('broker down');
      });
      await expect(failing.done).rejects.toThrow('broker down');
      expect(calls).toBe(1);
      const batches: number[][] = [];
      const ok = store.subscribeBatches({ subscriptionId: `${h.prefix}batcher`, filter }, (events) => void batches.push(events.map((e) => (e.data as { i: number }).i)));
      await ok.caughtUp;
      await waitFor(() => batches.flat().includes(5));
      await ok.stop();
      expect(batches.flat()).toEqual([0, 1, 2, 3, 4, 5]);
      if (h.gapFreePositions) expect(batches.length).toBeLessThan(6); // really batched, where the adapter reads in pages
    });
  });

  describe('the hash chain', () => {
    it('verifies an intact stream and names the first broken revision of a tampered one', async () => {
      const s = `${h.prefix}audit`;
      const other = `${h.prefix}audit-other`;
      for (let i = 0; i < 4; i++) await store.append(s, [newEvent('E', { note: `marker-${i}-AAAA`, amount: 100 })], 'any');
      await store.append(other, [newEvent('E', { note: 'untouched' })], 'any');
      expect(await store.verify(s)).toEqual({ ok: true, checked: 4 });
      await store.close();

      const revision = h.tamperMode === 'alter' ? 1 : 4;
      await h.tamper(s, revision);
      const reopened = await open();
      expect(await reopened.verify(s)).toEqual({ ok: false, checked: revision, firstBrokenRevision: revision });
      expect(await reopened.verify(other)).toEqual({ ok: true, checked: 1 });
    });
  });

  describe('several processes and crashes', () => {
    it('processes appending to one store keep positions monotonic (and gap-free where the adapter promises it)', async () => {
      const env = { ...h.workerEnv(), WORKER_PREFIX: h.prefix, WORKER_APPENDS: '40', WORKER_BATCH: '5' };
      const workers = [runWorker({ ...env, WORKER_ID: '1' }), runWorker({ ...env, WORKER_ID: '2' })];
      expect(await Promise.all(workers.map((w) => w.exited))).toEqual([0, 0]);
      const events = await readEverything(store, h.prefix);
      expect(events).toHaveLength(400);
      expectConsistent(events, h.gapFreePositions, 5);
    }, 60_000);

    it('a writer killed with SIGKILL mid-append leaves the store consistent and writable', async () => {
      const worker = runWorker({ ...h.workerEnv(), WORKER_PREFIX: h.prefix, WORKER_ID: 'k', WORKER_BATCH: '50' });
      await worker.started;
      await new Promise((resolve) => setTimeout(resolve, 300));
      worker.child.kill('SIGKILL');
      expect(await worker.exited).toBeNull();

      const survivor = await open();
      const events = await readEverything(survivor, h.prefix);
      expect(events.length).toBeGreaterThanOrEqual(50);
      expectConsistent(events, h.gapFreePositions, 50);
      const streams = [...new Set(events.map((e) => e.streamId))];
      for (const s of streams) expect((await survivor.verify(s)).ok).toBe(true);
      const last = events.filter((e) => e.streamId === streams[0]).at(-1)!;
      await expect(survivor.append(streams[0], [newEvent('AfterCrash', {})], last.revision)).resolves.toMatchObject({ revision: last.revision + 1 });
    }, 60_000);
  });
}

export async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
