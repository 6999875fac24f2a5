/**
 * npm run banli -- <command>: the operators' and auditors' tool, working on the store of BANLI_DATA_DIR
 * (or KURRENTDB_URL) directly.
 *
 *   verify [--item ID]                       recompute hash chains; names the first broken revision per stream
 *   history ID                               every event of an item, one JSON object per line
 *   replay --projection read-model|deadlines|all [--threads N]
 *                                            rebuild from position zero, with progress and a final count
 *   export --item ID --format jsonl|html [--out FILE]
 *                                            the item's events as stored (hashes included), or its audit dossier
 *   import FILE                              items from a legacy system (JSON lines, see README), validated,
 *                                            each recorded whole or not at all; a re-run skips what is there
 *   user add ID --roles R,R [--name N] [--unit U] [--password-stdin]
 *                                            a local account for the console (the first admin); without
 *                                            --password-stdin a strong password is generated and printed once
 *
 * Exit code 0 when everything held, 1 when something did not (a broken chain, a refused line), 2 on usage.
 */
import { type Actor, evolve, INITIAL_STATE, proposalStreamId, readPolicy } from '@banli/domain';
import { allStreamIds, type EventStore, openEventStore } from '@banli/event-store';
import { PERSONAL_DATA_FILE, PersonalDataVault, toRecorded, buildDossier, historyView, openerFor, renderDossierHtml } from '@banli/application';
import { type BanliConfig, loadConfig, readDatabaseFile } from '@banli/platform';
import { replayReadModel } from '@banli/read-model';
import { projectionsFor } from './read-projections';
import { checkRuleSet } from './rule-set-check';
import { importItems } from './import-items';
import { addUser } from './user-add';
import { DeadlineIndex, verifyWholeStore } from '@banli/supervision';
import { createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

export interface Io {
  out(line: string): void;
  /** Progress, overwritten in place on a terminal. */
  progress(line: string): void;
  err(line: string): void;
}

const consoleIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  progress: (line) => (process.stderr.isTTY ? process.stderr.write(`\r${line}\x1b[K`) : undefined),
  err: (line) => process.stderr.write(`${line}\n`),
};

const USAGE = 'usage: npm run banli -- verify [--item ID] | history ID | replay --projection read-model|deadlines|all [--threads N] | export --item ID --format jsonl|html [--out FILE] | import FILE | rule-set check FILE [--from YYYY-MM-DD] | user add ID --roles R,R [--name N] [--unit U] [--password-stdin]';

export async function runBanli(argv: string[], env: NodeJS.ProcessEnv = process.env, io: Io = consoleIo): Promise<number> {
  const [name, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      item: { type: 'string' },
      projection: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      threads: { type: 'string' },
      from: { type: 'string' },
      roles: { type: 'string' },
      name: { type: 'string' },
      unit: { type: 'string' },
      'password-stdin': { type: 'boolean' },
    },
  });
  // Checking a rule set file needs no store and no configuration.
  if (name === 'rule-set') {
    if (positionals[0] === 'check' && positionals[1]) return checkRuleSet(positionals[1], values.from, io);
    io.err(USAGE);
    return 2;
  }
  const config = loadConfig(env);
  if (name === 'user') {
    if (positionals[0] === 'add' && positionals[1] && values.roles) {
      return addUser(config, { id: positionals[1], roles: values.roles, name: values.name, unit: values.unit, passwordFromStdin: values['password-stdin'] === true }, io);
    }
    io.err(USAGE);
    return 2;
  }
  const store = await openEventStore({ ...config.eventStore });
  try {
    switch (name) {
      case 'verify':
        return await verify(store, config, io, values.item);
      case 'history':
        if (!positionals[0]) break;
        return await history(store, config, io, positionals[0]);
      case 'replay':
        if (!['read-model', 'deadlines', 'all'].includes(values.projection ?? '')) {
          io.err(`replay needs --projection read-model, deadlines or all${values.projection === undefined ? '' : ` (not ${values.projection})`}`);
          break;
        }
        if (values.threads !== undefined && !/^[1-9]$/.test(values.threads)) {
          io.err(`--threads is a number from 1 to 9 (not ${values.threads})`);
          break;
        }
        return await replay(store, config, io, values.projection as 'read-model' | 'deadlines' | 'all', values.threads === undefined ? undefined : Number(values.threads));
      case 'export':
        if (!values.item || !['jsonl', 'html'].includes(values.format ?? '')) break;
        return await exportItem(store, config, io, values.item, values.format as 'jsonl' | 'html', values.out);
      case 'import':
        if (!positionals[0]) break;
        return await importFile(store, config, io, positionals[0]);
    }
    io.err(USAGE);
    return 2;
  } finally {
    await store.close();
  }
}

