import { type EventStore, type GlobalPosition, type StoredEvent, UnreadableEventError } from './event-store.port';

/**
 * Every event in global order after `from`, a page at a time. An event that does not parse (a damaged or
 * hand-edited file) is handed to `unreadable` and passed over, the walk going one event at a time up to
 * it; without `unreadable` it is thrown.
 */
export async function* pagesOfAll(
  store: EventStore,
  options: { readonly from?: GlobalPosition; readonly pageSize: number; readonly unreadable?: (error: UnreadableEventError) => void },
): AsyncGenerator<StoredEvent[]> {
  let position = options.from ?? 0;
  let carefulUntil = 0;
  for (;;) {
    let page: StoredEvent[];
    try {
      page = await store.readAll({ fromPosition: position, limit: position < carefulUntil ? 1 : options.pageSize });
    } catch (error) {
      if (!(error instanceof UnreadableEventError) || !options.unreadable) throw error;
      if (position < carefulUntil || error.position <= position + 1) {
        options.unreadable(error);
        position = error.position;
      } else carefulUntil = error.position;
      continue;
    }
    if (page.length === 0) return;
    position = page[page.length - 1].position;
    yield page;
  }
}

/** Every stream id in the store, in the order the streams began: one pass over the global order. */
export async function allStreamIds(store: EventStore): Promise<string[]> {
  const streams = new Set<string>();
  for await (const page of pagesOfAll(store, { pageSize: 10_000, unreadable: (e) => streams.add(e.streamId) })) {
    for (const e of page) streams.add(e.streamId);
  }
  return [...streams];
}
