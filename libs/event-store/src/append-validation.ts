import { type ExpectedRevision, InvalidAppendError, type NewEvent } from './event-store.port';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What every adapter refuses before it writes anything: the same rules, whichever store is behind the port. */
export function validateAppend(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): void {
  if (typeof streamId !== 'string' || streamId.length === 0) throw new InvalidAppendError('A stream id is required');
  if (!Array.isArray(events) || events.length === 0) throw new InvalidAppendError('An append needs at least one event');
  if (!(expected === 'any' || expected === 'no-stream' || expected === 'stream-exists' || (Number.isInteger(expected) && (expected as number) >= 0))) {
    throw new InvalidAppendError(`Not an expected revision: ${String(expected)}`);
  }
  const ids = new Set<string>();
  for (const e of events) {
    if (typeof e.type !== 'string' || e.type.length === 0) throw new InvalidAppendError('Every event needs a type');
    if (!Number.isInteger(e.schemaVersion) || e.schemaVersion < 1) throw new InvalidAppendError(`Event ${e.type} needs a schema version ≥ 1`);
    if (Number.isNaN(Date.parse(e.occurredAt))) throw new InvalidAppendError(`Event ${e.type} has no valid occurredAt`);
    if (e.eventId !== undefined) {
      // Both adapters take the same ids: KurrentDB identifies events by UUID.
      if (!UUID.test(e.eventId)) throw new InvalidAppendError(`Event id ${e.eventId} is not a UUID`);
      if (ids.has(e.eventId)) throw new InvalidAppendError(`Event id ${e.eventId} appears twice in one append`);
      ids.add(e.eventId);
    }
  }
}
