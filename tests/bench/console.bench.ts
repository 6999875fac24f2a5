/**
 * npm run bench:console — the console's two speed targets, measured in one run:
 *
 * 1. Server time of the list and item pages at 100,000 items (BENCH_ITEMS): the store is built once into
 *    ~/.cache/banli-bench (BENCH_FRESH=1 builds it again) with items in every phase (registered, assigned,
 *    replied, rated, closed) over 200 units, the read model rebuilt from it, then the standalone service
 *    started on that data directory. Each list query a console screen sends (workbench counts, filters,
 *    text, sorts, pages) and the item page are asked ROUNDS times over loopback HTTP, one at a time; p50 and
 *    p99 are printed per query. Raw: the same list's SQL on better-sqlite3 alone (no HTTP, no Nest), the
 *    floor. Target: every p99 < 100 ms.
 * 2. The first load's JavaScript, gzipped: the entry and what it imports, plus the login page's chunk
 *    (for /login) and the layout's and workbench's chunks (for /workbench), read from Vite's manifest
 *    of dist/console (npm run build first). Target: < 300 KB each.
 */
import { proposalStreamId } from '@banli/domain';
import { SqliteEventStore } from '@banli/event-store';
import type { loadConfig as LoadConfig } from '@banli/platform';
import { replayReadModel } from '@banli/read-model';
import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { SignJWT } from 'jose';
import type { createApp as CreateApp } from '../../apps/standalone/src/bootstrap';
import { STANDALONE_PROJECTIONS as projections } from '../../apps/standalone/src/read-projections';
import { cachedStore } from './bench-cache';
import { handler, type Item, office, signer, submitted } from './bench-items';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const SECRET = 'bench-secret-that-is-at-least-32-characters-long';
const TARGET_MS = 100;
const TARGET_KB = 300;

/** Item n in one of five phases, so every filter has something to find and something to skip. */
function item(n: number): Item {
  const lead = `u-${n % 200}`;
  const at = (day: string) => `${day}T02:00:00.000Z`;
  const it = submitted(n, at('2025-03-05'));
  if (n % 5 === 0) return it;
  it.run('AssignProposal', { mode: 'lead-with-co', leadUnits: [lead], coUnits: [], supervisingUnits: ['u-gov'] }, office, at('2025-03-10'));
  if (n % 5 === 1) return it;
  it.run('AcknowledgeAssignment', { unitId: lead }, handler(lead), at('2025-03-11'))
    .run('DraftReply', { unitId: lead, documentNumber: `渝议函〔2025〕${n}号`, resultClass: 'B', body: '现将办理情况答复如下……', contactPerson: '张老师', contactPhone: 'pii:v1:0000000000000000:AAAA', cc: [], disclose: true, commitments: [] }, handler(lead), at('2025-05-20'))
    .run('SignReply', { unitId: lead }, signer(lead), at('2025-05-21'))
    .run('DispatchReply', { unitId: lead }, handler(lead), at('2025-05-22'));
  if (n % 5 === 2) return it;
  it.run('EvaluateReply', { satisfaction: n % 3 === 0 ? 'basically-satisfied' : 'satisfied' }, { id: `dep-${n % 500}`, roles: ['proposer'] }, at('2025-05-30'));
  if (n % 5 === 3) return it;
  return it.run('CloseProposal', {}, office, at('2025-06-02'));
}

