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
 *
 * Exit code 0 when everything held, 1 when something did not (a broken chain, a refused line), 2 on usage.
 */
import {
  type Actor,
  authorize,
  ChineseDaysCalendar,
  command,
  decide,
  evolve,
  INITIAL_STATE,
  PROPOSAL_COMMAND_TYPES,
  type ProposalCommandType,
  type ProposalState,
  proposalStreamId,
  readPolicy,
  refuseSealedValues,
  ruleSetCatalog,
} from '@banli/domain';
import { allStreamIds, ConcurrencyError, type EventStore, type NewEvent, newEventId, openEventStore } from '@banli/event-store';
import {
  type BanliConfig,
  buildDossier,
  historyView,
  loadConfig,
  openerFor,
  loadRuleSets,
  PERSONAL_DATA_FILE,
  PersonalDataVault,
  proposalIdFor,
  readDatabaseFile,
  preparePersonalData,
  renderDossierHtml,
  replayReadModel,
  sealDecided,
  toRecorded,
} from '@banli/platform';
import { DeadlineIndex } from '@banli/supervision';
import { readFileSync, writeFileSync } from 'node:fs';
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

const USAGE = 'usage: npm run banli -- verify [--item ID] | history ID | replay --projection read-model|deadlines|all [--threads N] | export --item ID --format jsonl|html [--out FILE] | import FILE';

export async function runBanli(argv: string[], env: NodeJS.ProcessEnv = process.env, io: Io = consoleIo): Promise<number> {
  const [name, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { item: { type: 'string' }, projection: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, threads: { type: 'string' } },
  });
  const config = loadConfig(env);
  const store = await openEventStore({ ...config.eventStore });
  try {
    switch (name) {
      case 'verify':
        return await verify(store, io, values.item);
      case 'history':
        if (!positionals[0]) break;
        return await history(store, config, io, positionals[0]);
      case 'replay':
        if (!['read-model', 'deadlines', 'all'].includes(values.projection ?? '')) break;
        if (values.threads !== undefined && !/^[1-9]$/.test(values.threads)) break;
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

async function verify(store: EventStore, io: Io, item?: string): Promise<number> {
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
  io.progress('');
  io.out(JSON.stringify({ ok: broken === 0, streams: streams.length, events: checked, broken }));
  return broken === 0 ? 0 : 1;
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
    const result = await replayReadModel({ store, readFile: readDatabaseFile(config), ...(threads === undefined ? {} : { shards: threads }), onProgress: (n) => io.progress(`read model ${bar(n, total)} ${n} events`) });
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
  readonly actor?: Actor;
}

const MIGRATION: Actor = { id: 'legacy-import', name: '数据迁移', roles: ['office'] };

/**
 * One line per item: `{"submit": {kind, session, number, title, body, proposers}, "submittedAt": "…",
 * "steps": [{"command": "RegisterProposal", "data": {…}, "occurredAt": "…", "actor"?: {…}}, …]}`.
 * Each item's steps are decided in order, back-dated to when they happened, by the same decider and
 * access policy as the service; the item is appended whole, or not at all when a step is refused.
 */
async function importFile(store: EventStore, config: BanliConfig, io: Io, file: string): Promise<number> {
  const ruleSets = ruleSetCatalog(loadRuleSets(config.ruleSetsDir));
  const calendar = new ChineseDaysCalendar();
  const vault = new PersonalDataVault(join(config.dataDir, PERSONAL_DATA_FILE));
  const lines = readFileSync(file, 'utf8').split('\n');
  const counts = { imported: 0, skipped: 0, refused: 0 };
  try {
    for (const [index, line] of lines.entries()) {
      if (line.trim() === '') continue;
      const where = `${file}:${index + 1}`;
      try {
        const entry = JSON.parse(line) as { submit?: Record<string, unknown>; submittedAt?: string; steps?: ImportStep[] };
        const submit = entry.submit;
        if (!submit || typeof submit.kind !== 'string' || typeof submit.session !== 'string' || typeof submit.number !== 'string') throw new Error('submit needs kind, session and number');
        if (typeof entry.submittedAt !== 'string' || Number.isNaN(Date.parse(entry.submittedAt))) throw new Error('submittedAt must be an instant');
        if (entry.steps !== undefined && !Array.isArray(entry.steps)) throw new Error('steps must be a list');
        const id = proposalIdFor(submit.kind, submit.session, submit.number);
        const stream = proposalStreamId(id);
        if ((await store.readStream(stream)).length > 0) {
          counts.skipped += 1;
          io.out(JSON.stringify({ line: index + 1, item: id, outcome: 'already there' }));
          continue;
        }
        const steps: ImportStep[] = [{ command: 'SubmitProposal', data: { ...submit, proposalId: id }, occurredAt: entry.submittedAt }, ...(entry.steps ?? [])];
        let state: ProposalState = INITIAL_STATE;
        const events: NewEvent[] = [];
        for (const [n, step] of steps.entries()) {
          if (!PROPOSAL_COMMAND_TYPES.includes(step.command as ProposalCommandType)) throw new Error(`steps[${n - 1}]: unknown command ${String(step.command)}`);
          if (typeof step.occurredAt !== 'string' || Number.isNaN(Date.parse(step.occurredAt))) throw new Error(`steps[${n - 1}]: occurredAt must be an instant`);
          const actor = step.actor ?? MIGRATION;
          const occurredAt = new Date(step.occurredAt).toISOString();
          const cmd = command(step.command as ProposalCommandType, (step.data ?? {}) as never);
          refuseSealedValues(cmd.data, `steps[${n - 1}]`);
          authorize(cmd, state, actor, { backdated: true });
          const prepared = preparePersonalData(vault, id, cmd, state);
          const decisions = decide(prepared.command, state, { now: new Date().toISOString(), actor, occurredAt, calendar, ruleSets, defaultRuleSet: config.defaultRuleSet });
          const decided = await sealDecided(vault, prepared, id, decisions);
          for (const e of decided) {
            events.push({ eventId: newEventId(Date.parse(occurredAt)), type: e.type, schemaVersion: e.schemaVersion, data: e.data, occurredAt, actor, correlationId: `import:${where}` });
            state = evolve(state, { ...e, metadata: { occurredAt, actor } } as Parameters<typeof evolve>[1]);
          }
        }
        await store.append(stream, events, 'no-stream');
        counts.imported += 1;
        io.out(JSON.stringify({ line: index + 1, item: id, outcome: 'imported', events: events.length, status: state.status }));
      } catch (error) {
        if (error instanceof ConcurrencyError) {
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
