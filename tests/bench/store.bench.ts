/**
 * npm run bench:store — the event store's speed, measured in one run on one machine, against
 * better-sqlite3's own limits and against Emmett's SQLite event store as a peer.
 *
 * Every workload appends the same event shape (a proposal event of ~300 bytes of JSON).
 */
import { getSQLiteEventStore } from '@event-driven-io/emmett-sqlite';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson, SqliteEventStore, type NewEvent } from '../../libs/event-store/src';
import { SCHEMA } from '../../libs/event-store/src/sqlite/sqlite.schema';

const dir = mkdtempSync(join(tmpdir(), 'banli-bench-'));
const file = (name: string) => join(dir, name);

const sample = (i: number) => ({
  unitId: `u-${i % 17}`,
  documentNumber: `渝教议函〔2025〕${i}号`,
  resultClass: 'B',
  body: '现将办理情况答复如下：一是加强组织领导，二是加强阵地建设，三是加大保障力度……',
  contactPerson: '张老师',
  cc: ['市人大选工委'],
});
const event = (i: number): NewEvent => ({ type: 'ReplyDrafted', schemaVersion: 1, data: sample(i), occurredAt: '2025-05-20T02:00:00.000Z', actor: { id: 'h', unit: 'u', roles: ['handler'] } });

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

interface Figure {
  name: string;
  count: number;
  seconds: number;
  unit: string;
  failures?: number;
}
const figures: Figure[] = [];
function record(name: string, count: number, secs: number, unit: string, failures?: number): number {
  figures.push({ name, count, seconds: secs, unit, ...(failures === undefined ? {} : { failures }) });
  const rate = count / secs;
  console.log(`${name.padEnd(58)} ${rate.toFixed(0).padStart(9)} ${unit}/s  (${count} in ${secs.toFixed(2)} s${failures ? `, ${failures} failed` : ''})`);
  return rate;
}

function rawDatabase(name: string): Database.Database {
  const db = new Database(file(name));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(SCHEMA);
  return db;
}

function rawRow(i: number): unknown[] {
  return [`raw-${i % 64}`, Math.floor(i / 64), randomUUID(), 'ReplyDrafted', 1, canonicalJson(sample(i)), '{"actor":{"id":"h"}}', '2025-05-20T02:00:00.000Z', new Date().toISOString(), 'f'.repeat(64)];
}
const INSERT = 'INSERT INTO events (stream_id, revision, event_id, type, schema_version, data, metadata, occurred_at, recorded_at, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

