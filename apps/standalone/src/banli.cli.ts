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
import {
  type Actor,
  ChineseDaysCalendar,
  command,
  type CommandStep,
  evolve,
  INITIAL_STATE,
  PROPOSAL_COMMAND_TYPES,
  type ProposalCommandType,
  proposalStreamId,
  readPolicy,
  refuseSealedValues,
  ruleSetCatalog,
} from '@banli/domain';
import { allStreamIds, type EventStore, newEventId, openEventStore } from '@banli/event-store';
import { handleCommands, PERSONAL_DATA_FILE, PersonalDataVault, RevisionMismatchError, toRecorded, buildDossier, historyView, openerFor, renderDossierHtml, UnitsDirectory } from '@banli/application';
import { type BanliConfig, HttpProblem, loadConfig, loadRuleSets, proposalIdFor, readDatabaseFile } from '@banli/platform';
import { replayReadModel } from '@banli/read-model';
import { projectionsFor } from './read-projections';
import { importedActor, unitsNamed, validateImportedStep } from './import-steps';
import { checkRuleSet } from './rule-set-check';
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

interface ImportStep {
  readonly command: string;
  readonly data?: Record<string, unknown>;
  readonly occurredAt: string;
  readonly actor?: unknown;
}

const MIGRATION = { id: 'legacy-import', name: '数据迁移', roles: ['office'], via: 'import' } as const satisfies Actor & { via: 'import' };
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

/**
 * One line per item: `{"submit": {kind, session, number, title, body, proposers}, "submittedAt": "…",
 * "steps": [{"command": "RegisterProposal", "data": {…}, "occurredAt": "…", "actor"?: {…}}, …]}`.
 * Each step is validated as its API route validates it (the same DTO, units known to the directory, an
 * actor with roles Banli knows, recorded as imported), then decided in order, back-dated to when it
 * happened, by the same decider and access policy as the service; the item is appended whole, or not at
 * all when a step is refused (and then no personal-data key is written for it either).
 */
async function importFile(store: EventStore, config: BanliConfig, io: Io, file: string): Promise<number> {
  const ruleSets = ruleSetCatalog(loadRuleSets(config.ruleSetsDir));
  const calendar = new ChineseDaysCalendar();
  const vault = new PersonalDataVault(join(config.dataDir, PERSONAL_DATA_FILE));
  const units = new UnitsDirectory(store);
  const counts = { imported: 0, skipped: 0, refused: 0 };
  let index = 0;
  try {
    for await (const line of linesOf(file)) {
      index += 1;
      const where = `${file}:${index}`;
      if (line === undefined) {
        counts.refused += 1;
        io.err(`${where}: VALIDATION_FAILED the line is longer than ${MAX_LINE_BYTES} bytes`);
        continue;
      }
      if (line.trim() === '') continue;
      try {
        // A file saved by Windows tools starts with a byte-order mark: it is not part of the JSON.
        const parsed: unknown = JSON.parse(index === 1 ? line.replace(/^\uFEFF/, '') : line);
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('each line must be one JSON object: {"submit": …, "submittedAt": …, "steps": […]}');
        const entry = parsed as { submit?: Record<string, unknown>; submittedAt?: string; steps?: ImportStep[] };
        const submit = entry.submit;
        if (!submit || typeof submit.kind !== 'string' || typeof submit.session !== 'string' || typeof submit.number !== 'string') throw new Error('submit needs kind, session and number');
        if (typeof entry.submittedAt !== 'string' || Number.isNaN(Date.parse(entry.submittedAt))) throw new Error('submittedAt must be an instant');
        if (entry.steps !== undefined && !Array.isArray(entry.steps)) throw new Error('steps must be a list');
        const id = proposalIdFor(submit.kind, submit.session, submit.number);
        const stream = proposalStreamId(id);
        if ((await store.readStream(stream)).length > 0) {
          counts.skipped += 1;
          io.out(JSON.stringify({ line: index, item: id, outcome: 'already there' }));
          continue;
        }
        const steps: ImportStep[] = [{ command: 'SubmitProposal', data: { ...submit, proposalId: id }, occurredAt: entry.submittedAt }, ...(entry.steps ?? [])];
        const plan: CommandStep[] = [];
        for (const [n, step] of steps.entries()) {
          const label = n === 0 ? 'submit' : `steps[${n - 1}]`;
          if (!step || typeof step !== 'object' || !PROPOSAL_COMMAND_TYPES.includes(step.command as ProposalCommandType)) throw new Error(`${label}: unknown command ${String(step?.command)}`);
          if (typeof step.occurredAt !== 'string' || Number.isNaN(Date.parse(step.occurredAt))) throw new Error(`${label}: occurredAt must be an instant`);
          const data = (step.data ?? {}) as Record<string, unknown>;
          refuseSealedValues(data, label);
          await validateImportedStep(label, step.command as ProposalCommandType, data);
          const actor = step.actor === undefined ? MIGRATION : importedActor(label, step.actor);
          const unknown = await units.unknown(unitsNamed(data, actor));
          if (unknown.length > 0) throw new HttpProblem(422, 'UNKNOWN_UNIT', `${label}: not in the units directory: ${unknown.join(', ')}`);
          // Every imported step happened when the legacy system says: its date is history, not a live
          // caller back-dating, so each actor's roles are checked as for the step itself (a proposer rates).
          plan.push({ command: command(step.command as ProposalCommandType, data as never), actor, occurredAt: new Date(step.occurredAt).toISOString() });
        }
        // The item arrives whole, in one append, or not at all (its persons' keys included).
        const outcome = await handleCommands(store, stream, plan, {
          calendar,
          ruleSets,
          defaultRuleSet: config.defaultRuleSet,
          clock: () => new Date(),
          personalData: vault,
          expected: 'no-stream',
          correlationId: `import:${where}`,
          eventId: (_step, occurredAt) => newEventId(Date.parse(occurredAt)),
        });
        const events = outcome.events;
        const state = outcome.state;
        counts.imported += 1;
        io.out(JSON.stringify({ line: index, item: id, outcome: 'imported', events: events.length, status: state.status }));
      } catch (error) {
        if (error instanceof RevisionMismatchError) {
          counts.skipped += 1;
          continue;
        }
        counts.refused += 1;
        const e = error as Error & { code?: string };
        io.err(`${where}: ${e.code ? `${e.code} ` : ''}${e.message}`);
      }
    }
  } finally {
    vault.close();
  }
  io.out(JSON.stringify(counts));
  return counts.refused === 0 ? 0 : 1;
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
