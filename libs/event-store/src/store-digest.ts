import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { EventStore, GlobalPosition, StoredEvent, UnreadableEventError } from './event-store.port';
import { pagesOfAll } from './stream-ids';
import { canonicalJson, GENESIS_HASH } from './hash-chain';

/**
 * Each stream's hash chain proves that no event of a stream was altered, but not that a stream still
 * exists, nor that the log was not cut short or rewritten whole (anyone can recompute SHA-256 chains).
 * So the store as a whole is chained too: a digest runs over every event in global order, and now and
 * then a checkpoint of it (position, digest) is signed with a key kept outside the store. `verifyStore`
 * recomputes the digest and checks it against every checkpoint: a removed stream, a removed event and a
 * rewritten chain change the digest at every later checkpoint; a log cut short ends before the latest.
 */
export const STORE_CHECKPOINTS_STREAM = 'store-checkpoints';
export const STORE_CHECKPOINT_SCHEMA_VERSION = 1;

export interface StoreCheckpoint {
  /** The digest covers every event up to and including this position. */
  readonly position: GlobalPosition;
  readonly digest: string;
  readonly events: number;
  readonly at: string;
  /** HMAC-SHA256 with the integrity key over the rest, as canonical JSON. */
  readonly signature: string;
}

/** The digest after one more event: over the one before, the event's place and its own hash. */
export function nextDigest(previous: string, e: Pick<StoredEvent, 'position' | 'streamId' | 'revision' | 'hash'>): string {
  return createHash('sha256').update(`${previous}\n${e.position}\n${e.streamId}\n${e.revision}\n${e.hash}`).digest('hex');
}

export function signCheckpoint(key: Buffer, checkpoint: Omit<StoreCheckpoint, 'signature'>): StoreCheckpoint {
  const { position, digest, events, at } = checkpoint;
  return { position, digest, events, at, signature: createHmac('sha256', key).update(canonicalJson({ position, digest, events, at })).digest('hex') };
}

export function signatureHolds(key: Buffer, checkpoint: StoreCheckpoint): boolean {
  const expected = signCheckpoint(key, checkpoint).signature;
  return typeof checkpoint.signature === 'string' && checkpoint.signature.length === expected.length && timingSafeEqual(Buffer.from(checkpoint.signature), Buffer.from(expected));
}

/** The digest of the store from `from` (exclusive, with the digest there) up to `to`, read a page at a time. */
export async function digestUpTo(store: EventStore, from: { position: GlobalPosition; digest: string; events: number }, to: GlobalPosition): Promise<{ position: GlobalPosition; digest: string; events: number }> {
  let { position, digest, events } = from;
  while (position < to) {
    const page = await store.readAll({ fromPosition: position, limit: 5_000 });
    if (page.length === 0) break;
    for (const e of page) {
      if (e.position > to) return { position, digest, events };
      digest = nextDigest(digest, e);
      position = e.position;
      events += 1;
    }
    await yieldToLoop();
  }
  return { position, digest, events };
}

export type StoreProblem =
  | { readonly kind: 'checkpoint-signature'; readonly position: GlobalPosition; readonly detail?: string }
  | { readonly kind: 'head-missing'; readonly position: GlobalPosition; readonly detail: string }
  | { readonly kind: 'digest-mismatch'; readonly position: GlobalPosition; readonly detail: string }
  | { readonly kind: 'unreadable'; readonly position: GlobalPosition; readonly detail: string }
  | { readonly kind: 'truncated'; readonly position: GlobalPosition; readonly head: GlobalPosition; readonly detail: string };

export interface StoreVerifyResult {
  readonly ok: boolean;
  readonly events: number;
  /** Signed checkpoints checked against the recomputed digest. */
  readonly checkpoints: number;
  /** The newest checkpoint: events after it are covered by their streams' chains only, until the next. */
  readonly coveredUpTo: GlobalPosition | null;
  readonly problems: StoreProblem[];
}

/**
 * Recomputes the store's digest in one walk and checks it at every signed checkpoint recorded in the
 * store, and at `head`, the latest checkpoint kept outside it (which an attacker who rewrites the store
 * cannot rewrite with it). Yields to the event loop between pages.
 */
export async function verifyStore(store: EventStore, key: Buffer, head?: StoreCheckpoint, onProgress?: (events: number) => void): Promise<StoreVerifyResult> {
  const problems: StoreProblem[] = [];
  const recorded = (await store.readStream(STORE_CHECKPOINTS_STREAM)).map((e) => e.data as StoreCheckpoint);
  const checkpoints = [...recorded, ...(head ? [head] : [])].filter((c) => {
    if (signatureHolds(key, c)) return true;
    problems.push({ kind: 'checkpoint-signature', position: Number(c.position) });
    return false;
  });
  const pending = [...checkpoints].sort((a, b) => a.position - b.position);
  let next = 0;
  let digest = GENESIS_HASH;
  let position = 0;
  let events = 0;
  // An event that does not parse is named and passed over: the digest without it fails at every later checkpoint, as it should.
  const unreadable = (error: UnreadableEventError) => problems.push({ kind: 'unreadable', position: error.position, detail: error.message });
  for await (const page of pagesOfAll(store, { pageSize: 5_000, unreadable })) {
    for (const e of page) {
      // A checkpoint at a position no event holds any more: what ended there is gone.
      for (; next < pending.length && pending[next].position < e.position; next++) {
        problems.push({ kind: 'digest-mismatch', position: pending[next].position, detail: `no event at position ${pending[next].position}, where a checkpoint signed on ${pending[next].at} ends` });
      }
      digest = nextDigest(digest, e);
      position = e.position;
      events += 1;
      for (; next < pending.length && pending[next].position === position; next++) {
        const c = pending[next];
        if (c.digest !== digest || c.events !== events) problems.push({ kind: 'digest-mismatch', position, detail: `the store up to ${position} is not what was signed on ${c.at}: an event was removed, added or rewritten before it` });
      }
    }
    onProgress?.(events);
    await yieldToLoop();
  }
  for (; next < pending.length; next++) {
    const c = pending[next];
    problems.push({ kind: 'truncated', position: c.position, head: position, detail: `the store ends at ${position}, but a checkpoint signed on ${c.at} saw it reach ${c.position}` });
  }
  const latest = checkpoints.reduce<number | null>((max, c) => (max === null || c.position > max ? c.position : max), null);
  return { ok: problems.length === 0, events, checkpoints: checkpoints.length, coveredUpTo: latest, problems };
}
