/**
 * npm run bench:replay — replaying everything, and verifying everything, at the scale auditors and
 * operators meet: 1,000,000 events across 50,000 items.
 *
 * Each item is decided by the real decider through a whole handling: submitted, accepted, assigned to a
 * lead and a co-handling unit, acknowledged by both, the proposer contacted, the co-opinion given, the
 * reply drafted, signed and dispatched, and rated — twenty events. The store is built once into
 * ~/.cache/banli-bench (BENCH_FRESH=1 builds it again).
 *
 * Measured in the same run, on the same store file:
 * - raw: better-sqlite3 reading every row and JSON.parse-ing data and metadata, the floor any replay pays;
 * - replay: what `npm run banli -- replay --projection read-model` does, the read model rebuilt from
 *   position zero (each item folded, every row written) on two threads;
 *   raw and replay take turns, three rounds (BENCH_ROUNDS), and their medians are compared;
 * - Banli's own readAll (rows turned into events, in pages), and replay on one thread, for comparison;
 * - verify: every stream's hash chain recomputed.
 * Target: replay ≥ 0.5× raw.
 */
import { proposalStreamId } from '@banli/domain';
import { SqliteEventStore } from '@banli/event-store';
import { ProposalReadModel, replayReadModel } from '@banli/read-model';
import { STANDALONE_PROJECTIONS as projections } from '../../apps/standalone/src/read-projections';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedStore } from './bench-cache';
import { handler, type Item, office, signer, submitted } from './bench-items';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 50_000);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));

/** Twenty events on average: every other item is not rated yet. */
function lifecycle(n: number): Item {
  const lead = `u-${n % 200}`;
  const co = `u-${(n + 11) % 200}`;
  const at = (day: string) => `${day}T02:00:00.000Z`;
  const item = submitted(n, at('2025-03-05'))
    .run('AssignProposal', { mode: 'lead-with-co', leadUnits: [lead], coUnits: [co], supervisingUnits: ['u-gov'], leadingOfficial: '副市长' }, office, at('2025-03-10'))
    .run('AcknowledgeAssignment', { unitId: lead }, handler(lead), at('2025-03-11'))
    .run('AcknowledgeAssignment', { unitId: co }, handler(co), at('2025-03-11'))
    .run('SubmitCoOpinion', { unitId: co, content: '会办意见：同意主办单位意见' }, handler(co), at('2025-04-01'))
    .run('DraftReply', { unitId: lead, documentNumber: `渝议函〔2025〕${n}号`, resultClass: 'B', body: '现将办理情况答复如下……', contactPerson: '张老师', contactPhone: 'pii:v1:0000000000000000:AAAA', cc: [], disclose: true, commitments: [] }, handler(lead), at('2025-05-20'))
    .run('SignReply', { unitId: lead }, signer(lead), at('2025-05-21'))
    .run('DispatchReply', { unitId: lead }, handler(lead), at('2025-05-22'));
  return n % 2 === 0 ? item.run('EvaluateReply', { satisfaction: 'satisfied' }, { id: `dep-${n % 500}`, roles: ['proposer'] }, at('2025-05-30')) : item;
}

