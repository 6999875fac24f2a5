import { event, proposalStreamId } from '@banli/domain';
import { SqliteEventStore } from '@banli/event-store';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assigned, ITEM } from '../../../domain/src/testing/lifecycle.fixture';
import { ITEMS_PROJECTION } from '../../../assignment/src/sqlite/items.projection';
import { FIGURES_PROJECTION } from '../../../feedback/src/sqlite/figures.projection';
import { DEADLINES_PROJECTION } from '../../../supervision/src/sqlite/deadlines.projection';
import { replayReadModel } from './read-model.replay';
import { ProposalReadModel } from './read-model.sqlite';

/** The standalone service's projections: every feature's rows. */
const projections = [ITEMS_PROJECTION, DEADLINES_PROJECTION, FIGURES_PROJECTION];

/** A real assigned item's events under another id, as a clerk's commands would have appended them. */
const itemEvents = (proposalId: string) => assigned().toAppend(proposalId);

describe('replayReadModel on the embedded store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'banli-replay-'));
  const storeFile = join(dir, 'events.db');
  const readFile = join(dir, 'read.db');
  let store: SqliteEventStore;
  const ids = ['cq-2025-0101', 'cq-2025-0102', 'cq-2025-0103', ITEM.proposalId];

  beforeAll(async () => {
    store = new SqliteEventStore({ file: storeFile });
    for (const id of ids) await store.append(proposalStreamId(id), itemEvents(id), 'no-stream');
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The read model every event applied live, in the store's order. */
  async function followedLive() {
    const file = join(dir, `live-${Date.now()}.db`);
    const live = new ProposalReadModel(file, { projections });
    live.apply(await store.readAll({ fromPosition: 0, limit: 10_000 }));
    const rows = live.snapshot();
    live.close();
    return rows;
  }

  it('on two threads, rebuilds rows equal to a read model that followed every event live', async () => {
    const result = await replayReadModel({ store, readFile, projections, shards: 2 });
    expect(result).toEqual({ events: ids.length * itemEvents(ITEM.proposalId).length, shards: 2 });
    const replayed = new ProposalReadModel(readFile, { projections });
    expect(replayed.snapshot()).toEqual(await followedLive());
    expect(replayed.position()).toBe(await store.headPosition());
    replayed.close();
  });

  it('refuses a stream it cannot fold, on every thread, and leaves the read model as it was', async () => {
    await replayReadModel({ store, readFile, projections, shards: 2 });
    const before = new ProposalReadModel(readFile, { projections });
    const rows = before.snapshot();
    before.close();
    // A deadline nobody set: the stream is corrupt, and neither a thread nor the rerun here can fold it.
    const corrupt = event('DeadlineMet', { deadlineId: 'reply:nobody:1', metAt: '2025-04-01T02:00:00.000Z', onTime: true });
    await store.append(proposalStreamId('cq-2025-0102'), [{ type: corrupt.type, schemaVersion: corrupt.schemaVersion, data: corrupt.data, occurredAt: '2025-04-01T02:00:00.000Z' }], 'any');

    const threadsFailed: unknown[] = [];
    await expect(replayReadModel({ store, readFile, projections, shards: 2, onThreadsFailed: (error) => threadsFailed.push(error) })).rejects.toThrow('no deadline reply:nobody:1');
    // The threads' failure is told before the rerun here, which fails the same way.
    expect(threadsFailed).toEqual([expect.objectContaining({ message: expect.stringContaining('no deadline reply:nobody:1') })]);

    expect(existsSync(`${readFile}.replay`)).toBe(false);
    const after = new ProposalReadModel(readFile, { projections });
    expect(after.snapshot()).toEqual(rows);
    after.close();
  });
});