async function verify(store: EventStore, config: BanliConfig, io: Io, item?: string): Promise<number> {
  const streams = item ? [proposalStreamId(item)] : await allStreamIds(store);
  let checked = 0;
  let broken = 0;
  for (const [i, stream] of streams.entries()) {
    const result = await store.verify(stream);
    checked += result.checked;
    if (!result.ok) {
      broken += 1;
      io.out(JSON.stringify({ stream, ok: false, firstBrokenRevision: result.firstBrokenRevision }));
    }
    if (i % 200 === 0 || i === streams.length - 1) io.progress(`verifying ${bar(i + 1, streams.length)} ${i + 1}/${streams.length} streams, ${checked} events`);
  }
  if (item && checked === 0) {
    io.err(`No item ${item}`);
    return 1;
  }
  if (item) {
    io.progress('');
    io.out(JSON.stringify({ ok: broken === 0, streams: streams.length, events: checked, broken }));
    return broken === 0 ? 0 : 1;
  }
  // The store as a whole, against its signed checkpoints: what no stream's own chain can show.
  const whole = await verifyWholeStore(store, config, (n) => io.progress(`store digest ${n} events`));
  for (const problem of whole.problems) io.out(JSON.stringify({ store: problem }));
  io.progress('');
  io.out(JSON.stringify({ ok: broken === 0 && whole.ok, streams: streams.length, events: checked, broken, store: { ok: whole.ok, checkpoints: whole.checkpoints, coveredUpTo: whole.coveredUpTo } }));
  return broken === 0 && whole.ok ? 0 : 1;
}

/**
 * Whoever runs the tool reads as an auditor: every step and every hash, no personal data. The store's
 * own form (`export --format jsonl`) keeps personal data sealed, as it is recorded.
 */
const TOOL_READER: Actor = { id: 'banli-cli', name: 'banli command-line tool', roles: ['auditor'] };

async function history(store: EventStore, config: BanliConfig, io: Io, id: string): Promise<number> {
  const events = await store.readStream(proposalStreamId(id));
  if (events.length === 0) {
    io.err(`No item ${id}`);
    return 1;
  }
  const vault = new PersonalDataVault(join(config.dataDir, PERSONAL_DATA_FILE));
  try {
    const policy = readPolicy(TOOL_READER, events.map(toRecorded).reduce(evolve, INITIAL_STATE));
    for (const line of historyView(id, events, policy, openerFor(vault, policy))) io.out(JSON.stringify(line));
  } finally {
    vault.close();
  }
  return 0;
}

/**
 * Rebuilds projections from position zero: the read model (read.db of the standalone service, or
 * read-<service>.db; run it with the service stopped), on several threads for the embedded store; and
 * the deadline index, which the scheduler rebuilds at every start, to check that it can be.
 */
export async function replay(store: EventStore, config: BanliConfig, io: Io, projection: 'read-model' | 'deadlines' | 'all', threads?: number): Promise<number> {
  const total = await store.headPosition();
  const started = performance.now();
  const summary: Record<string, unknown> = { projection };
  if (projection !== 'deadlines') {
    const result = await replayReadModel({ store, readFile: readDatabaseFile(config), projections: projectionsFor(config.service), ...(threads === undefined ? {} : { shards: threads }), onThreadsFailed: (error) => io.err(`replay threads failed (${(error as Error)?.message ?? String(error)}); replaying on one thread`), onProgress: (n) => io.progress(`read model ${bar(n, total)} ${n} events`) });
    Object.assign(summary, { events: result.events, threads: result.shards, readModel: readDatabaseFile(config) });
  }
  if (projection !== 'read-model') {
    const deadlines = new DeadlineIndex();
    let events = 0;
    for (let from = 0; ; ) {
      const page = await store.readAll({ fromPosition: from, limit: 5_000 });
      if (page.length === 0) break;
      for (const e of page) deadlines.apply(e);
      events += page.length;
      from = page[page.length - 1].position;
      io.progress(`deadline index ${bar(from, total)} ${events} events`);
    }
    const next = deadlines.nextAt();
    Object.assign(summary, { events, openDeadlines: deadlines.size, nextDueAt: next === undefined ? null : new Date(next).toISOString() });
  }
  io.progress('');
  io.out(JSON.stringify({ ...summary, seconds: Math.round((performance.now() - started) / 10) / 100 }));
  return 0;
}

