/**
 * npm run bench:api — mixed lifecycle commands over HTTP against the standalone service (built, in its
 * own process, on a fresh data directory), driven by autocannon at 32 connections.
 *
 * Each connection walks items through their lives: submit, register, assign, acknowledge, contact,
 * co-opinion, draft, sign, dispatch, evaluate — ten commands an item, every one a real decision.
 */
import autocannon from 'autocannon';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';

const SECRET = 'bench-secret-that-is-at-least-32-characters';
const PORT = Number(process.env.BENCH_PORT ?? 3917);
const CONNECTIONS = 32;
const DURATION = Number(process.env.BENCH_SECONDS ?? 20);
const base = `http://127.0.0.1:${PORT}`;

const token = (sub: string, roles: string[], unit?: string) =>
  new SignJWT({ roles, ...(unit ? { unit } : {}) }).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuedAt().setExpirationTime('2h').sign(new TextEncoder().encode(SECRET));

async function waitForHealth(child: ChildProcess): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error('the service exited');
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the service did not become healthy');
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'banli-bench-api-'));
  const server = spawn(process.execPath, ['dist/apps/standalone/src/main.js'], {
    env: { ...process.env, PORT: String(PORT), BANLI_DATA_DIR: dataDir, BANLI_JWT_SECRET: SECRET },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitForHealth(server);
    const auth = {
      office: `Bearer ${await token('clerk', ['office', 'admin'])}`,
      edu: `Bearer ${await token('h-edu', ['handler'], 'cq-edu')}`,
      health: `Bearer ${await token('h-health', ['handler'], 'cq-health')}`,
      signer: `Bearer ${await token('s-edu', ['signer'], 'cq-edu')}`,
      proposer: `Bearer ${await token('dep-tan', ['proposer'])}`,
    };
    for (const [unitId, name] of [['cq-edu', '市教委'], ['cq-health', '市卫生健康委']]) {
      await fetch(`${base}/api/v1/units/${unitId}`, { method: 'PUT', headers: { authorization: auth.office, 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
    }

    let counter = 0;
    const json = { 'content-type': 'application/json' };
    type Ctx = { id?: string };
    const step = (who: keyof typeof auth, method: 'POST' | 'PUT', path: (ctx: Ctx) => string, body: (ctx: Ctx) => object) => ({
      method,
      setupRequest: (req: Record<string, unknown>, ctx: Ctx) => ({ ...req, path: path(ctx), headers: { ...json, authorization: auth[who] }, body: JSON.stringify(body(ctx)) }),
    });
    const reply = { documentNumber: '渝教议函〔2025〕49号', resultClass: 'B', body: '现将办理情况答复如下……', contactPerson: '张老师', contactPhone: '023-63862000', disclose: true };
    const requests = [
      {
        ...step('office', 'POST', () => '/api/v1/proposals', () => ({
          number: `B${process.pid}-${++counter}`,
          session: '六届三次',
          kind: 'npc-suggestion',
          title: '关于加强未成年人心理健康的建议',
          body: '建议……',
          proposers: [{ id: 'dep-tan', name: '谭理', lead: true }],
        })),
        onResponse: (status: number, body: string, ctx: Ctx) => {
          if (status === 201) ctx.id = JSON.parse(body).id;
        },
      },
      step('office', 'POST', (c) => `/api/v1/proposals/${c.id}/registration`, () => ({ decision: 'accepted' })),
      step('office', 'POST', (c) => `/api/v1/proposals/${c.id}/assignment`, () => ({ mode: 'lead-with-co', leadUnits: ['cq-edu'], coUnits: ['cq-health'] })),
      step('edu', 'POST', (c) => `/api/v1/proposals/${c.id}/acknowledgements`, () => ({})),
      step('edu', 'POST', (c) => `/api/v1/proposals/${c.id}/contacts`, () => ({ stage: 'before', channel: 'phone', summary: '电话沟通' })),
      step('health', 'PUT', (c) => `/api/v1/proposals/${c.id}/co-opinions/cq-health`, () => ({ content: '协办意见' })),
      step('edu', 'PUT', (c) => `/api/v1/proposals/${c.id}/replies/cq-edu`, () => reply),
      step('signer', 'POST', (c) => `/api/v1/proposals/${c.id}/replies/cq-edu/signature`, () => ({})),
      step('edu', 'POST', (c) => `/api/v1/proposals/${c.id}/replies/cq-edu/dispatch`, () => ({})),
      step('proposer', 'POST', (c) => `/api/v1/proposals/${c.id}/evaluations`, () => ({ satisfaction: 'satisfied' })),
    ];

    console.log(`Banli API benchmark — ${new Date().toISOString()}, node ${process.version}, ${CONNECTIONS} connections, ${DURATION} s, mixed lifecycle commands\n`);
    const result = await autocannon({ url: base, connections: CONNECTIONS, duration: DURATION, requests: requests as never });
    const errors = result.non2xx + result.errors + result.timeouts;
    console.log(`commands: ${result.requests.total} in ${result.duration} s (${errors} non-2xx or failed)`);
    console.log(`throughput: ${result.requests.average.toFixed(0)} commands/s (mean), ${result.requests.p50} p50 per second`);
    console.log(`latency: p50 ${result.latency.p50} ms, p90 ${result.latency.p90} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`);
    console.log('\nTargets');
    console.log(`  ≥ 1,500 commands/s: ${result.requests.average >= 1500 ? 'MET' : 'MISSED'} (${result.requests.average.toFixed(0)})`);
    console.log(`  p99 < 50 ms: ${result.latency.p99 < 50 ? 'MET' : 'MISSED'} (${result.latency.p99} ms)`);
    console.log(`  no failed commands: ${errors === 0 ? 'MET' : 'MISSED'} (${errors})`);
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
