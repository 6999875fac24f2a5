import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MAIN = join(__dirname, '../../dist/apps/standalone/src/main.js');
const STRONG = '9f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6b5a4';
const STRONG_KEY = '4fb64cf975829c0b16ba4576b4c01a413379b1e41e420f6817409abb9c258772';
const INTEGRITY_KEY = '8c36a5fa5a9640a43ed6ad5676223e557dfbcdfe2fefe3892b313d4ad5ec6eb4';

/** `npm start` as an operator runs it in production: weak or missing secrets stop it, naming the variable. */
describe('a production start (NODE_ENV=production), the built service', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const env = (extra: Record<string, string>) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'banli-prod-'));
    dirs.push(dataDir);
    const { BANLI_JWT_SECRET: _s, BANLI_WEBHOOK_KEY: _k, ...rest } = process.env;
    return { ...rest, NODE_ENV: 'production', BANLI_DATA_DIR: dataDir, BANLI_SCHEDULER: 'off', PORT: '0', BANLI_INTEGRITY_KEY: INTEGRITY_KEY, ...extra };
  };
  const run = (extra: Record<string, string>) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [MAIN], { env: env(extra), stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => child.kill(), 20_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, stderr });
      });
    });

  it.each([
    ['no BANLI_JWT_SECRET', { BANLI_WEBHOOK_KEY: STRONG_KEY }, 'BANLI_JWT_SECRET'],
    ['the Kubernetes example’s BANLI_JWT_SECRET', { BANLI_JWT_SECRET: 'change-me-to-at-least-32-random-characters', BANLI_WEBHOOK_KEY: STRONG_KEY }, 'BANLI_JWT_SECRET'],
    ['a short BANLI_JWT_SECRET', { BANLI_JWT_SECRET: 'tooshort', BANLI_WEBHOOK_KEY: STRONG_KEY }, 'BANLI_JWT_SECRET'],
    ['a BANLI_JWT_SECRET of spaces', { BANLI_JWT_SECRET: ' '.repeat(40), BANLI_WEBHOOK_KEY: STRONG_KEY }, 'BANLI_JWT_SECRET'],
    ['no BANLI_WEBHOOK_KEY', { BANLI_JWT_SECRET: STRONG }, 'BANLI_WEBHOOK_KEY'],
    ['the example’s BANLI_WEBHOOK_KEY', { BANLI_JWT_SECRET: STRONG, BANLI_WEBHOOK_KEY: '0'.repeat(64) }, 'BANLI_WEBHOOK_KEY'],
    ['a short BANLI_WEBHOOK_KEY', { BANLI_JWT_SECRET: STRONG, BANLI_WEBHOOK_KEY: 'abcd' }, 'BANLI_WEBHOOK_KEY'],
    ['the example’s BANLI_INTEGRITY_KEY', { BANLI_JWT_SECRET: STRONG, BANLI_WEBHOOK_KEY: STRONG_KEY, BANLI_INTEGRITY_KEY: 'f'.repeat(64) }, 'BANLI_INTEGRITY_KEY'],
    ['a BANLI_WEBHOOK_KEY made of one unit repeated', { BANLI_JWT_SECRET: STRONG, BANLI_WEBHOOK_KEY: '6482d5b70e9cec91'.repeat(4) }, 'BANLI_WEBHOOK_KEY'],
    ['one value for BANLI_WEBHOOK_KEY and BANLI_INTEGRITY_KEY', { BANLI_JWT_SECRET: STRONG, BANLI_WEBHOOK_KEY: STRONG_KEY, BANLI_INTEGRITY_KEY: STRONG_KEY }, 'BANLI_INTEGRITY_KEY'],
    ['a BANLI_JWT_JWKS_URL over http', { BANLI_JWT_JWKS_URL: 'http://sso.internal/jwks', BANLI_JWT_ISSUER: 'https://sso.internal', BANLI_JWT_AUDIENCE: 'banli', BANLI_WEBHOOK_KEY: STRONG_KEY }, 'BANLI_JWT_JWKS_URL'],
  ])('with %s: exit 1, naming the variable', async (_what, extra, variable) => {
    const { code, stderr } = await run(extra);
    expect(code).toBe(1);
    expect(stderr).toContain(variable);
  }, 30_000);

  it.each(['webhook-key', 'integrity-key'])('a development start with a %s file cut short: exit 1, naming the file and why', async (file) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'banli-dev-'));
    dirs.push(dataDir);
    writeFileSync(join(dataDir, file), '3f2a\n');
    const { NODE_ENV: _n, BANLI_WEBHOOK_KEY: _k, BANLI_INTEGRITY_KEY: _i, ...rest } = process.env;
    const child = spawn(process.execPath, [MAIN], { env: { ...rest, BANLI_DATA_DIR: dataDir, BANLI_SCHEDULER: 'off', PORT: '0' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill(), 20_000);
      child.on('exit', (c) => (clearTimeout(timer), resolve(c)));
    });
    expect(code).toBe(1);
    expect(stderr).toContain(`${join(dataDir, file)} must hold 64 hexadecimal characters (it holds 4)`);
  }, 30_000);

  it('with strong secrets it listens on BANLI_HOST only, and keeps /metrics for operators', async () => {
    const port = String(20_000 + Math.floor(Math.random() * 20_000));
    const child: ChildProcess = spawn(process.execPath, [MAIN], { env: env({ BANLI_JWT_SECRET: STRONG, BANLI_WEBHOOK_KEY: STRONG_KEY, BANLI_HOST: '127.0.0.2', PORT: port }), stdio: 'ignore' });
    try {
      let health = 0;
      for (let waited = 0; health !== 200 && waited < 20_000; waited += 200) {
        await new Promise((r) => setTimeout(r, 200));
        health = await fetch(`http://127.0.0.2:${port}/health`).then((r) => r.status, () => 0);
      }
      expect(health).toBe(200);
      expect(await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status, () => 'refused')).toBe('refused');
      expect((await fetch(`http://127.0.0.2:${port}/metrics`)).status).toBe(401);
    } finally {
      child.kill();
    }
  }, 30_000);
});
