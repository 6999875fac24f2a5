import { type FoldableEvent, type StoredEvent, UnreadableEventError } from '../event-store.port';

/** A row in COLUMNS order. Reads return arrays: building keyed row objects costs more than the JSON parsing. */
export type Row = [
  position: number,
  streamId: string,
  revision: number,
  eventId: string,
  type: string,
  schemaVersion: number,
  data: string,
  metadata: string,
  occurredAt: string,
  recordedAt: string,
  hash: string,
];
export const POSITION = 0;
export const TYPE = 4;
export const STREAM = 1;

export const COLUMNS = 'position, stream_id, revision, event_id, type, schema_version, data, metadata, occurred_at, recorded_at, hash';
export const FOLDABLE_COLUMNS = 'position, stream_id, revision, type, schema_version, data, occurred_at, recorded_at';
export type FoldableRow = [position: number, streamId: string, revision: number, type: string, schemaVersion: number, data: string, occurredAt: string, recordedAt: string];

/** JSON the store wrote itself; a row that no longer parses is named by its place. */
function parsed<T>(text: string, at: { position: number; streamId: string; revision: number }, what: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new UnreadableEventError(at.position, at.streamId, at.revision, `its ${what} is not JSON (${(error as Error).message})`);
  }
}

export function toStoredEvent([position, streamId, revision, eventId, type, schemaVersion, data, metadata, occurredAt, recordedAt, hash]: Row): StoredEvent {
  const at = { position, streamId, revision };
  const event: { -readonly [K in keyof StoredEvent]: StoredEvent[K] } = {
    streamId,
    revision,
    position,
    eventId,
    type,
    schemaVersion,
    data: parsed(data, at, 'data'),
    occurredAt,
    recordedAt,
    hash,
  };
  if (metadata !== '{}') {
    const m = parsed<Pick<StoredEvent, 'actor' | 'correlationId' | 'causationId'>>(metadata, at, 'metadata');
    if (m.actor !== undefined) event.actor = m.actor;
    if (m.correlationId !== undefined) event.correlationId = m.correlationId;
    if (m.causationId !== undefined) event.causationId = m.causationId;
  }
  return event;
}

export function toFoldableEvent([position, streamId, revision, type, schemaVersion, data, occurredAt, recordedAt]: FoldableRow): FoldableEvent {
  return { streamId, revision, position, type, schemaVersion, data: parsed(data, { position, streamId, revision }, 'data'), occurredAt, recordedAt };
}
