import { createHash } from 'node:crypto';

/** The hash of "no previous event": a stream's first event chains to this. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with object keys sorted at every depth, so the same value always serialises to the same
 * text whichever adapter or process wrote it. Undefined properties are dropped, as JSON does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`Cannot serialise ${typeof value} canonically`);
    return text;
  }
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  const entries = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

/** The fields of an event that its hash covers, with data and metadata already in canonical text. */
export interface HashedFields {
  readonly streamId: string;
  readonly revision: number;
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly occurredAt: string;
  readonly recordedAt: string;
  /** canonicalJson({actor, correlationId, causationId}) */
  readonly metadataText: string;
  /** canonicalJson(data) */
  readonly dataText: string;
}

/**
 * SHA-256 over the previous hash and this event's canonical form. The global position is left
 * out on purpose: it is known only after the write, and it differs between adapters.
 */
export function eventHash(previousHash: string, fields: HashedFields): string {
  const head = JSON.stringify([
    previousHash,
    fields.streamId,
    fields.revision,
    fields.eventId,
    fields.type,
    fields.schemaVersion,
    fields.occurredAt,
    fields.recordedAt,
  ]);
  return createHash('sha256').update(head).update('\n').update(fields.metadataText).update('\n').update(fields.dataText).digest('hex');
}

export function metadataText(event: { actor?: unknown; correlationId?: string; causationId?: string }): string {
  return canonicalJson({ actor: event.actor, correlationId: event.correlationId, causationId: event.causationId });
}

/** Walks a stream's events in revision order and returns the first revision whose hash does not match. */
export function firstBrokenRevision(events: readonly (HashedFields & { hash: string })[]): number | undefined {
  let previous = GENESIS_HASH;
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    if (event.revision !== i || eventHash(previous, event) !== event.hash) return event.revision === i ? event.revision : i;
    previous = event.hash;
  }
  return undefined;
}
