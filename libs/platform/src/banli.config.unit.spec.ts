import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DEV_SECRET_FILE, durationSeconds, loadConfig, WEBHOOK_KEY_FILE, webhookKey, weakSecret } from './banli.config';

const STRONG = '9f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6b5a4';
const STRONG_KEY = '4fb64cf975829c0b16ba4576b4c01a413379b1e41e420f6817409abb9c258772';

describe('configuration: secrets, production, files', () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'banli-config-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  /** A file readable by all, as another program (or an older version) would leave it, whatever the umask. */
  const writeReadable = (file: string) => {
    writeFileSync(file, 'x');
    chmodSync(file, 0o644);
  };

  describe('in production (NODE_ENV=production)', () => {
    const prod = (env: Record<string, string>) => () => loadConfig({ NODE_ENV: 'production', BANLI_DATA_DIR: dir(), BANLI_INTEGRITY_KEY: STRONG_KEY.split('').reverse().join(''), ...env });

    it('refuses to generate secrets: the variable must be set', () => {
      expect(prod({ BANLI_WEBHOOK_KEY: STRONG_KEY })).toThrow(/BANLI_JWT_SECRET .*required in production/);
      expect(prod({ BANLI_JWT_SECRET: STRONG })).toThrow(/BANLI_WEBHOOK_KEY is required in production/);
      expect(() => loadConfig({ NODE_ENV: 'production', BANLI_DATA_DIR: dir(), BANLI_JWT_SECRET: STRONG, BANLI_WEBHOOK_KEY: STRONG_KEY })).toThrow(/BANLI_INTEGRITY_KEY is required in production/);
      expect(prod({ BANLI_JWT_SECRET: STRONG, BANLI_WEBHOOK_KEY: STRONG_KEY, BANLI_INTEGRITY_KEY: '0'.repeat(64) })).toThrow(/BANLI_INTEGRITY_KEY is refused in production/);
    });

    it.each([
      ['the Kubernetes example’s text', 'change-me-to-at-least-32-random-characters'],
      ['one repeated character', 'a'.repeat(40)],
      ['spaces', 'correct horse battery staple and more words'],
      ['a short pattern', 'abcabcabcabcabcabcabcabcabcabcabcabc'],
      ['a placeholder word inside', 'Xk9#mQ2vL7pR4wT8yN3bZ6cF1hJ5dS0g-replace'],
      ['a longer unit repeated', 'k9Xq2Lm7Pw4Rk9Xq2Lm7Pw4Rk9Xq2Lm7Pw4Rk9Xq'],
      ['a keyboard row', 'qwertyuiopasdfghjklzxcvbnm1234567890QWERTY'],
      ['an ascending run', 'x1234567890abcdefghijklmnopqrstuvwxyzABCD'],
    ])('refuses BANLI_JWT_SECRET with %s, naming it', (_what, secret) => {
      expect(prod({ BANLI_JWT_SECRET: secret, BANLI_WEBHOOK_KEY: STRONG_KEY })).toThrow(ConfigError);
      expect(prod({ BANLI_JWT_SECRET: secret, BANLI_WEBHOOK_KEY: STRONG_KEY })).toThrow(/BANLI_JWT_SECRET is refused in production/);
    });

    it.each([
      ['the example’s zeros', '0'.repeat(64)],
      ['one repeated digit', 'f'.repeat(64)],
      ['two digits', 'ab'.repeat(32)],
    ])('refuses BANLI_WEBHOOK_KEY with %s', (_what, key) => {
      expect(prod({ BANLI_JWT_SECRET: STRONG, BANLI_WEBHOOK_KEY: key })).toThrow(/BANLI_WEBHOOK_KEY is refused in production/);
    });

    it('refuses one value for two secrets, naming both', () => {
      const hex = STRONG_KEY;
      expect(prod({ BANLI_JWT_SECRET: hex, BANLI_WEBHOOK_KEY: hex })).toThrow(/BANLI_WEBHOOK_KEY is the same value as BANLI_JWT_SECRET/);
      expect(prod({ BANLI_JWT_SECRET: STRONG, BANLI_WEBHOOK_KEY: hex, BANLI_INTEGRITY_KEY: hex.toUpperCase() })).toThrow(/BANLI_INTEGRITY_KEY is the same value as BANLI_WEBHOOK_KEY/);
    });

    it.each([
      ['a JWKS URL over plain http', { BANLI_JWT_JWKS_URL: 'http://sso.example/jwks', BANLI_JWT_ISSUER: 'https://sso.example', BANLI_JWT_AUDIENCE: 'banli' }, /BANLI_JWT_JWKS_URL must be https in production/],
      ['tokens valid for more than a day', { BANLI_JWT_MAX_LIFETIME: '7d' }, /BANLI_JWT_MAX_LIFETIME may be at most 24h/],
      ['a webhook network holding loopback', { BANLI_WEBHOOK_ALLOW_NETWORKS: '10.0.0.0/8, 127.0.0.0/8' }, /127.0.0.0\/8 .*opens 127.0.0.1/],
      ['a webhook network holding the metadata address', { BANLI_WEBHOOK_ALLOW_NETWORKS: '169.254.0.0/16' }, /opens 169.254.169.254/],
      ['a webhook network wider than /8', { BANLI_WEBHOOK_ALLOW_NETWORKS: '192.0.0.0/7' }, /more than a \/8/],
      ['an IPv6 network holding loopback', { BANLI_WEBHOOK_ALLOW_NETWORKS: '::/8' }, /opens ::1/],
    ])('refuses %s', (_what, env, message) => {
      expect(prod({ BANLI_JWT_SECRET: STRONG, BANLI_WEBHOOK_KEY: STRONG_KEY, ...env })).toThrow(message);
    });

    it('allows an intranet webhook network and a day-long token lifetime', () => {
      expect(prod({ BANLI_JWT_SECRET: STRONG, BANLI_WEBHOOK_KEY: STRONG_KEY, BANLI_WEBHOOK_ALLOW_NETWORKS: '10.20.0.0/16', BANLI_JWT_MAX_LIFETIME: '24h' })()).toMatchObject({ webhooks: { allowNetworks: ['10.20.0.0/16'] } });
    });

    it('starts with strong secrets, and closes /metrics and /api/docs by default', () => {
      expect(prod({ BANLI_JWT_SECRET: STRONG, BANLI_WEBHOOK_KEY: STRONG_KEY })()).toMatchObject({ production: true, http: { opsEndpoints: 'token' } });
    });
  });

  it('refuses a short secret anywhere, and a JWKS issuer without issuer and audience', () => {
    expect(() => loadConfig({ BANLI_DATA_DIR: dir(), BANLI_JWT_SECRET: 'short' })).toThrow(/BANLI_JWT_SECRET must be at least 32 characters/);
    expect(() => loadConfig({ BANLI_DATA_DIR: dir(), BANLI_JWT_JWKS_URL: 'https://sso.example/jwks' })).toThrow(/BANLI_JWT_ISSUER and BANLI_JWT_AUDIENCE/);
    expect(() => loadConfig({ BANLI_DATA_DIR: dir(), BANLI_JWT_JWKS_URL: 'https://sso.example/jwks', BANLI_JWT_ISSUER: 'https://sso.example' })).toThrow(/BANLI_JWT_AUDIENCE/);
  });

  it('checks a generated development secret on every load: an emptied file is refused, not used as a zero-length key', () => {
    const data = dir();
    const first = loadConfig({ BANLI_DATA_DIR: data });
    expect(first.jwt).toMatchObject({ kind: 'hs256', generated: true });
    expect(readFileSync(join(data, DEV_SECRET_FILE), 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(loadConfig({ BANLI_DATA_DIR: data }).jwt).toEqual(first.jwt);
    writeFileSync(join(data, DEV_SECRET_FILE), '');
    expect(() => loadConfig({ BANLI_DATA_DIR: data })).toThrow(/holds a secret of 0 characters/);
    // Nothing half written is left beside it.
    expect(readdirSync(data).filter((f) => f.startsWith(`${DEV_SECRET_FILE}.`))).toEqual([]);
  });

  it('keeps generated secrets in BANLI_SECRETS_DIR, and the data and secrets directories private', () => {
    const data = dir();
    const secrets = join(dir(), 'secrets');
    chmodSync(data, 0o755);
    writeReadable(join(data, 'events.db'));
    const config = loadConfig({ BANLI_DATA_DIR: data, BANLI_SECRETS_DIR: secrets });
    webhookKey(config);
    expect(readdirSync(secrets).sort()).toEqual([DEV_SECRET_FILE, WEBHOOK_KEY_FILE]);
    expect(readdirSync(data)).not.toContain(DEV_SECRET_FILE);
    for (const d of [data, secrets]) expect(statSync(d).mode & 0o777).toBe(0o700);
    for (const f of [join(secrets, DEV_SECRET_FILE), join(secrets, WEBHOOK_KEY_FILE), join(data, 'events.db')]) expect(statSync(f).mode & 0o777).toBe(0o600);
  });

  it('narrows only its own files, never through a link, and leaves a shared folder it was pointed at as it was', () => {
    const data = dir();
    const elsewhere = join(dir(), 'someone-elses.txt');
    writeReadable(elsewhere);
    writeReadable(join(data, 'notes.txt'));
    symlinkSync(elsewhere, join(data, 'read.db'));
    loadConfig({ BANLI_DATA_DIR: data, BANLI_SECRETS_DIR: join(dir(), 'secrets') });
    expect(statSync(elsewhere).mode & 0o777).toBe(0o644);
    expect(statSync(join(data, 'notes.txt')).mode & 0o777).toBe(0o644);

    const shared = dir();
    chmodSync(shared, 0o755);
    writeReadable(join(shared, 'report.xlsx'));
    loadConfig({ BANLI_DATA_DIR: shared, BANLI_SECRETS_DIR: join(dir(), 'secrets') });
    expect(statSync(shared).mode & 0o777).toBe(0o755);
    expect(statSync(join(shared, 'report.xlsx')).mode & 0o777).toBe(0o644);
  });

  it('reads durations and judges secrets', () => {
    expect([durationSeconds('900', 'X'), durationSeconds('15m', 'X'), durationSeconds('12h', 'X'), durationSeconds('7d', 'X')]).toEqual([900, 900, 43_200, 604_800]);
    expect(() => durationSeconds('soon', 'BANLI_JWT_MAX_LIFETIME')).toThrow(/BANLI_JWT_MAX_LIFETIME must be a duration/);
    expect(weakSecret(STRONG)).toBeUndefined();
    expect(weakSecret(STRONG_KEY)).toBeUndefined();
    expect(weakSecret('0'.repeat(64))).toMatch(/distinct characters/);
    expect(weakSecret('change-me-to-at-least-32-random-characters')).toMatch(/placeholder/);
  });
});
