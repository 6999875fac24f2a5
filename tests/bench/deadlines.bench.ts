/**
 * npm run bench:deadlines — the deadline scheduler at the scale of a province: 1,000,000 open deadlines
 * spread over a year, 10,000 of which fall due in the same minute.
 *
 * The store is built with the real decider: 10,000 "burst" items assigned on 2025-03-10 to one lead unit,
 * acknowledged, first contact made and the reply warning recorded, so that the one thing left for each is
 * the reply deadline breaching at 2025-06-10 24:00 (Shanghai). About 141,500 more items, assigned one
 * working day after another through the following year to a lead unit and two co-handling units, hold
 * seven open deadlines each. The store is generated once into ~/.cache/banli-bench (BENCH_FRESH=1 builds
 * it again) and copied for each run, since a run records the firings.
 *
 * The measurement runs in a fresh process: it builds the scheduler's index from the store (time, resident
 * memory), sets its clock to fifteen seconds before the burst, and takes for every breach recorded the lag from
 * its due instant to the moment its append completed. Resident memory is sampled throughout.
 */
import { proposalStreamId } from '@banli/domain';
import { SqliteEventStore } from '@banli/event-store';
import { DeadlineScheduler } from '@banli/supervision';
import { calendar, handler, type Item, office, ruleSets, submitted, system } from './bench-items';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { cachedStore } from './bench-cache';
import { join } from 'node:path';

const TOTAL_DEADLINES = Number(process.env.BENCH_DEADLINES ?? 1_000_000);
const BURST = Number(process.env.BENCH_BURST ?? 10_000);
const BURST_AT = Date.parse('2025-06-10T16:00:00.000Z');
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

/** Working days from `from` on, as Shanghai dates. */
function* workingDays(from: string): Generator<string> {
  for (let t = Date.parse(`${from}T00:00:00Z`); ; t += 86_400_000) {
    const date = new Date(t).toISOString().slice(0, 10);
    if (calendar.isWorkingDay(date)) yield date;
  }
}

async function generate(file: string): Promise<void> {
  const store = new SqliteEventStore({ file, synchronous: 'NORMAL' });
  const started = Date.now();
  let deadlines = 0;
  let events = 0;
  let pending: Promise<unknown>[] = [];
  const write = async (item: Item) => {
    pending.push(store.append(proposalStreamId(item.id), item.events, 'no-stream'));
    events += item.events.length;
    deadlines += item.deadlines.filter((d) => d.state === 'open').length;
    if (pending.length >= 512) {
      await Promise.all(pending);
      pending = [];
    }
  };
  for (let n = 0; n < BURST; n++) {
    const unit = `u-${n % 200}`;
    const item = submitted(n, '2025-03-05T01:00:00.000Z')
      .run('AssignProposal', { mode: 'lead-with-co', leadUnits: [unit], coUnits: [], supervisingUnits: ['u-gov'], leadingOfficial: '副市长' }, office, '2025-03-10T02:00:00.000Z')
      .run('AcknowledgeAssignment', { unitId: unit }, handler(unit), '2025-03-11T02:00:00.000Z')
      .run('RecordContact', { unitId: unit, stage: 'before', channel: 'phone', summary: '电话沟通' }, handler(unit), '2025-03-12T02:00:00.000Z');
    const reply = item.deadlines.find((d) => d.kind === 'reply')!;
    if (Date.parse(reply.dueAt) !== BURST_AT) throw new Error(`burst reply due ${reply.dueAt}`);
    item.run('MarkDeadlineApproaching', { deadlineId: reply.id }, system, reply.warnAt!);
    await write(item);
  }
  const days = workingDays('2025-06-11');
  let day = days.next().value as string;
  const perDay = Math.ceil((TOTAL_DEADLINES - BURST) / 7 / 245);
  for (let n = BURST, onDay = 0; deadlines < TOTAL_DEADLINES; n++, onDay++) {
    if (onDay === perDay) (day = days.next().value as string), (onDay = 0);
    const units = [`u-${n % 200}`, `u-${(n + 7) % 200}`, `u-${(n + 13) % 200}`];
    const at = `${day}T02:00:00.000Z`;
    await write(submitted(n, at).run('AssignProposal', { mode: 'lead-with-co', leadUnits: [units[0]], coUnits: units.slice(1), supervisingUnits: ['u-gov'], leadingOfficial: '副市长' }, office, at));
    if (n % 20_000 === 0) process.stdout.write(`\r  generating: ${deadlines.toLocaleString('en')} open deadlines, ${events.toLocaleString('en')} events`);
  }
  await Promise.all(pending);
  await store.close();
  console.log(`\r  generated ${deadlines.toLocaleString('en')} open deadlines in ${events.toLocaleString('en')} events in ${((Date.now() - started) / 1000).toFixed(0)} s (assignments through ${day})`);
}

