import { SqliteEventStore } from '@banli/event-store';
import { parentPort, workerData } from 'node:worker_threads';
import { ProposalReadModel } from './read-model.sqlite';

/** One shard of a read-model replay: its streams' events, folded into a read model file of its own. */
const { eventsFile, outFile, shard, of } = workerData as { eventsFile: string; outFile: string; shard: number; of: number };
const store = new SqliteEventStore({ file: eventsFile });
const model = new ProposalReadModel(outFile);
model.reset();
let events = 0;
let position = 0;
for (;;) {
  const page = store.readShard(position, 5_000, shard, of);
  if (page.length === 0) break;
  model.apply(page);
  events += page.length;
  position = page[page.length - 1].position;
  parentPort!.postMessage({ progress: events });
}
model.close();
void store.close().then(() => parentPort!.postMessage({ done: { events, position } }));
