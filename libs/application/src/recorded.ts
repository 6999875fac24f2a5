import { type Actor, type EventMetadata, type RecordedProposalEvent, upcast } from '@banli/domain';
import type { FoldableEvent, StoredEvent } from '@banli/event-store';

/** A stored event as the domain folds it: brought up to its type's current schema version. */
export function toRecorded(event: FoldableEvent & Pick<StoredEvent, 'actor' | 'correlationId' | 'causationId'>): RecordedProposalEvent {
  const { schemaVersion, data } = upcast(event.type, event.schemaVersion, event.data);
  // Built field by field rather than spread: replays call this for every event in the store.
  const metadata: { -readonly [K in keyof EventMetadata]: EventMetadata[K] } = { occurredAt: event.occurredAt, recordedAt: event.recordedAt };
  if (event.actor) metadata.actor = event.actor as Actor;
  if (event.correlationId) metadata.correlationId = event.correlationId;
  if (event.causationId) metadata.causationId = event.causationId;
  return { type: event.type, schemaVersion, data, metadata } as RecordedProposalEvent;
}
