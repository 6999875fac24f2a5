import type { EventStore, StoredEvent } from '@banli/event-store';
import type { BusMessage } from './message-bus.port';

/**
 * The store's own events for messages taken from a bus that others can write to (Kafka): a message
 * counts only where the store holds that very event (same stream, revision, id and hash), and what is
 * applied is the store's copy, never the message's payload. So a forged message cannot shadow a real
 * one, nor add an event the store does not hold. One read per item of the batch.
 */
export async function checkedAgainstStore(store: EventStore, messages: readonly BusMessage[]): Promise<{ readonly events: StoredEvent[]; readonly refused: BusMessage[] }> {
  const byStream = new Map<string, BusMessage[]>();
  for (const m of messages) byStream.set(m.streamId, [...(byStream.get(m.streamId) ?? []), m]);
  const events: StoredEvent[] = [];
  const refused: BusMessage[] = [];
  for (const [streamId, list] of byStream) {
    const from = Math.min(...list.map((m) => m.revision));
    const stored = new Map((await store.readStream(streamId, { fromRevision: Math.max(0, from) })).map((e) => [e.revision, e]));
    for (const m of list) {
      const real = stored.get(m.revision);
      if (real && real.eventId === m.eventId && real.hash === m.hash) events.push(real);
      else refused.push(m);
    }
  }
  return { events: events.sort((a, b) => a.position - b.position), refused };
}
