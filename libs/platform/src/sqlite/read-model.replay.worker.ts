import { SqliteEventStore } from '@banli/event-store';
import { parentPort, workerData } from 'node:worker_threads';
import { foldRangeInto, type StreamRange } from './read-model.replay';

/** One thread of a read-model replay: the streams in one range of ids, folded into a file of its own. */
const { eventsFile, outFile, range } = workerData as { eventsFile: string; outFile: string; range: StreamRange };
const store = new SqliteEventStore({ file: eventsFile });
const events = foldRangeInto(store, outFile, range, (progress) => parentPort!.postMessage({ progress }));
void store.close().then(() => parentPort!.postMessage({ done: events }));