async function measure(file: string): Promise<void> {
  let offset = BURST_AT - 86_400_000 - Date.now(); // a day before the burst while the index is built
  const clock = () => new Date(Date.now() + offset);
  const store = new SqliteEventStore({ file });
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 25);

  const lags: number[] = [];
  const escalationLags: number[] = [];
  const append = store.append.bind(store);
  store.append = async (streamId, events, expected) => {
    const result = await append(streamId, events, expected);
    const done = clock().getTime();
    for (const e of events) {
      if (e.type === 'DeadlineBreached') lags.push(done - Date.parse(e.occurredAt));
      if (e.type === 'Escalated') escalationLags.push(done - Date.parse(e.occurredAt));
    }
    return result;
  };

  const scheduler = new DeadlineScheduler({ store, calendar, ruleSets, clock });
  const buildStarted = performance.now();
  await scheduler.start();
  const buildSeconds = (performance.now() - buildStarted) / 1000;
  global.gc?.();
  const afterBuild = process.memoryUsage();
  console.log(`index build:            ${buildSeconds.toFixed(1)} s for ${scheduler.index.size.toLocaleString('en')} open deadlines`);
  console.log(`memory after build:     RSS ${mib(afterBuild.rss)}, JS heap ${mib(afterBuild.heapUsed)}`);
  if (scheduler.fired !== 0) throw new Error(`nothing should fire before the burst, ${scheduler.fired} did`);

  // As in service, where the scheduler is running when midnight approaches: it decides the burst in the
  // seconds before (PREPARE_AHEAD_MS), so at the instant only the appends are left.
  offset = BURST_AT - 15_000 - Date.now();
  scheduler.nudge();
  const deadline = Date.now() + 135_000;
  while ((lags.length < BURST || escalationLags.length < BURST) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await scheduler.idle();
  clearInterval(sampler);
  await scheduler.stop();
  await store.close();

  lags.sort((a, b) => a - b);
  escalationLags.sort((a, b) => a - b);
  console.log(`burst:                  ${lags.length.toLocaleString('en')} breaches, ${escalationLags.length.toLocaleString('en')} escalations recorded (expected ${BURST.toLocaleString('en')} each)`);
  console.log(`breach lag:             p50 ${percentile(lags, 50)} ms, p99 ${percentile(lags, 99)} ms, max ${lags[lags.length - 1]} ms   (target p99 < 1000 ms)`);
  console.log(`escalation lag (rung 1, due at the same instant): p50 ${percentile(escalationLags, 50)} ms, p99 ${percentile(escalationLags, 99)} ms`);
  console.log(`peak RSS:               ${mib(peakRss)}   (target < 1024 MiB)`);
  console.log(`ratios:                 p99 lag ÷ 1 s = ${(percentile(lags, 99) / 1000).toFixed(2)}, peak RSS ÷ 1 GiB = ${(peakRss / 1024 ** 3).toFixed(2)}`);
  if (lags.length !== BURST) process.exitCode = 1;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--measure') return measure(process.argv[3]);
  const cached = await cachedStore(`deadlines-${TOTAL_DEADLINES}-${BURST}-v1.db`, `${TOTAL_DEADLINES.toLocaleString('en')} deadlines`, generate);
  const dir = mkdtempSync(join(tmpdir(), 'banli-bench-deadlines-'));
  try {
    copyFileSync(cached, join(dir, 'events.db'));
    const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', __filename, '--measure', join(dir, 'events.db')], { stdio: 'inherit' });
    process.exitCode = run.status ?? 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