async function generate(file: string): Promise<void> {
  const store = new SqliteEventStore({ file, synchronous: 'NORMAL' });
  let pending: Promise<unknown>[] = [];
  let events = 0;
  for (let n = 0; n < ITEMS; n++) {
    const it = item(n);
    pending.push(store.append(proposalStreamId(it.id), it.events, 'no-stream'));
    events += it.events.length;
    if (pending.length >= 256) (await Promise.all(pending), (pending = []));
    if (n % 10_000 === 0) process.stdout.write(`\r  generating: ${n.toLocaleString('en')} items, ${events.toLocaleString('en')} events`);
  }
  await Promise.all(pending);
  await store.close();
  console.log(`\r  generated ${ITEMS.toLocaleString('en')} items, ${events.toLocaleString('en')} events`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function timed(label: string, run: () => Promise<void> | void, rounds = ROUNDS): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 5; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const result = { p50: percentile(times, 50), p99: percentile(times, 99) };
  console.log(`${label.padEnd(64)} p50 ${result.p50.toFixed(1).padStart(6)} ms   p99 ${result.p99.toFixed(1).padStart(6)} ms`);
  return result;
}

function firstLoadKb(): { route: string; kb: number }[] {
  const dir = join(__dirname, '..', '..', 'dist', 'console');
  const manifest = JSON.parse(readFileSync(join(dir, '.vite', 'manifest.json'), 'utf8')) as Record<string, { file: string; imports?: string[] }>;
  const closure = (keys: string[]) => {
    const seen = new Set<string>();
    const visit = (key: string) => {
      if (seen.has(key)) return;
      seen.add(key);
      for (const next of manifest[key]?.imports ?? []) visit(next);
    };
    keys.forEach(visit);
    return [...seen].map((k) => manifest[k].file).filter((f) => f.endsWith('.js'));
  };
  const gz = (files: string[]) => files.reduce((sum, f) => sum + gzipSync(readFileSync(join(dir, f))).length, 0) / 1024;
  return [
    { route: '/login', kb: gz(closure(['index.html', 'src/pages/LoginPage.vue'])) },
    { route: '/workbench', kb: gz(closure(['index.html', 'src/layouts/ConsoleLayout.vue', 'src/pages/WorkbenchPage.vue'])) },
  ];
}

async function main(): Promise<void> {
  const file = await cachedStore(`console-${ITEMS}-v1.db`, `${ITEMS.toLocaleString('en')} items`, generate);

  const dataDir = mkdtempSync(join(tmpdir(), 'banli-bench-console-'));
  copyFileSync(file, join(dataDir, 'events.db'));
  const store = new SqliteEventStore({ file: join(dataDir, 'events.db') });
  let started = performance.now();
  await replayReadModel({ store, readFile: join(dataDir, 'read.db'), projections, shards: 2 });
  await store.close();
  console.log(`read model rebuilt in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  // The service as npm start runs it: the compiled build (Nest needs the decorator metadata tsc emits).
  const { createApp } = require('../../dist/apps/standalone/src/bootstrap') as { createApp: typeof CreateApp };
  const { loadConfig } = require('../../dist/libs/platform/src') as { loadConfig: typeof LoadConfig };
  const config = loadConfig({ PATH: process.env.PATH, BANLI_DATA_DIR: dataDir, BANLI_JWT_SECRET: SECRET, BANLI_SCHEDULER: 'off', BANLI_CONSOLE_DIR: 'off', PORT: '0' });
  const app = await createApp(config, { clock: () => new Date('2025-07-01T02:00:00Z'), logger: false });
  await app.listen(0, '127.0.0.1');
  const base = await app.getUrl();
  const bearer = async (claims: Record<string, unknown>, sub: string) => `Bearer ${await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuedAt().setExpirationTime('1h').sign(new TextEncoder().encode(SECRET))}`;
  const clerk = await bearer({ roles: ['office'] }, 'clerk-1');
  const unitHandler = await bearer({ roles: ['handler'], unit: 'u-7' }, 'handler@u-7');
  const get = async (path: string, auth = clerk) => {
    const res = await fetch(`${base}${path}`, { headers: { authorization: auth } });
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  };

  console.log(`\nserver time over loopback HTTP at ${ITEMS.toLocaleString('en')} items, ${ROUNDS} rounds each:`);
  const queries: [string, string, string?][] = [
    ['list, first page (office)', '/api/v1/proposals?pageSize=20'],
    ['list, page 2,000 (office)', '/api/v1/proposals?pageSize=20&page=2000'],
    ['workbench count: status=submitted', '/api/v1/proposals?status=submitted&pageSize=1'],
    ['workbench count: light=red', '/api/v1/proposals?light=red&pageSize=1'],
    ['workbench count: awaiting=rating', '/api/v1/proposals?awaiting=rating&pageSize=1'],
    ['filters: session + kind + status + rating', `/api/v1/proposals?session=${encodeURIComponent('六届三次')}&kind=npc-suggestion&status=replied&rating=satisfied&pageSize=20`],
    ['filter: unit, sorted by due date', '/api/v1/proposals?unit=u-7&sort=due&pageSize=20'],
    ['text: title contains a word', `/api/v1/proposals?q=${encodeURIComponent('第4242件')}&pageSize=20`],
    ['number starts with', '/api/v1/proposals?number=0424&pageSize=20'],
    ['handler’s own list, awaiting acknowledgement', '/api/v1/proposals?awaiting=acknowledgement&pageSize=20', unitHandler],
    ['item page: GET /proposals/{id} (a closed item)', `/api/v1/proposals/bench-${String(4244).padStart(6, '0')}`],
  ];
  let worst = 0;
  for (const [label, path, auth] of queries) worst = Math.max(worst, (await timed(label, () => get(path, auth))).p99);

  // Raw: the first page's SQL on better-sqlite3 alone, with its count.
  const db = new Database(join(dataDir, 'read.db'), { readonly: true });
  const rawList = db.prepare('SELECT p.* FROM rm_proposals p ORDER BY p.submitted_at DESC, p.proposal_id LIMIT 20');
  const rawCount = db.prepare('SELECT count(*) FROM rm_proposals p').pluck();
  const raw = await timed('raw better-sqlite3: first page + count (no HTTP)', () => {
    rawList.all();
    rawCount.get();
  });
  const served = await timed('the same page through the service', () => get('/api/v1/proposals?pageSize=20'));
  db.close();
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });

  console.log('\nfirst load, gzipped JavaScript (dist/console):');
  const sizes = firstLoadKb();
  for (const s of sizes) console.log(`  ${s.route.padEnd(12)} ${s.kb.toFixed(1).padStart(7)} KB  (target < ${TARGET_KB}: ${s.kb < TARGET_KB ? 'met' : 'MISSED'})`);
  console.log(`\nworst p99 ${worst.toFixed(1)} ms (target < ${TARGET_MS}: ${worst < TARGET_MS ? 'met' : 'MISSED'}); service ÷ raw on the first page, p50: ${(served.p50 / raw.p50).toFixed(1)}×`);
  if (worst >= TARGET_MS || sizes.some((s) => s.kb >= TARGET_KB)) process.exitCode = 1;
}

void main();
