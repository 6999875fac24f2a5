import type { EventStore } from './event-store.port';

/** Every stream id in the store, in the order the streams began: one pass over the global order. */
export async function allStreamIds(store: EventStore): Promise<string[]> {
  const streams = new Set<string>();
  for (let from = 0; ; ) {
    const page = await store.readAll({ fromPosition: from, limit: 10_000 });
    if (page.length === 0) break;
    for (const e of page) streams.add(e.streamId);
    from = page[page.length - 1].position;
  }
  return [...streams];
}
