import {
  digestUpTo,
  type EventStore,
  GENESIS_HASH,
  signatureHolds,
  signCheckpoint,
  STORE_CHECKPOINT_SCHEMA_VERSION,
  STORE_CHECKPOINTS_STREAM,
  type StoreCheckpoint,
  type StoreProblem,
  type StoreVerifyResult,
  verifyStore,
} from '@banli/event-store';
import type { MessageBus } from '@banli/messaging';
import { BANLI_CONFIG, type BanliConfig, CLOCK, EVENT_STORE, integrityKey, MESSAGE_BUS, STORE_HEAD_FILE } from '@banli/platform';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The latest checkpoint kept outside the store, if there is one. */
export function readStoreHead(config: Pick<BanliConfig, 'secretsDir'>): StoreCheckpoint | undefined {
  const file = join(config.secretsDir, STORE_HEAD_FILE);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as StoreCheckpoint;
}

function writeStoreHead(config: Pick<BanliConfig, 'secretsDir'>, checkpoint: StoreCheckpoint): void {
  const file = join(config.secretsDir, STORE_HEAD_FILE);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(checkpoint)}\n`, { mode: 0o600, flush: true });
  renameSync(`${file}.tmp`, file);
}

/**
 * The whole store checked against its signed checkpoints, the one kept outside it included. A store
 * with checkpoints but no head beside the secrets lost its head (or is read with another secrets
 * directory): reported, since the head is what shows a log cut short.
 */
export async function verifyWholeStore(store: EventStore, config: Pick<BanliConfig, 'secretsDir' | 'integrityKey'>, onProgress?: (events: number) => void): Promise<StoreVerifyResult> {
  const key = integrityKey(config, { create: false });
  const head = readStoreHead(config);
  const result = await verifyStore(store, key, head, onProgress);
  const problems: StoreProblem[] = [...result.problems];
  if (head === undefined && result.checkpoints > 0) {
    problems.push({ kind: 'head-missing', position: result.coveredUpTo ?? 0, detail: `${STORE_HEAD_FILE} is missing from ${config.secretsDir}: a log cut short cannot be told; is BANLI_SECRETS_DIR the service's?` });
  }
  if (result.checkpoints === 0 && problems.some((p) => p.kind === 'checkpoint-signature')) {
    problems.push({ kind: 'checkpoint-signature', position: 0, detail: 'no checkpoint is signed with this key: is BANLI_INTEGRITY_KEY (or BANLI_SECRETS_DIR) the service’s?' });
  }
  return { ...result, ok: problems.length === 0, problems };
}

/**
 * Checkpoints the store's digest (`BANLI_INTEGRITY_CHECKPOINT_INTERVAL`, when it has moved): each
 * checkpoint, signed with the integrity key, is recorded in the store (stream `store-checkpoints`) and
 * the latest is also kept in the secrets directory (`store-head.json`). One process of a deployment does
 * it (the `integrity` leader); it goes on from the latest checkpoint it finds.
 */
@Injectable()
export class StoreCheckpointService implements OnApplicationBootstrap, OnModuleDestroy {
  private last?: { position: number; digest: string; events: number };
  /** Where the last checkpoint event itself landed: a head that moved only by it has not moved. */
  private lastWritten = 0;
  /** Set when the store no longer extends what was signed: nothing is checkpointed over it, the evidence stays. */
  private refusal?: string;
  private timer?: NodeJS.Timeout;
  private leave?: () => Promise<void>;
  private running: Promise<unknown> = Promise.resolve();
  private readonly key: Buffer;
  private readonly log = new Logger('StoreCheckpoints');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(BANLI_CONFIG) private readonly config: BanliConfig,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {
    this.key = integrityKey(config);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.leave = await this.bus.lead(
      'integrity',
      () => {
        this.timer = setInterval(() => void this.checkpoint().catch((error) => this.log.error({ msg: 'the store could not be checkpointed', error: (error as Error).message })), this.config.integrityCheckpointSeconds * 1000);
        this.timer.unref();
      },
      () => clearInterval(this.timer),
    );
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.leave?.();
    await this.running.catch(() => undefined);
  }

  /** Signs the digest of the store up to its head now, if it moved since the last checkpoint. */
  checkpoint(): Promise<StoreCheckpoint | undefined> {
    const next = this.running.catch(() => undefined).then(() => this.checkpointNow());
    this.running = next;
    return next;
  }

  private async checkpointNow(): Promise<StoreCheckpoint | undefined> {
    if (this.refusal) return undefined;
    this.last ??= await this.resume();
    if (this.refusal) return undefined;
    const head = await this.store.headPosition();
    if (head <= Math.max(this.last.position, this.lastWritten)) return undefined;
    const reached = await digestUpTo(this.store, this.last, head);
    const checkpoint = signCheckpoint(this.key, { ...reached, at: this.clock().toISOString() });
    const written = await this.store.append(STORE_CHECKPOINTS_STREAM, [{ type: 'StoreCheckpointed', schemaVersion: STORE_CHECKPOINT_SCHEMA_VERSION, data: { ...checkpoint }, occurredAt: checkpoint.at }], 'any');
    writeStoreHead(this.config, checkpoint);
    this.last = reached;
    this.lastWritten = written.position;
    return checkpoint;
  }

  /**
   * Where the digest stands: the latest checkpoint in the store this key signed (or the store's start),
   * carried on to the head kept outside the store and checked against it. A store that does not reach
   * that head, or reaches it with another digest, was cut short or rewritten: nothing is checkpointed
   * over it (which would hide it), and the process says so loudly; `banli verify` names what is wrong.
   */
  private async resume(): Promise<{ position: number; digest: string; events: number }> {
    const checkpoints = await this.store.readStream(STORE_CHECKPOINTS_STREAM);
    const signed = checkpoints.filter((e) => signatureHolds(this.key, e.data as StoreCheckpoint));
    this.lastWritten = signed.at(-1)?.position ?? 0;
    const head = readStoreHead(this.config);
    const recorded = signed.map((e) => e.data as StoreCheckpoint).filter((c) => head === undefined || c.position <= head.position);
    const latest = recorded.at(-1);
    let from = latest ? { position: latest.position, digest: latest.digest, events: latest.events } : { position: 0, digest: GENESIS_HASH, events: 0 };
    if (head && signatureHolds(this.key, head) && head.position > from.position) {
      const reached = await digestUpTo(this.store, from, head.position);
      if (reached.position !== head.position || reached.digest !== head.digest) {
        this.refusal = `the store does not extend the checkpoint signed on ${head.at} at position ${head.position}: it was cut short or rewritten; run banli verify`;
        this.log.error({ msg: 'store integrity: not checkpointing a store that does not extend its signed head', detail: this.refusal });
        return from;
      }
      from = reached;
    } else if (head && !signatureHolds(this.key, head)) {
      this.refusal = `${STORE_HEAD_FILE} is not signed with this BANLI_INTEGRITY_KEY`;
      this.log.error({ msg: 'store integrity: not checkpointing', detail: this.refusal });
    }
    return from;
  }

  /** Why checkpoints stopped, if they did. */
  stopped(): string | undefined {
    return this.refusal;
  }
}
