import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConcurrencyError, StoreUnavailableError } from '../event-store.port';
import { newEvent } from '../testing/event-store.contract';
import { SqliteEventStore } from './sqlite.event-store';

describe('SqliteEventStore specifics', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'banli-sqlite-'));
    file = join(dir, 'events.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('group-commits appends issued together: one transaction, one clock reading, each checked on its own', async () => {
    let readings = 0;
    const store = new SqliteEventStore({ file, clock: () => (readings++, new Date('2025-03-10T02:00:00.000Z')) });
    await store.append('proposal-seed', [newEvent('Start', {})], 'no-stream');
    readings = 0;
    const results = await Promise.allSettled([
      ...Array.from({ length: 64 }, (_, i) => store.append(`proposal-${i}`, [newEvent('E', { i })], 'no-stream')),
      store.append('proposal-seed', [newEvent('Stale', {})], 'no-stream'), // its own expected revision fails alone
    ]);
    expect(readings).toBe(1);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(64);
    expect((results[64] as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyError);
    expect(await store.readStream('proposal-seed')).toHaveLength(1);
    await store.close();
  });

  it('refuses with StoreUnavailableError when another process holds the write lock past the busy timeout, writing nothing', async () => {
    const store = new SqliteEventStore({ file, busyTimeoutMs: 100 });
    await store.append('proposal-a', [newEvent('E', {})], 'no-stream');
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    await expect(store.append('proposal-a', [newEvent('Blocked', {})], 0)).rejects.toBeInstanceOf(StoreUnavailableError);
    other.exec('ROLLBACK');
    other.close();
    expect((await store.readStream('proposal-a')).map((e) => e.type)).toEqual(['E']);
    await expect(store.append('proposal-a', [newEvent('Later', {})], 0)).resolves.toMatchObject({ revision: 1 });
    await store.close();
  });

  it('reports a stream whose last events were cut off, though what remains still chains', async () => {
    const store = new SqliteEventStore({ file });
    await store.append('proposal-cut', [newEvent('A', {}), newEvent('B', {}), newEvent('C', {})], 'no-stream');
    await store.close();
    const raw = new Database(file);
    raw.prepare("DELETE FROM events WHERE stream_id = 'proposal-cut' AND revision = 2").run();
    raw.close();
    const reopened = new SqliteEventStore({ file });
    expect(await reopened.verify('proposal-cut')).toEqual({ ok: false, checked: 2, firstBrokenRevision: 2 });
    await reopened.close();
  });

  it('cuts its streams into ranges of ids and reads a range stream by stream, up to a position, each event once', async () => {
    const store = new SqliteEventStore({ file });
    const streams = ['proposal-a', 'proposal-b', 'proposal-c', 'units-directory', 'proposal-d'];
    for (let round = 0; round < 3; round++) for (const s of streams) await store.append(s, [newEvent('E', { s, round })], 'any');
    const upTo = (await store.headPosition()) - 2; // the last two appends came after the replay began
    const ranges = store.streamRanges(2);
    expect(ranges).toHaveLength(2);
    expect(ranges[0]).toEqual({ from: '', to: ranges[1].from });
    expect(ranges[1].to).toBeUndefined();
    const read: { streamId: string; revision: number; position: number }[] = [];
    for (const range of ranges) {
      for (let last; ; ) {
        const page = store.readStreamRange({ ...range, upTo }, last, 2);
        if (page.length === 0) break;
        read.push(...page.map(({ streamId, revision, position }) => ({ streamId, revision, position })));
        last = page.at(-1);
      }
    }
    expect(read.every((e) => e.position <= upTo)).toBe(true);
    expect(read.map((e) => e.position).sort((a, b) => a - b)).toEqual(Array.from({ length: upTo }, (_, i) => i + 1));
    const order = read.map((e) => `${e.streamId}@${e.revision}`);
    expect(order).toEqual([...order].sort()); // stream by stream, each in revision order
    expect(store.streamRanges(10)).toHaveLength(streams.length); // never more ranges than streams
    await store.close();
  });

  it('refuses appends once closed', async () => {
    const store = new SqliteEventStore({ file });
    await store.close();
    await expect(store.append('proposal-x', [newEvent('E', {})], 'any')).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
