import { randomBytes } from 'node:crypto';
import { BUILT_IN_RULE_SETS, parseRuleSet, type RuleSet } from '@banli/domain';
import { chmodSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BlockList, isIP } from 'node:net';
import { isMainThread } from 'node:worker_threads';

/** Everything Banli reads from its environment, validated once at start-up. */
export interface BanliConfig {
  /** `standalone`, or the service this process is in the distributed deployment. */
  readonly service: string;
  readonly port: number;
  readonly dataDir: string;
  readonly eventStore: { readonly kind: 'sqlite'; readonly file: string } | { readonly kind: 'kurrentdb'; readonly url: string };
  readonly bus: 'memory' | 'kafka';
  readonly kafka?: {
    readonly brokers: readonly string[];
    readonly partitions: number;
    readonly replicationFactor: number;
    readonly sasl?: { readonly mechanism: 'scram-sha-256' | 'scram-sha-512' | 'plain'; readonly username: string; readonly password: string };
    readonly tls?: { readonly ca?: readonly string[] };
  };
  /** `NODE_ENV=production`: secrets must be given, strong, and nothing is generated. */
  readonly production: boolean;
  /** Where generated secrets are kept (BANLI_SECRETS_DIR, default the data directory): keep it out of data backups. */
  readonly secretsDir: string;
  readonly jwt: (
    | { readonly kind: 'hs256'; readonly secret: string; readonly generated: boolean }
    | { readonly kind: 'jwks'; readonly jwksUrl: string; readonly issuer: string; readonly audience: string }
  ) & {
    /** The longest a token may live (`exp − iat`), in seconds. */
    readonly maxLifetimeSeconds: number;
  };
  readonly defaultRuleSet: string;
  /** A folder of extra rule-set files (JSON), loaded beside the built-in ones. */
  readonly ruleSetsDir: string;
  /** Whether this process fires deadlines (several may: each firing is recorded once). */
  readonly scheduler: boolean;
  /** The key (32 bytes) that encrypts webhook secrets in the store: BANLI_WEBHOOK_KEY, or a file kept in the data directory. */
  readonly webhookKey: { readonly kind: 'env'; readonly key: Buffer } | { readonly kind: 'file'; readonly file: string };
  /** The key (32 bytes) that signs the store's checkpoints: BANLI_INTEGRITY_KEY, or a file in the secrets directory. Never in the store. */
  readonly integrityKey: { readonly kind: 'env'; readonly key: Buffer } | { readonly kind: 'file'; readonly file: string };
  /** How often the store's digest is checkpointed, in seconds (when it has moved). */
  readonly integrityCheckpointSeconds: number;
  /** The supervision stream's bounds: connections per caller and in all, and how far back `Last-Event-ID` replays. */
  readonly stream: { readonly maxPerCaller: number; readonly maxConnections: number; readonly replayWindow: number };
  /** The HTTP edge: where it listens and how long a client may take. */
  readonly http: {
    readonly host: string;
    /** A request (headers and body) must arrive whole within this many milliseconds. */
    readonly requestTimeoutMs: number;
    readonly headersTimeoutMs: number;
    readonly maxConnections: number;
    /** Requests with a token not yet verified, per client address and minute, before 429. */
    readonly authFailuresPerMinute: number;
    /** `/metrics` and `/api/docs`: open to anyone, or for a token with the admin or auditor role. */
    readonly opsEndpoints: 'open' | 'token';
  };
  /** How long an Idempotency-Key's answer is kept, in seconds. */
  readonly idempotencyTtlSeconds: number;
  /** Where webhooks may be delivered beyond public https addresses: the operator's networks, and plain http. */
  readonly webhooks: { readonly allowNetworks: readonly string[]; readonly allowHttp: boolean };
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(`Configuration: ${message}`);
    this.name = 'ConfigError';
  }
}

export const DEV_SECRET_FILE = 'dev-jwt-secret';
export const WEBHOOK_KEY_FILE = 'webhook-key';
export const INTEGRITY_KEY_FILE = 'integrity-key';
/** The latest signed checkpoint of the store, kept beside the secrets: a store cut short cannot take it along. */
export const STORE_HEAD_FILE = 'store-head.json';

/** Words of the examples and placeholders people copy: a secret holding one is refused in production. */
const PLACEHOLDER_WORDS = /change[-_ ]?me|placeholder|replace|todo|fixme|example|sample|dummy|secret|password|passwd|default|qwerty|admin|letmein|banli|test/i;
const KEYBOARD_ROWS = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'abcdefghijklmnopqrstuvwxyz', '0123456789abcdef'];