async function generate(file: string): Promise<number> {
  const store = new SqliteEventStore({ file, synchronous: 'NORMAL' });
  const started = Date.now();
  let events = 0;
  let pending: Promise<unknown>[] = [];
  for (let n = 0; n < ITEMS; n++) {
    const item = lifecycle(n);
    pending.push(store.append(proposalStreamId(item.id), item.events, 'no-stream'));
    events += item.events.length;
    if (pending.length >= 256) {
      await Promise.all(pending);
      pending = [];
    }
    if (n % 5_000 === 0) process.stdout.write(`\r  generating: ${n.toLocaleString('en')} items, ${events.toLocaleString('en')} events`);
  }
  await Promise.all(pending);
  await store.close();
  console.log(`\r  generated ${ITEMS.toLocaleString('en')} items, ${events.toLocaleString('en')} events in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return events;
}

/** Raw: every row read and parsed, nothing else; returns events per second. */
function rawRead(file: string, name: string): number {
  const db = new Database(file, { readonly: true });
  const started = performance.now();
  let count = 0;
  let checksum = 0;
  for (const row of db.prepare('SELECT position, stream_id, revision, event_id, type, schema_version, data, metadata, occurred_at, recorded_at, hash FROM events ORDER BY position').raw().iterate() as IterableIterator<unknown[]>) {
    const data = JSON.parse(row[6] as string) as object;
    const metadata = JSON.parse(row[7] as string) as object;
    checksum += Object.keys(data).length + Object.keys(metadata).length;
    count += 1;
  }
  const perSecond = rate(name, count, performance.now() - started);
  db.close();
  if (checksum === 0) throw new Error('nothing was read');
  return perSecond;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function rate(name: string, count: number, ms: number): number {
  const perSecond = count / (ms / 1000);
  console.log(`${name.padEnd(52)} ${perSecond.toFixed(0).padStart(9)} events/s  (${count.toLocaleString('en')} in ${(ms / 1000).toFixed(2)} s)`);
  return perSecond;
}

async function main(): Promise<void> {
  const file = await cachedStore(`replay-${ITEMS}-v2.db`, `${ITEMS.toLocaleString('en')} items`, generate);

  // Raw and the two-thread replay take turns, ROUNDS times: a ratio is the median of each, so that one
  // noisy phase of this machine does not decide it.
  const store = new SqliteEventStore({ file });
  const dir = mkdtempSync(join(tmpdir(), 'banli-bench-replay-'));
  const raws: number[] = [];
  const replays: number[] = [];
  let items = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    raws.push(rawRead(file, `raw better-sqlite3 read + JSON.parse (round ${round})`));
    // Replay: the read model rebuilt from position zero, as `npm run banli -- replay` does, on two
    // threads (one per core here).
    const started = performance.now();
    const threaded = await replayReadModel({ store, readFile: join(dir, 'read.db'), projections, shards: 2 });
    replays.push(rate(`replay, ${threaded.shards} threads (round ${round})`, threaded.events, performance.now() - started));
    const rebuilt = new ProposalReadModel(join(dir, 'read.db'), { projections });
    items = (rebuilt.snapshot().rm_proposals as unknown[]).length;
    rebuilt.close();
  }
  const raw = median(raws);
  const replay = median(replays);

  let started = performance.now();
  let count = 0;
  for (let from = 0; ; ) {
    const page = await store.readAll({ fromPosition: from, limit: 5_000 });
    if (page.length === 0) break;
    count += page.length;
    from = page[page.length - 1].position;
  }
  const readAll = rate('Banli readAll (events parsed)', count, performance.now() - started);

  started = performance.now();
  const single = await replayReadModel({ store, readFile: join(dir, 'read-1.db'), projections, shards: 1 });
  const replayOne = rate('replay on one thread', single.events, performance.now() - started);
  rmSync(dir, { recursive: true, force: true });

  started = performance.now();
  count = 0;
  let broken = 0;
  for (let n = 0; n < ITEMS; n++) {
    const result = await store.verify(proposalStreamId(`bench-${String(n).padStart(6, '0')}`));
    count += result.checked;
    if (!result.ok) broken += 1;
  }
  const verify = rate('verify: every hash chain recomputed', count, performance.now() - started);
  await store.close();

  console.log(`\nitems in the rebuilt read model: ${items.toLocaleString('en')}; broken chains: ${broken}`);
  console.log(`medians of ${ROUNDS} rounds: raw ${raw.toFixed(0)} events/s, replay ${replay.toFixed(0)} events/s`);
  console.log(`replay ÷ raw, round by round: ${replays.map((r, n) => (r / raws[n]).toFixed(2)).join(', ')}`);
  console.log(
    `ratios (medians): replay ÷ raw = ${(replay / raw).toFixed(2)} (target ≥ 0.5: ${replay / raw >= 0.5 ? 'met' : 'MISSED'}); replay ÷ readAll = ${(replay / readAll).toFixed(2)}; one thread ÷ raw = ${(replayOne / raw).toFixed(2)}; readAll ÷ raw = ${(readAll / raw).toFixed(2)}; verify ÷ raw = ${(verify / raw).toFixed(2)}`,
  );
  if (items !== ITEMS || broken !== 0) process.exitCode = 1;
}

void main();
