import { proposalStreamId } from '@banli/domain';
import { SqliteEventStore } from '@banli/event-store';
import { ReadModelService } from '@banli/platform';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { assigned, LEAD } from '../../libs/domain/src/testing/lifecycle.fixture';
import { people, StandaloneHarness } from './standalone.harness';

/** 1,200 real assigned items, as a clerk's commands would have appended them: about 11,000 events. */
const ITEMS = 1_200;
const idOf = (n: number) => `cq-2025-${String(n).padStart(4, '0')}`;

describe('a service started with an empty read model over a large store (new, or emptied on an upgrade)', () => {
  const h = new StandaloneHarness();
  let events = 0;
  const bearer = async (t: Promise<string>) => `Bearer ${await t}`;

  beforeAll(async () => {
    const store = new SqliteEventStore({ file: join(h.dataDir, 'events.db') });
    const story = assigned();
    await Promise.all(Array.from({ length: ITEMS }, (_, n) => store.append(proposalStreamId(idOf(n)), story.toAppend(idOf(n)), 'no-stream')));
    events = await store.headPosition();
    await store.close();
  });
  afterAll(() => h.stop());

  it('rebuilds it on one thread per core, as the replay command does, and then follows live', async () => {
    expect(events).toBeGreaterThanOrEqual(10_000);
    await h.start();
    try {
      const readModel = h.app.get(ReadModelService);
      expect(readModel.rebuiltAtStart).toEqual({ events, shards: Math.min(4, availableParallelism()) });
      expect(readModel.model.position()).toBe(events);
      const office = await bearer(people.office());
      const listed = await h.http().get('/api/v1/proposals?pageSize=1').set('authorization', office).expect(200);
      expect(listed.body.total).toBe(ITEMS);

      // A replayed item's next step: its stream is read again, and the read model moves on.
      const item = idOf(7);
      const before = readModel.model.revisionOf(item);
      h.at('2025-03-12 10:00');
      await h.http().post(`/api/v1/proposals/${item}/acknowledgements`).set('authorization', await bearer(people.handler(LEAD))).send({}).expect(200);
      expect((await h.settled()).model.revisionOf(item)).toBeGreaterThan(before);
    } finally {
      await h.app.close();
    }
  });

  it('catches up as usual when it starts on a read model that is not empty', async () => {
    await h.start();
    const readModel = h.app.get(ReadModelService);
    expect(readModel.rebuiltAtStart).toBeUndefined();
    expect((await h.settled()).model.revisionOf(idOf(7))).toBeGreaterThan(0);
  });

  it('rebuilt while it runs, it answers queries from the old rows until the new file replaces them', async () => {
    const readModel = await h.settled();
    const live = readModel.model.snapshot();
    const office = await bearer(people.office());
    const rebuilding = readModel.rebuild();
    const during = await Promise.all(Array.from({ length: 5 }, () => h.http().get('/api/v1/proposals?pageSize=1').set('authorization', office)));
    expect(during.map((r) => [r.status, r.body.total])).toEqual(Array(5).fill([200, ITEMS]));
    expect(await rebuilding).toMatchObject({ events: events + 2 }); // the acknowledgement and its deadline met
    expect(readModel.model.snapshot()).toEqual(live);
    await h.http().get('/api/v1/proposals?pageSize=1').set('authorization', office).expect(200);
  });
});
