import { SqliteEventStore } from '@banli/event-store';
import { parentPort, workerData } from 'node:worker_threads';
import type { ItemProjection } from './item-projection';
import { foldRangeInto, type StreamRange } from './read-model.replay';

/** One thread of a read-model replay: the streams in one range of ids, folded into a file of its own. */
const { eventsFile, outFile, range, projections } = workerData as { eventsFile: string; outFile: string; range: StreamRange; projections: { module: string; exportName: string }[] };
// The features' projections, loaded from where they are declared (a thread shares no objects with its parent).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loaded = projections.map(({ module, exportName }) => (require(module) as Record<string, ItemProjection>)[exportName]);
const store = new SqliteEventStore({ file: eventsFile });
const events = foldRangeInto(store, outFile, range, loaded, (progress) => parentPort!.postMessage({ progress }));
void store.close().then(() => parentPort!.postMessage({ done: events }));
