import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { ConfigError } from './config-error';

/* The secrets Banli reads or generates, what production refuses of them, and the private directories that hold them. */

/** A 32-byte key: given in the environment, or kept in a file of the secrets directory. */
export type KeySource = { readonly kind: 'env'; readonly key: Buffer } | { readonly kind: 'file'; readonly file: string };

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
export function refuseSharedSecrets(values: ReadonlyArray<readonly [string, string | undefined]>): void {
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
 * A 32-byte key (webhook, integrity): from its variable, 64 hexadecimal characters and not weak in
 * production; otherwise a file generated once into the secrets directory, which production refuses.
 */
export function keySource(env: NodeJS.ProcessEnv, name: 'BANLI_WEBHOOK_KEY' | 'BANLI_INTEGRITY_KEY', file: string, production: boolean): KeySource {
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
export function checkedJwtSecret(secret: string, name: string, production: boolean): string {
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
export function privateDirectory(dir: string): string {
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
export function webhookKey(config: { readonly webhookKey: KeySource }): Buffer {
  return keyOf(config.webhookKey);
}

/**
 * The key that signs the store's checkpoints: from the environment, or generated once into the secrets
 * directory. `create: false` (a verification) never makes one: undefined when there is none.
 */
export function integrityKey(config: { readonly integrityKey: KeySource }, options: { create?: false } = {}): Buffer {
  if (options.create === false && config.integrityKey.kind === 'file' && !existsSync(config.integrityKey.file)) {
    throw new ConfigError(`There is no integrity key at ${config.integrityKey.file}: set BANLI_INTEGRITY_KEY, or BANLI_SECRETS_DIR to where the service keeps its secrets`);
  }
  return keyOf(config.integrityKey);
}

function keyOf(source: KeySource): Buffer {
  if (source.kind === 'env') return source.key;
  const file = source.file;
  createOnce(file, () => randomBytes(32).toString('hex'));
  const hex = readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new ConfigError(`${file} must hold 64 hexadecimal characters (it holds ${hex.length}); restore it from where the deployment keeps its secrets`);
  return Buffer.from(hex, 'hex');
}

/** Passwords of local accounts are at least this long. */
export const MIN_PASSWORD_LENGTH = 12;

/**
 * Why a password of a local account is too weak, if it is: shorter than 12 characters, holding the user's
 * own id or name, or weak as a secret is (a placeholder word, a repeated unit, a keyboard run). Spaces are allowed.
 */
export function weakPassword(password: string, personal: readonly string[]): string | undefined {
  if ([...password].length < MIN_PASSWORD_LENGTH) return `it has fewer than ${MIN_PASSWORD_LENGTH} characters`;
  const lower = password.toLowerCase();
  if (personal.some((p) => p.length >= 3 && lower.includes(p.toLowerCase()))) return 'it contains the user’s id or name';
  return weakSecret(password.replace(/\s+/g, ''));
}
