import { randomBytes } from 'node:crypto';
import { BUILT_IN_RULE_SETS, parseRuleSet, type RuleSet } from '@banli/domain';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Everything Banli reads from its environment, validated once at start-up. */
export interface BanliConfig {
  /** `standalone`, or the service this process is in the distributed deployment. */
  readonly service: string;
  readonly port: number;
  readonly dataDir: string;
  readonly eventStore: { readonly kind: 'sqlite'; readonly file: string } | { readonly kind: 'kurrentdb'; readonly url: string };
  readonly bus: 'memory' | 'kafka';
  readonly kafka?: { readonly brokers: readonly string[]; readonly partitions: number; readonly replicationFactor: number };
  readonly jwt:
    | { readonly kind: 'hs256'; readonly secret: string; readonly generated: boolean }
    | { readonly kind: 'jwks'; readonly jwksUrl: string; readonly issuer?: string; readonly audience?: string };
  readonly defaultRuleSet: string;
  /** A folder of extra rule-set files (JSON), loaded beside the built-in ones. */
  readonly ruleSetsDir: string;
  /** Whether this process fires deadlines (several may: each firing is recorded once). */
  readonly scheduler: boolean;
  /** The key (32 bytes) that encrypts webhook secrets in the store: BANLI_WEBHOOK_KEY, or a file kept in the data directory. */
  readonly webhookKey: { readonly kind: 'env'; readonly key: Buffer } | { readonly kind: 'file'; readonly file: string };
  /** The supervision stream's bounds: connections per caller and in all, and how far back `Last-Event-ID` replays. */
  readonly stream: { readonly maxPerCaller: number; readonly maxConnections: number; readonly replayWindow: number };
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(`Configuration: ${message}`);
    this.name = 'ConfigError';
  }
}

export const DEV_SECRET_FILE = 'dev-jwt-secret';
export const WEBHOOK_KEY_FILE = 'webhook-key';

