import { BUILT_IN_RULE_SETS, parseRuleSet, type RuleSet } from '@banli/domain';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BlockList, isIP } from 'node:net';
import { checkedJwtSecret, developmentSecret, INTEGRITY_KEY_FILE, keySource, type KeySource, privateDirectory, refuseSharedSecrets, WEBHOOK_KEY_FILE } from './banli.secrets';
import { ConfigError } from './config-error';

export { ConfigError } from './config-error';
export { DEV_SECRET_FILE, developmentSecret, INTEGRITY_KEY_FILE, integrityKey, type KeySource, STORE_HEAD_FILE, WEBHOOK_KEY_FILE, weakPassword, weakSecret, webhookKey } from './banli.secrets';

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
  readonly webhookKey: KeySource;
  /** The key (32 bytes) that signs the store's checkpoints: BANLI_INTEGRITY_KEY, or a file in the secrets directory. Never in the store. */
  readonly integrityKey: KeySource;
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
  /**
   * Console sign-in through the OIDC issuer (authorization code + PKCE), where tokens are verified with its
   * JWKS: the client registered for the console, and where the issuer sends the browser back.
   */
  readonly oidc?: { readonly clientId: string; readonly clientSecret?: string; readonly redirectUrl: string; readonly scope: string };
  /** The built web console the standalone service serves at `/` (BANLI_CONSOLE_DIR, default dist/console); `off` serves none. */
  readonly consoleDir?: string;
  /** Console sessions: the longest one lasts, and how long one may sit unused, in seconds. */
  readonly session: { readonly ttlSeconds: number; readonly idleSeconds: number };
  /** Where webhooks may be delivered beyond public https addresses: the operator's networks, and plain http. */
  readonly webhooks: { readonly allowNetworks: readonly string[]; readonly allowHttp: boolean };
}

function oidcRedirect(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`BANLI_OIDC_REDIRECT_URL must be a URL, got ${value}`);
  }
  if (!url.pathname.endsWith('/api/v1/session/oidc/callback')) throw new ConfigError(`BANLI_OIDC_REDIRECT_URL must end in /api/v1/session/oidc/callback, got ${value}`);
  return url.toString();
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
    ...(jwt.kind === 'jwks'
      ? {
          oidc: {
            clientId: env.BANLI_OIDC_CLIENT_ID ?? jwt.audience,
            ...(env.BANLI_OIDC_CLIENT_SECRET ? { clientSecret: env.BANLI_OIDC_CLIENT_SECRET } : {}),
            redirectUrl: oidcRedirect(env.BANLI_OIDC_REDIRECT_URL ?? `http://localhost:${port}/api/v1/session/oidc/callback`),
            scope: env.BANLI_OIDC_SCOPE ?? 'openid profile',
          },
        }
      : {}),
    ...(env.BANLI_CONSOLE_DIR === 'off' ? {} : { consoleDir: resolve(env.BANLI_CONSOLE_DIR ?? 'dist/console') }),
    idempotencyTtlSeconds: durationSeconds(env.BANLI_IDEMPOTENCY_TTL ?? '24h', 'BANLI_IDEMPOTENCY_TTL'),
    session: {
      ttlSeconds: durationSeconds(env.BANLI_SESSION_TTL ?? '8h', 'BANLI_SESSION_TTL'),
      idleSeconds: durationSeconds(env.BANLI_SESSION_IDLE ?? '30m', 'BANLI_SESSION_IDLE'),
    },
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

function positive(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`${name} must be a whole number ≥ 1, got ${value}`);
  return n;
}

/** The read database of this process: the standalone service's `read.db`, or one per distributed service. */
export function readDatabaseFile(config: BanliConfig): string {
  return join(config.dataDir, config.service === 'standalone' ? 'read.db' : `read-${config.service}.db`);
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