async function main(): Promise<void> {
  console.log(`Banli event store benchmark — ${new Date().toISOString()}, node ${process.version}, SQLite WAL synchronous=FULL\n`);

  // 1. better-sqlite3's own limits, same schema and rows, none of our logic.
  const raw1 = rawDatabase('raw-one.db');
  const insertOne = raw1.prepare(INSERT);
  const oneTx = raw1.transaction((row: unknown[]) => insertOne.run(...row));
  let start = process.hrtime.bigint();
  const N_RAW_ONE = 2000;
  for (let i = 0; i < N_RAW_ONE; i++) oneTx(rawRow(i));
  const rawOnePerTx = record('raw better-sqlite3: 1 insert per transaction', N_RAW_ONE, seconds(start), 'inserts');
  raw1.close();

  const raw1000 = rawDatabase('raw-thousand.db');
  const insertMany = raw1000.prepare(INSERT);
  const thousandTx = raw1000.transaction((rows: unknown[][]) => rows.forEach((row) => insertMany.run(...row)));
  const batches = Array.from({ length: 100 }, (_, b) => Array.from({ length: 1000 }, (_, i) => rawRow(b * 1000 + i)));
  start = process.hrtime.bigint();
  for (const rows of batches) thousandTx(rows);
  record('raw better-sqlite3: 1,000 inserts per transaction', 100_000, seconds(start), 'inserts');
  raw1000.close();

  // 2. This adapter: one writer awaiting each append, then 64 concurrent writers (group commit).
  const store = new SqliteEventStore({ file: file('banli.db') });
  // The same 1,000 appends over 50 streams are made on Emmett below; both then load those streams.
  const N_ONE = 1000;
  const LOAD_STREAMS = 50;
  start = process.hrtime.bigint();
  for (let i = 0; i < N_ONE; i++) await store.append(`single-${i % LOAD_STREAMS}`, [event(i)], 'any');
  const oneWriter = record('Banli SqliteEventStore: append, 1 writer', N_ONE, seconds(start), 'appends');

  const WRITERS = 64;
  const PER_WRITER = 400;
  let failed64 = 0;
  start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      for (let i = 0; i < PER_WRITER; i++) {
        try {
          await store.append(`proposal-w${w}`, [event(i)], i === 0 ? 'no-stream' : i - 1);
        } catch {
          failed64 += 1;
        }
      }
    }),
  );
  const sixtyFour = record('Banli SqliteEventStore: append, 64 concurrent writers', WRITERS * PER_WRITER - failed64, seconds(start), 'appends', failed64);

  // 3. Loading streams (what every command does before deciding): 50 streams of 20 events, 20 rounds.
  const LOAD_ROUNDS = 20;
  start = process.hrtime.bigint();
  let loaded = 0;
  for (let round = 0; round < LOAD_ROUNDS; round++) for (let s = 0; s < LOAD_STREAMS; s++) loaded += (await store.readStream(`single-${s}`)).length;
  const banliLoad = record('Banli SqliteEventStore: stream load (50 streams × 20 events)', loaded, seconds(start), 'events');

  // 4. readAll + JSON parse against the raw read + parse of the same rows.
  const total = N_ONE + WRITERS * PER_WRITER - failed64;
  start = process.hrtime.bigint();
  let readCount = 0;
  for (let from = 0; ; ) {
    const page = await store.readAll({ fromPosition: from, limit: 1000 });
    if (page.length === 0) break;
    readCount += page.length;
    from = page[page.length - 1].position;
  }
  const banliReadAll = record('Banli SqliteEventStore: readAll + JSON parse', readCount, seconds(start), 'events');
  await store.close();

  const rawRead = new Database(file('banli.db'), { readonly: true });
  const select = rawRead.prepare('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT 1000');
  start = process.hrtime.bigint();
  let rawCount = 0;
  for (let from = 0; ; ) {
    const rows = select.all(from) as { position: number; data: string; metadata: string }[];
    if (rows.length === 0) break;
    for (const row of rows) {
      JSON.parse(row.data);
      JSON.parse(row.metadata);
    }
    rawCount += rows.length;
    from = rows[rows.length - 1].position;
  }
  const rawReadParse = record('raw better-sqlite3: SELECT + JSON.parse, same rows', rawCount, seconds(start), 'events');
  rawRead.close();
  if (rawCount !== total || readCount !== total) throw new Error(`read ${readCount}/${rawCount} of ${total} events`);

  // 5. The peer: Emmett's SQLite event store with the same events and streams. It logs its own
  // failures; they are counted here instead (by error code) and its console output is held back.
  const emmett = getSQLiteEventStore({ fileName: file('emmett.db'), schema: { autoMigration: 'CreateOrUpdate' } });
  const emmettEvent = (i: number) => ({ type: 'ReplyDrafted', data: sample(i) });
  start = process.hrtime.bigint();
  for (let i = 0; i < N_ONE; i++) await emmett.appendToStream(`single-${i % LOAD_STREAMS}`, [emmettEvent(i)]);
  const emmettOne = record('Emmett SQLite 0.38.5: append, 1 writer', N_ONE, seconds(start), 'appends');

  const failures = new Map<string, number>();
  const quiet = { error: console.error, log: console.log, warn: console.warn };
  console.error = console.log = console.warn = () => undefined;
  start = process.hrtime.bigint();
  try {
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, w) => {
        try {
          await emmett.appendToStream(`proposal-w${w}`, [emmettEvent(w)]);
        } catch (error) {
          const code = (error as { code?: string }).code ?? (error as Error).name;
          failures.set(code, (failures.get(code) ?? 0) + 1);
        }
      }),
    );
  } finally {
    Object.assign(console, quiet);
  }
  const emmettFailed = [...failures.values()].reduce((a, b) => a + b, 0);
  record('Emmett SQLite 0.38.5: append, 64 concurrent writers (1 append each)', WRITERS - emmettFailed, seconds(start), 'appends', emmettFailed);

  start = process.hrtime.bigint();
  let emmettLoaded = 0;
  for (let round = 0; round < LOAD_ROUNDS; round++) for (let s = 0; s < LOAD_STREAMS; s++) emmettLoaded += (await emmett.readStream(`single-${s}`)).events.length;
  const emmettLoad = record('Emmett SQLite 0.38.5: stream load (50 streams × 20 events)', emmettLoaded, seconds(start), 'events');
  if (emmettLoaded !== loaded) throw new Error(`loaded ${loaded} events from Banli but ${emmettLoaded} from Emmett`);

  const ratio = (name: string, value: number, target: number) =>
    console.log(`${name.padEnd(70)} ${value.toFixed(2).padStart(8)}×  target ≥ ${target}×  ${value >= target ? 'MET' : 'MISSED'}`);
  console.log('\nRatios (measured above, in this run)');
  ratio('64-writer append ÷ raw one-insert-per-transaction', sixtyFour / rawOnePerTx, 1.0);
  console.log(`${'failed appends with 64 writers'.padEnd(70)} ${String(failed64).padStart(8)}   target 0  ${failed64 === 0 ? 'MET' : 'MISSED'}`);
  ratio('readAll + parse ÷ raw SELECT + parse', banliReadAll / rawReadParse, 0.6);
  ratio('append vs Emmett: Banli 64 writers ÷ Emmett at its best (1 writer)', sixtyFour / emmettOne, 10);
  ratio('append vs Emmett: 1 writer each (both wait for one fsync per append)', oneWriter / emmettOne, 10);
  console.log(`${'  (the disk’s own ceiling for that: raw one-insert-per-transaction ÷ Emmett'.padEnd(70)} ${(rawOnePerTx / emmettOne).toFixed(2).padStart(8)}×)`);
  ratio('stream load vs Emmett, same streams', banliLoad / emmettLoad, 10);
  console.log(
    `Emmett under 64 concurrent writers: ${emmettFailed} of ${WRITERS} appends failed (${[...failures].map(([code, n]) => `${code} ×${n}`).join(', ') || 'none'}).`,
  );
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