async function exportItem(store: EventStore, config: BanliConfig, io: Io, id: string, format: 'jsonl' | 'html', out?: string): Promise<number> {
  const events = await store.readStream(proposalStreamId(id));
  if (events.length === 0) {
    io.err(`No item ${id}`);
    return 1;
  }
  let text: string;
  if (format === 'jsonl') {
    // As stored: hashes can be checked again from the file alone; personal data stays sealed.
    text = events.map((e) => JSON.stringify(e)).join('\n') + '\n';
  } else {
    const state = events.map(toRecorded).reduce(evolve, INITIAL_STATE);
    const policy = readPolicy(TOOL_READER, state);
    const vault = new PersonalDataVault(join(config.dataDir, PERSONAL_DATA_FILE));
    try {
      text = renderDossierHtml(buildDossier(id, state, events, await store.verify(proposalStreamId(id)), new Date(), policy, openerFor(vault, policy)));
    } finally {
      vault.close();
    }
  }
  if (out) {
    writeFileSync(out, text);
    io.out(JSON.stringify({ item: id, format, events: events.length, file: out }));
  } else io.out(text.trimEnd());
  return 0;
}

/** A line longer than this is refused without being held in memory. */
const MAX_LINE_BYTES = 16 * 1024 * 1024;

/**
 * The file's lines, read as a stream: a file of any size is read in constant memory, and a line longer
 * than `MAX_LINE_BYTES` is passed over (as `undefined`) instead of being gathered.
 */
async function* linesOf(file: string): AsyncGenerator<string | undefined> {
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    let from = 0;
    for (let nl = chunk.indexOf(10, from); nl !== -1; nl = chunk.indexOf(10, from)) {
      const piece = chunk.subarray(from, nl);
      if (!tooLong && size + piece.length <= MAX_LINE_BYTES) parts.push(piece);
      yield tooLong || size + piece.length > MAX_LINE_BYTES ? undefined : Buffer.concat(parts).toString('utf8');
      parts = [];
      size = 0;
      tooLong = false;
      from = nl + 1;
    }
    const rest = chunk.subarray(from);
    size += rest.length;
    if (size > MAX_LINE_BYTES) {
      tooLong = true;
      parts = [];
    } else if (rest.length > 0) parts.push(rest);
  }
  if (tooLong) yield undefined;
  else if (size > 0) yield Buffer.concat(parts).toString('utf8');
}

/** `banli import FILE`: the lines of a legacy system's export, each item imported whole or refused (see import-items.ts). */
async function importFile(store: EventStore, config: BanliConfig, io: Io, file: string): Promise<number> {
  const vault = new PersonalDataVault(join(config.dataDir, PERSONAL_DATA_FILE));
  try {
    const counts = await importItems(linesOf(file), { store, config, vault, maxLineBytes: MAX_LINE_BYTES }, (outcome) => {
      const where = `${file}:${outcome.line}`;
      if (outcome.outcome === 'refused') io.err(`${where}: ${outcome.code ? `${outcome.code} ` : ''}${outcome.detail}`);
      else if (outcome.outcome !== 'skipped') io.out(JSON.stringify({ line: outcome.line, item: outcome.item, outcome: outcome.outcome, ...(outcome.events === undefined ? {} : { events: outcome.events, status: outcome.status }) }));
    });
    io.out(JSON.stringify(counts));
    return counts.refused === 0 ? 0 : 1;
  } finally {
    vault.close();
  }
}

function bar(done: number, total: number): string {
  const width = 30;
  const filled = total === 0 ? width : Math.min(width, Math.round((done / total) * width));
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

if (require.main === module) {
  runBanli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`${(error as Error).message}\n`);
      process.exit(1);
    },
  );
}