/**
 * Why a secret is too weak for production, if it is: a placeholder word, whitespace, too few distinct
 * characters for its length (one character repeated), a short unit repeated (`abcabcabc…`), or a run
 * along a keyboard row or the alphabet (`123456789…`, `qwertyuiop…`).
 */
export function weakSecret(value: string): string | undefined {
  if (PLACEHOLDER_WORDS.test(value)) return 'it is a placeholder or an example value';
  if (/\s/.test(value)) return 'it contains spaces';
  const distinct = new Set(value).size;
  if (distinct < Math.min(10, Math.ceil(value.length / 4))) return `it has only ${distinct} distinct characters`;
  for (let length = 1; length <= 16 && length * 2 <= value.length; length++) {
    if (value.replaceAll(value.slice(0, length), '').length < length) return `it repeats a unit of ${length} characters`;
  }
  const lower = value.toLowerCase();
  const along = KEYBOARD_ROWS.some((row) => {
    for (let i = 0; i + 6 <= row.length; i++) if (lower.includes(row.slice(i, i + 6))) return true;
    return false;
  });
  if (along) return 'it runs along a keyboard row or the alphabet';
  return undefined;
}

/** One secret used for two purposes: a leak of one is a leak of both, so production refuses it. */
function refuseSharedSecrets(values: ReadonlyArray<readonly [string, string | undefined]>): void {
  const seen = new Map<string, string>();
  for (const [name, value] of values) {
    if (value === undefined) continue;
    const key = value.trim().toLowerCase();
    const other = seen.get(key);
    if (other) throw new ConfigError(`${name} is the same value as ${other}: each secret must be its own (make one with: openssl rand -hex 32)`);
    seen.set(key, name);
  }
}

/**
 * A duration setting: seconds, or a number with s, m, h or d (`12h`). Refuses what is not one.
 */