/**
 * Reads the configuration. Without BANLI_JWT_SECRET or a JWKS URL, a development secret is generated
 * once and kept in the data directory, so tokens minted with `npm run token` keep working across restarts.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): BanliConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be a port number, got ${env.PORT}`);
  const dataDir = resolve(env.BANLI_DATA_DIR ?? './data');
  mkdirSync(dataDir, { recursive: true });

  const storeKind = env.BANLI_EVENT_STORE ?? 'sqlite';
  let eventStore: BanliConfig['eventStore'];
  if (storeKind === 'sqlite') eventStore = { kind: 'sqlite', file: join(dataDir, 'events.db') };
  else if (storeKind === 'kurrentdb') {
    if (!env.KURRENTDB_URL) throw new ConfigError('BANLI_EVENT_STORE=kurrentdb needs KURRENTDB_URL');
    eventStore = { kind: 'kurrentdb', url: env.KURRENTDB_URL };
  } else throw new ConfigError(`BANLI_EVENT_STORE must be sqlite or kurrentdb, got ${storeKind}`);

  const bus = env.BANLI_BUS ?? 'memory';
  if (bus !== 'memory' && bus !== 'kafka') throw new ConfigError(`BANLI_BUS must be memory or kafka, got ${bus}`);
  if (bus === 'kafka' && !env.KAFKA_BROKERS) throw new ConfigError('BANLI_BUS=kafka needs KAFKA_BROKERS');

  let jwt: BanliConfig['jwt'];
  if (env.BANLI_JWT_JWKS_URL) {
    jwt = { kind: 'jwks', jwksUrl: env.BANLI_JWT_JWKS_URL, issuer: env.BANLI_JWT_ISSUER, audience: env.BANLI_JWT_AUDIENCE };
  } else if (env.BANLI_JWT_SECRET) {
    if (env.BANLI_JWT_SECRET.length < 32) throw new ConfigError('BANLI_JWT_SECRET must be at least 32 characters');
    jwt = { kind: 'hs256', secret: env.BANLI_JWT_SECRET, generated: false };
  } else {
    jwt = { kind: 'hs256', secret: developmentSecret(dataDir), generated: true };
  }
  if (env.BANLI_SCHEDULER !== undefined && env.BANLI_SCHEDULER !== 'on' && env.BANLI_SCHEDULER !== 'off') {
    throw new ConfigError(`BANLI_SCHEDULER must be on or off, got ${env.BANLI_SCHEDULER}`);
  }
  let webhookKey: BanliConfig['webhookKey'] = { kind: 'file', file: join(dataDir, WEBHOOK_KEY_FILE) };
  if (env.BANLI_WEBHOOK_KEY !== undefined) {
    if (!/^[0-9a-fA-F]{64}$/.test(env.BANLI_WEBHOOK_KEY)) throw new ConfigError('BANLI_WEBHOOK_KEY must be 64 hexadecimal characters (32 bytes)');
    webhookKey = { kind: 'env', key: Buffer.from(env.BANLI_WEBHOOK_KEY, 'hex') };
  }
  const service = env.BANLI_SERVICE ?? 'standalone';
  if (!/^[a-z][a-z-]*$/.test(service)) throw new ConfigError(`BANLI_SERVICE must be a service name, got ${service}`);
  return {
    service,
    port,
    dataDir,
    eventStore,
    bus,
    ...(bus === 'kafka'
      ? {
          kafka: {
            brokers: env.KAFKA_BROKERS!.split(',').map((b) => b.trim()).filter(Boolean),
            partitions: positive(env.KAFKA_PARTITIONS ?? '3', 'KAFKA_PARTITIONS'),
            replicationFactor: positive(env.KAFKA_REPLICATION_FACTOR ?? '1', 'KAFKA_REPLICATION_FACTOR'),
          },
        }
      : {}),
    jwt,
    defaultRuleSet: env.BANLI_RULE_SET ?? 'cq-npc-2017',
    ruleSetsDir: resolve(env.BANLI_RULE_SETS_DIR ?? join(dataDir, 'rule-sets')),
    scheduler: (env.BANLI_SCHEDULER ?? 'on') !== 'off',
    webhookKey,
    stream: {
      maxPerCaller: positive(env.BANLI_STREAM_MAX_PER_CALLER ?? '5', 'BANLI_STREAM_MAX_PER_CALLER'),
      maxConnections: positive(env.BANLI_STREAM_MAX_CONNECTIONS ?? '200', 'BANLI_STREAM_MAX_CONNECTIONS'),
      replayWindow: positive(env.BANLI_STREAM_REPLAY_WINDOW ?? '10000', 'BANLI_STREAM_REPLAY_WINDOW'),
    },
  };
}

function positive(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`${name} must be a whole number ≥ 1, got ${value}`);
  return n;
}

/** The read database of this process: the standalone service's `read.db`, or one per distributed service. */
export function readDatabaseFile(config: BanliConfig): string {
  return join(config.dataDir, config.service === 'standalone' ? 'read.db' : `read-${config.service}.db`);
}

export function developmentSecret(dataDir: string): string {
  const file = join(dataDir, DEV_SECRET_FILE);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/**
 * The webhook key: from the environment, or generated once into the data directory. Created exclusively,
 * so two processes starting together on one data directory end up with the same key.
 */
export function webhookKey(config: Pick<BanliConfig, 'webhookKey'>): Buffer {
  if (config.webhookKey.kind === 'env') return config.webhookKey.key;
  const file = config.webhookKey.file;
  if (!existsSync(file)) {
    // Written aside, then linked into place: linking fails if another process got there first.
    const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(aside, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    try {
      linkSync(aside, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(aside);
    }
  }
  const hex = readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new ConfigError(`${file} must hold 64 hexadecimal characters`);
  return Buffer.from(hex, 'hex');
}

/** The built-in rule sets plus every `*.json` in the rule-sets folder; a malformed file stops the start, naming file and field. */
export function loadRuleSets(dir: string): RuleSet[] {
  const extra = existsSync(dir)
    ? readdirSync(dir)
        .filter((name) => name.endsWith('.json'))
        .sort()
        .map((name) => parseRuleSet(readFileSync(join(dir, name), 'utf8'), join(dir, name)))
    : [];
  return [...BUILT_IN_RULE_SETS, ...extra];
}
