import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE, CONSOLE_PORT, PASSWORD, UNITS, USERS } from './console.fixture';

const ROOT = join(__dirname, '..', '..');
export const STATE_FILE = join(tmpdir(), `banli-console-test-${CONSOLE_PORT}.json`);

/** Starts the built service (npm run build first) on a fresh data directory, with the accounts and units the journeys use. */
export default async function globalSetup(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'banli-console-'));
  const env = { ...process.env, BANLI_DATA_DIR: dataDir, PORT: String(CONSOLE_PORT), BANLI_HOST: '127.0.0.1', BANLI_CONSOLE_DIR: join(ROOT, 'dist', 'console'), NODE_ENV: 'development' };
  const add = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'apps/standalone/src/banli.cli.ts'), 'user', 'add', 'admin', '--roles', 'admin,office', '--name', USERS.admin.name, '--password-stdin'], { env, input: `${PASSWORD}\n`, encoding: 'utf8' });
  if (add.status !== 0) throw new Error(`user add failed: ${add.stderr}${add.stdout}`);
  const service = spawn(process.execPath, [join(ROOT, 'dist/apps/standalone/src/main.js')], { env, stdio: ['ignore', 'ignore', 'inherit'], detached: false });
  writeFileSync(STATE_FILE, JSON.stringify({ pid: service.pid, dataDir }));
  await waitForHealth();
  const session = await fetch(`${BASE}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
  const cookie = session.headers.get('set-cookie')!.split(';')[0];
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  const put = async (path: string, body: unknown) => {
    const answer = await fetch(`${BASE}${path}`, { method: 'PUT', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken }, body: JSON.stringify(body) });
    if (!answer.ok) throw new Error(`PUT ${path}: ${answer.status} ${await answer.text()}`);
  };
  // Units first: a handler's or signer's unit must be in the directory.
  for (const [unitId, name] of Object.entries(UNITS)) await put(`/api/v1/units/${unitId}`, { name });
  for (const [id, user] of Object.entries(USERS)) if (id !== 'admin') await put(`/api/v1/users/${id}`, { ...user, password: PASSWORD });
}

async function waitForHealth(): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`${BASE}/health`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`The service did not answer on ${BASE}/health within 30 s`);
}