export function durationSeconds(value: string, name: string): number {
  const match = /^(\d+)\s*([smhd]?)$/.exec(value.trim());
  if (!match || Number(match[1]) < 1) throw new ConfigError(`${name} must be a duration such as 900, 15m, 12h or 7d, got ${value}`);
  return Number(match[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
}

/**
 * Reads the configuration. Without BANLI_JWT_SECRET or a JWKS URL, a development secret is generated
 * once and kept in the data directory, so tokens minted with `npm run token` keep working across restarts.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): BanliConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be a port number, got ${env.PORT}`);
  const production = env.NODE_ENV === 'production';
  const dataDir = privateDirectory(resolve(env.BANLI_DATA_DIR ?? './data'));
  const secretsDir = privateDirectory(resolve(env.BANLI_SECRETS_DIR ?? dataDir));

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

  const maxLifetimeSeconds = durationSeconds(env.BANLI_JWT_MAX_LIFETIME ?? '12h', 'BANLI_JWT_MAX_LIFETIME');
  let jwt: BanliConfig['jwt'];
  if (env.BANLI_JWT_JWKS_URL) {
    // Without an issuer and an audience, any token that issuer signs for any application would do.
    if (!env.BANLI_JWT_ISSUER || !env.BANLI_JWT_AUDIENCE) throw new ConfigError('BANLI_JWT_JWKS_URL needs BANLI_JWT_ISSUER and BANLI_JWT_AUDIENCE');
    jwt = { kind: 'jwks', jwksUrl: env.BANLI_JWT_JWKS_URL, issuer: env.BANLI_JWT_ISSUER, audience: env.BANLI_JWT_AUDIENCE, maxLifetimeSeconds };
  } else if (env.BANLI_JWT_SECRET !== undefined) {
    jwt = { kind: 'hs256', secret: checkedJwtSecret(env.BANLI_JWT_SECRET, 'BANLI_JWT_SECRET', production), generated: false, maxLifetimeSeconds };
  } else {
    if (production) throw new ConfigError('BANLI_JWT_SECRET (or BANLI_JWT_JWKS_URL) is required in production: no secret is generated there');
    jwt = { kind: 'hs256', secret: developmentSecret(secretsDir), generated: true, maxLifetimeSeconds };
  }
  if (env.BANLI_SCHEDULER !== undefined && env.BANLI_SCHEDULER !== 'on' && env.BANLI_SCHEDULER !== 'off') {
    throw new ConfigError(`BANLI_SCHEDULER must be on or off, got ${env.BANLI_SCHEDULER}`);
  }
  const webhookKey = keySource(env, 'BANLI_WEBHOOK_KEY', join(secretsDir, WEBHOOK_KEY_FILE), production);
  const integrityKey = keySource(env, 'BANLI_INTEGRITY_KEY', join(secretsDir, INTEGRITY_KEY_FILE), production);
  if (production) productionRefusals(env, maxLifetimeSeconds);
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
            ...kafkaSecurity(env, production),
          },
        }
      : {}),
    jwt,
    defaultRuleSet: env.BANLI_RULE_SET ?? 'cq-npc-2017',
    ruleSetsDir: resolve(env.BANLI_RULE_SETS_DIR ?? join(dataDir, 'rule-sets')),
    scheduler: (env.BANLI_SCHEDULER ?? 'on') !== 'off',
    webhookKey,
    integrityKey,
    integrityCheckpointSeconds: durationSeconds(env.BANLI_INTEGRITY_CHECKPOINT_INTERVAL ?? '60s', 'BANLI_INTEGRITY_CHECKPOINT_INTERVAL'),
    stream: {
      maxPerCaller: positive(env.BANLI_STREAM_MAX_PER_CALLER ?? '5', 'BANLI_STREAM_MAX_PER_CALLER'),
      maxConnections: positive(env.BANLI_STREAM_MAX_CONNECTIONS ?? '200', 'BANLI_STREAM_MAX_CONNECTIONS'),
      replayWindow: positive(env.BANLI_STREAM_REPLAY_WINDOW ?? '10000', 'BANLI_STREAM_REPLAY_WINDOW'),
    },
    production,
    secretsDir,
    http: {
      host: env.BANLI_HOST ?? '0.0.0.0',
      requestTimeoutMs: durationSeconds(env.BANLI_HTTP_REQUEST_TIMEOUT ?? '30s', 'BANLI_HTTP_REQUEST_TIMEOUT') * 1000,
      headersTimeoutMs: Math.min(10_000, durationSeconds(env.BANLI_HTTP_REQUEST_TIMEOUT ?? '30s', 'BANLI_HTTP_REQUEST_TIMEOUT') * 1000),
      maxConnections: positive(env.BANLI_HTTP_MAX_CONNECTIONS ?? '1024', 'BANLI_HTTP_MAX_CONNECTIONS'),
      authFailuresPerMinute: positive(env.BANLI_AUTH_FAILURES_PER_MINUTE ?? '100', 'BANLI_AUTH_FAILURES_PER_MINUTE'),
      opsEndpoints: opsEndpoints(env.BANLI_OPS_ENDPOINTS ?? (production ? 'token' : 'open')),
    },
    idempotencyTtlSeconds: durationSeconds(env.BANLI_IDEMPOTENCY_TTL ?? '24h', 'BANLI_IDEMPOTENCY_TTL'),
    webhooks: {
      allowNetworks: cidrList(env.BANLI_WEBHOOK_ALLOW_NETWORKS ?? '', 'BANLI_WEBHOOK_ALLOW_NETWORKS'),
      allowHttp: flag(env.BANLI_WEBHOOK_ALLOW_HTTP ?? 'false', 'BANLI_WEBHOOK_ALLOW_HTTP'),
    },
  };
}

/**
 * What production refuses beyond weak secrets: one value for two secrets, keys fetched over plain http,
 * tokens valid for more than a day, and webhook networks that open the service's own host or its cloud's
 * metadata address (loopback, link-local), or a whole /0–/7.
 */
function productionRefusals(env: NodeJS.ProcessEnv, maxLifetimeSeconds: number): void {
  refuseSharedSecrets([
    ['BANLI_JWT_SECRET', env.BANLI_JWT_SECRET],
    ['BANLI_WEBHOOK_KEY', env.BANLI_WEBHOOK_KEY],
    ['BANLI_INTEGRITY_KEY', env.BANLI_INTEGRITY_KEY],
  ]);
  if (env.BANLI_JWT_JWKS_URL !== undefined && !/^https:\/\//i.test(env.BANLI_JWT_JWKS_URL)) {
    throw new ConfigError(`BANLI_JWT_JWKS_URL must be https in production (anyone on the path could swap the keys), got ${env.BANLI_JWT_JWKS_URL}`);
  }
  if (maxLifetimeSeconds > 86_400) throw new ConfigError(`BANLI_JWT_MAX_LIFETIME may be at most 24h in production, got ${env.BANLI_JWT_MAX_LIFETIME}`);
  for (const cidr of cidrList(env.BANLI_WEBHOOK_ALLOW_NETWORKS ?? '', 'BANLI_WEBHOOK_ALLOW_NETWORKS')) {
    const [address, prefix] = cidr.split('/') as [string, string];
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    const list = new BlockList();
    list.addSubnet(address, Number(prefix), family);
    const opens = family === 'ipv4' ? ['127.0.0.1', '169.254.169.254'] : ['::1', 'fe80::1'];
    const opened = opens.find((a) => list.check(a, family));
    if (Number(prefix) < 8 || opened) {
      throw new ConfigError(`BANLI_WEBHOOK_ALLOW_NETWORKS may not hold ${cidr} in production: ${opened ? `it opens ${opened} (the host itself or its metadata service)` : 'it opens more than a /8'}`);
    }
  }
}

/** SASL and TLS to the brokers: KAFKA_SASL_MECHANISM with its user and password, KAFKA_TLS and KAFKA_TLS_CA_FILE. */
function kafkaSecurity(env: NodeJS.ProcessEnv, production: boolean): Pick<NonNullable<BanliConfig['kafka']>, 'sasl' | 'tls'> {
  const tls = env.KAFKA_TLS_CA_FILE !== undefined || flag(env.KAFKA_TLS ?? 'false', 'KAFKA_TLS');
  let ca: string[] | undefined;
  if (env.KAFKA_TLS_CA_FILE !== undefined) {
    try {
      ca = [readFileSync(env.KAFKA_TLS_CA_FILE, 'utf8')];
    } catch {
      throw new ConfigError(`KAFKA_TLS_CA_FILE cannot be read: ${env.KAFKA_TLS_CA_FILE}`);
    }
  }
  const mechanism = env.KAFKA_SASL_MECHANISM;
  if (mechanism === undefined) return tls ? { tls: ca ? { ca } : {} } : {};
  if (mechanism !== 'scram-sha-256' && mechanism !== 'scram-sha-512' && mechanism !== 'plain') throw new ConfigError(`KAFKA_SASL_MECHANISM must be scram-sha-256, scram-sha-512 or plain, got ${mechanism}`);
  if (!env.KAFKA_SASL_USERNAME || !env.KAFKA_SASL_PASSWORD) throw new ConfigError('KAFKA_SASL_MECHANISM needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD');
  // PLAIN sends the password as it is: only over TLS in production.
  if (production && mechanism === 'plain' && !tls) throw new ConfigError('KAFKA_SASL_MECHANISM=plain needs KAFKA_TLS=true in production: it sends the password in the clear');
  return { sasl: { mechanism, username: env.KAFKA_SASL_USERNAME, password: env.KAFKA_SASL_PASSWORD }, ...(tls ? { tls: ca ? { ca } : {} } : {}) };
}

function flag(value: string, name: string): boolean {
  if (value !== 'true' && value !== 'false') throw new ConfigError(`${name} must be true or false, got ${value}`);
  return value === 'true';
}

/** `10.20.0.0/16, 192.168.5.7/32`: networks, each an address and a prefix length. */
function cidrList(value: string, name: string): string[] {
  return value
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean)
    .map((cidr) => {
      const [address, prefix, extra] = cidr.split('/');
      const family = isIP(address ?? '');
      const bits = Number(prefix);
      if (extra !== undefined || family === 0 || !Number.isInteger(bits) || bits < 0 || bits > (family === 6 ? 128 : 32)) {
        throw new ConfigError(`${name} must list networks such as 10.20.0.0/16 or fd00::/8, got ${cidr}`);
      }
      return `${address}/${bits}`;
    });
}

function opsEndpoints(value: string): 'open' | 'token' {
  if (value !== 'open' && value !== 'token') throw new ConfigError(`BANLI_OPS_ENDPOINTS must be open or token, got ${value}`);
  return value;
}

/**
 * A 32-byte key (webhook, integrity): from its variable, 64 hexadecimal characters and not weak in
 * production; otherwise a file generated once into the secrets directory, which production refuses.
 */
function keySource(env: NodeJS.ProcessEnv, name: 'BANLI_WEBHOOK_KEY' | 'BANLI_INTEGRITY_KEY', file: string, production: boolean): BanliConfig['webhookKey'] {
  const value = env[name];
  if (value === undefined) {
    if (production) throw new ConfigError(`${name} is required in production: no key is generated there (make one with: openssl rand -hex 32)`);
    return { kind: 'file', file };
  }
  if (!/^[0-9a-fA-F]{64}$/.test(value)) throw new ConfigError(`${name} must be 64 hexadecimal characters (32 bytes)`);
  const weak = production ? weakSecret(value) : undefined;
  if (weak) throw new ConfigError(`${name} is refused in production: ${weak}; make one with: openssl rand -hex 32`);
  return { kind: 'env', key: Buffer.from(value, 'hex') };
}

/** An HS256 secret as given: long enough always, and not weak in production. */
function checkedJwtSecret(secret: string, name: string, production: boolean): string {
  if (secret.length < 32) throw new ConfigError(`${name} must be at least 32 characters (it has ${secret.length})`);
  const weak = production ? weakSecret(secret) : undefined;
  if (weak) throw new ConfigError(`${name} is refused in production: ${weak}; make one with: openssl rand -hex 32`);
  return secret;
}

/** The files Banli writes into its data and secrets directories: only these are narrowed to 0600. */
const BANLI_FILE = /^((events|read(-[a-z-]+)?|idempotency|personal-data)\.db(-wal|-shm|-journal)?|dev-jwt-secret|webhook-key|integrity-key|store-head\.json(\.tmp)?)$/;

/**
 * The data and secrets directories are the service's alone (0700). Files in them are created 0600: the
 * process's umask is narrowed once here, and what an older version left readable is narrowed too. Only
 * Banli's own files are touched, never through a symbolic link (a link planted there would otherwise turn
 * the chmod onto whatever file it names; a mounted secret stays as its mount made it), and a directory that existed before is narrowed only
 * when it holds Banli's files: pointing BANLI_DATA_DIR at a shared folder by mistake changes nothing else.
 */
function privateDirectory(dir: string): string {
  if (isMainThread) process.umask(0o077);
  const existed = existsSync(dir);
  if (existed && !statSync(dir).isDirectory()) throw new ConfigError(`${dir} must be a directory`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ours = readdirSync(dir).filter((name) => BANLI_FILE.test(name));
  if ((!existed || ours.length > 0) && (statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
  for (const name of ours) {
    const file = join(dir, name);
    const stat = lstatSync(file);
    if (stat.isFile() && (stat.mode & 0o077) !== 0) chmodSync(file, 0o600);
  }
  return dir;
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

/**
 * The development secret, generated once into the secrets directory and checked on every load: a file
 * emptied or cut short (a full disk, a hand edit) would otherwise let anyone sign with a short key.
 */
export function developmentSecret(secretsDir: string): string {
  const file = join(secretsDir, DEV_SECRET_FILE);
  createOnce(file, () => randomBytes(32).toString('hex'));
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < 32) throw new ConfigError(`${file} holds a secret of ${secret.length} characters (at least 32 are needed); delete the file to generate a new one, or set BANLI_JWT_SECRET`);
  return secret;
}

/**
 * Writes a generated secret atomically and exclusively: written aside in full, then linked into place,
 * which fails if another process got there first. So the file is never seen half written, and two
 * processes starting together on one directory end up with the same secret.
 */
function createOnce(file: string, generate: () => string): void {
  if (existsSync(file)) return;
  const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(aside, `${generate()}\n`, { mode: 0o600, flush: true });
  try {
    linkSync(aside, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(aside);
  }
}

/** The webhook key: from the environment, or generated once into the secrets directory. */
export function webhookKey(config: Pick<BanliConfig, 'webhookKey'>): Buffer {
  return keyOf(config.webhookKey);
}

/**
 * The key that signs the store's checkpoints: from the environment, or generated once into the secrets
 * directory. `create: false` (a verification) never makes one: undefined when there is none.
 */
export function integrityKey(config: Pick<BanliConfig, 'integrityKey'>, options: { create?: false } = {}): Buffer {
  if (options.create === false && config.integrityKey.kind === 'file' && !existsSync(config.integrityKey.file)) {
    throw new ConfigError(`There is no integrity key at ${config.integrityKey.file}: set BANLI_INTEGRITY_KEY, or BANLI_SECRETS_DIR to where the service keeps its secrets`);
  }
  return keyOf(config.integrityKey);
}

function keyOf(source: { readonly kind: 'env'; readonly key: Buffer } | { readonly kind: 'file'; readonly file: string }): Buffer {
  if (source.kind === 'env') return source.key;
  const file = source.file;
  createOnce(file, () => randomBytes(32).toString('hex'));
  const hex = readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new ConfigError(`${file} must hold 64 hexadecimal characters (it holds ${hex.length}); restore it from where the deployment keeps its secrets`);
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
