import { command, type CommandStep, DomainError, proposalStreamId } from '@banli/domain';
import { ConcurrencyError, type EventStore, SqliteEventStore } from '@banli/event-store';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actors, calendar, catalogWith, sh } from '../../domain/src/testing/decider-spec';
import { assigned, CO, DRAFT, ITEM, LEAD, SUPERVISOR } from '../../domain/src/testing/lifecycle.fixture';
import { ContentionError, ItemNotFoundError, RevisionMismatchError } from './command-errors';
import { type CommandContext, handleCommand, handleCommands } from './command-handler';
import { CommandLanes } from './command-lanes';
import { PersonalDataVault } from './sqlite/personal-data.vault';

const STREAM = proposalStreamId(ITEM.proposalId);
const supervisor = actors.supervisor(SUPERVISOR);
const urge = (n: number): CommandStep => ({ command: command('UrgeUnit', { unitId: LEAD, message: `催办 ${n}` }), actor: supervisor });

describe('handleCommand: the one command path', () => {
  let dir: string;
  let stores: SqliteEventStore[];
  let vault: PersonalDataVault;
  const context = (extra: Partial<CommandContext> = {}): CommandContext => ({ calendar, ruleSets: catalogWith(), clock: () => new Date(sh('2025-03-20 10:00')), personalData: vault, ...extra });
  const open = () => {
    const store = new SqliteEventStore({ file: join(dir, 'events.db') });
    stores.push(store);
    return store;
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'banli-handler-'));
    stores = [];
    vault = new PersonalDataVault(join(dir, 'personal-data.db'));
    await open().append(STREAM, assigned().toAppend(), 'no-stream');
  });
  afterEach(async () => {
    for (const store of stores) await store.close();
    vault.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records a command at the revision it was decided on', async () => {
    const outcome = await handleCommand(stores[0], STREAM, urge(1), context());
    const recorded = await stores[0].readStream(STREAM);
    expect(outcome.revision).toBe(recorded.length - 1);
    expect(recorded.at(-1)).toMatchObject({ type: 'Urged', actor: supervisor, occurredAt: new Date(sh('2025-03-20 10:00')).toISOString() });
    expect(outcome.state.status).toBe('assigned');
  });

  it('never gives up on a burst of 40 urges from two writers on one store file (two processes)', async () => {
    // Each "process" has its own connection and its own lanes, as two services on one store do.
    const writers = [
      { store: stores[0], lanes: new CommandLanes() },
      { store: open(), lanes: new CommandLanes() },
    ];
    const before = (await stores[0].readStream(STREAM)).length;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 40 }, (_, n) => {
        const { store, lanes } = writers[n % 2];
        return lanes.run(ITEM.proposalId, () => handleCommand(store, STREAM, urge(n), context()));
      }),
    );
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    const recorded = await stores[0].readStream(STREAM);
    expect(recorded.length - before).toBe(40);
    // Every urge recorded once, numbered in the order the store took them.
    expect(new Set(recorded.slice(before).map((e) => (e.data as { message: string }).message)).size).toBe(40);
    // The two writers did meet: some command lost a race and was decided again.
    expect(Math.max(...outcomes.map((o) => (o.status === 'fulfilled' ? o.value.attempts : 0)))).toBeGreaterThan(1);
  });

  it('refuses a pinned revision the item is not at, and records nothing', async () => {
    const revision = (await stores[0].readStream(STREAM)).length - 1;
    const refused = handleCommand(stores[0], STREAM, urge(1), context({ expected: revision - 1 }));
    await expect(refused).rejects.toBeInstanceOf(RevisionMismatchError);
    await expect(refused).rejects.toMatchObject({ revision });
    await expect(handleCommand(stores[0], STREAM, urge(1), context({ expected: 'no-stream' }))).rejects.toMatchObject({ code: 'REVISION_MISMATCH', revision });
    expect((await stores[0].readStream(STREAM)).length - 1).toBe(revision);
  });

  it('refuses a command on an item that does not exist, unless it creates it', async () => {
    const other = proposalStreamId('cq-2025-0099');
    await expect(handleCommand(stores[0], other, urge(1), context())).rejects.toBeInstanceOf(ItemNotFoundError);
    expect(await stores[0].readStream(other)).toEqual([]);
  });

  it('raises ContentionError once the attempts are spent, after deciding each time', async () => {
    const real = stores[0];
    let appends = 0;
    const losing = new Proxy(real, {
      get(target, key, receiver) {
        if (key === 'append') {
          return async () => {
            appends += 1;
            throw new ConcurrencyError(STREAM, 0, 1);
          };
        }
        const value = Reflect.get(target, key, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as EventStore;
    await expect(handleCommand(losing, STREAM, urge(1), context({ retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 2 } }))).rejects.toBeInstanceOf(ContentionError);
    expect(appends).toBe(4);
  });

  it('decides a batch step by step and appends it whole, or nothing (and no personal-data key) when a step is refused', async () => {
    const handler = actors.handler(LEAD);
    const coOpinions: CommandStep[] = CO.map((unit) => ({ command: command('SubmitCoOpinion', { unitId: unit, content: `${unit} 协办意见` }), actor: actors.handler(unit) }));
    const draft: CommandStep = { command: command('DraftReply', DRAFT), actor: handler };
    const refusedSign: CommandStep = { command: command('SignReply', { unitId: LEAD }), actor: handler }; // a handler may not sign
    const before = (await stores[0].readStream(STREAM)).length;
    await expect(handleCommands(stores[0], STREAM, [...coOpinions, draft, refusedSign], context())).rejects.toBeInstanceOf(DomainError);
    expect((await stores[0].readStream(STREAM)).length).toBe(before);
    const keys = new Database(join(dir, 'personal-data.db'), { readonly: true });
    expect(keys.prepare('SELECT count(*) AS n FROM subject_keys').get()).toEqual({ n: 0 });
    keys.close();

    const signed = await handleCommands(stores[0], STREAM, [...coOpinions, draft, { command: command('SignReply', { unitId: LEAD }), actor: actors.signer(LEAD) }], context());
    expect(signed.steps.map((s) => s.events.map((e) => e.type))).toEqual([['CoOpinionSubmitted', 'DeadlineMet'], ['CoOpinionSubmitted', 'DeadlineMet'], ['ReplyDrafted'], ['ReplySigned']]);
    const recorded = await stores[0].readStream(STREAM);
    expect(recorded.slice(before + 4).map((e) => [e.type, e.actor?.id])).toEqual([
      ['ReplyDrafted', handler.id],
      ['ReplySigned', `signer@${LEAD}`],
    ]);
    // The contact's phone number is recorded sealed, never in the clear.
    expect(JSON.stringify(recorded.slice(before))).not.toContain(DRAFT.contactPhone);
  });

  it('hands a generator plan what each step decided, and records a repeat as nothing', async () => {
    const seen: number[] = [];
    const outcome = await handleCommands(
      stores[0],
      STREAM,
      function* () {
        const first = yield urge(1);
        seen.push(first.events.length);
        const again = yield { command: command('AcknowledgeAssignment', { unitId: LEAD }), actor: actors.handler(LEAD) };
        seen.push(again.events.length);
      },
      context(),
    );
    expect(seen).toEqual([1, 2]); // the urge; the acknowledgement meets its deadline too
    const repeat = await handleCommand(stores[0], STREAM, { command: command('AcknowledgeAssignment', { unitId: LEAD }), actor: actors.handler(LEAD) }, context());
    expect(repeat.events).toEqual([]);
    expect(repeat.revision).toBe(outcome.revision);
  });
});
