import {
  digestUpTo,
  type EventStore,
  GENESIS_HASH,
  signatureHolds,
  signCheckpoint,
  STORE_CHECKPOINT_SCHEMA_VERSION,
  STORE_CHECKPOINTS_STREAM,
  type StoreCheckpoint,
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

/** The whole store checked against its signed checkpoints, the one kept outside it included. */
export function verifyWholeStore(store: EventStore, config: Pick<BanliConfig, 'secretsDir' | 'integrityKey'>, onProgress?: (events: number) => void): Promise<StoreVerifyResult> {
  return verifyStore(store, integrityKey(config), readStoreHead(config), onProgress);
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
    this.last ??= await this.resume();
    const head = await this.store.headPosition();
    if (head <= this.last.position) return undefined;
    const reached = await digestUpTo(this.store, this.last, head);
    const checkpoint = signCheckpoint(this.key, { ...reached, at: this.clock().toISOString() });
    await this.store.append(STORE_CHECKPOINTS_STREAM, [{ type: 'StoreCheckpointed', schemaVersion: STORE_CHECKPOINT_SCHEMA_VERSION, data: { ...checkpoint }, occurredAt: checkpoint.at }], 'any');
    writeStoreHead(this.config, checkpoint);
    this.last = reached;
    return checkpoint;
  }

  /** Where the digest stands: the latest checkpoint in the store this key signed, or the store's start. */
  private async resume(): Promise<{ position: number; digest: string; events: number }> {
    const recorded = (await this.store.readStream(STORE_CHECKPOINTS_STREAM)).map((e) => e.data as StoreCheckpoint).filter((c) => signatureHolds(this.key, c));
    const latest = recorded.at(-1);
    return latest ? { position: latest.position, digest: latest.digest, events: latest.events } : { position: 0, digest: GENESIS_HASH, events: 0 };
  }
}
