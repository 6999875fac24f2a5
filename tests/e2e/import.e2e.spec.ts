import { proposalStreamId } from '@banli/domain';
import { proposalIdFor } from '@banli/platform';
import { SqliteEventStore } from '@banli/event-store';
import Database from 'better-sqlite3';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Io, runBanli } from '../../apps/standalone/src/banli.cli';
import { people, SECRET, StandaloneHarness } from './standalone.harness';

/** `banli import` as the API validates: the same DTO rules, known units, known roles; an item whole or not at all, keys included. */
describe('banli import validates every step as the API does', () => {
  const h = new StandaloneHarness();
  const files = mkdtempSync(join(tmpdir(), 'banli-import-'));
  const env = () => ({ BANLI_DATA_DIR: h.dataDir, BANLI_JWT_SECRET: SECRET });
  async function banli(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), progress: () => undefined };
    return { code: await runBanli(argv, env(), io), out, err };
  }
  const keys = () => {
    const db = new Database(join(h.dataDir, 'personal-data.db'), { readonly: true, fileMustExist: false });
    try {
      return (db.prepare("SELECT subject FROM subject_keys WHERE subject LIKE 'proposer:imp-%' ORDER BY subject").all() as { subject: string }[]).map((r) => r.subject);
    } catch {
      return [];
    } finally {
      db.close();
    }
  };
  const item = (number: string, steps: object[], proposers: object[] = [{ id: `imp-${number}`, name: '旧代表', lead: true, phone: '13800001111' }]) => ({
    submit: { kind: 'npc-suggestion', session: '五届四次', number, title: '旧系统的建议', body: '……', proposers },
    submittedAt: '2024-01-10T02:00:00Z',
    steps,
  });
  const handler = { id: 'h-1', name: '承办人', unit: 'u-a', roles: ['handler'] };
  const assigned = [
    { command: 'RegisterProposal', data: { decision: 'accepted' }, occurredAt: '2024-01-12T02:00:00Z' },
    { command: 'AssignProposal', data: { mode: 'lead-with-co', leadUnits: ['u-a'] }, occurredAt: '2024-01-15T02:00:00Z' },
  ];
  const importing = async (name: string, lines: object[]) => {
    const file = join(files, name);
    writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    return banli('import', file);
  };

  beforeAll(async () => {
    await h.start();
    await h.http().put('/api/v1/units/u-a').set('authorization', `Bearer ${await people.office()}`).send({ name: 'A' }).expect(200);
    await h.app.close(); // the tool works on the store directly
  });
  afterAll(async () => {
    rmSync(files, { recursive: true, force: true });
    rmSync(h.dataDir, { recursive: true, force: true });
  });

  it.each([
    ['an unknown field', [...assigned, { command: 'RecordContact', data: { unitId: 'u-a', stage: 'before', channel: 'phone', summary: 's', extra: 1 }, occurredAt: '2024-01-20T02:00:00Z', actor: handler }], 'VALIDATION_FAILED'],
    ['a value the DTO refuses', [...assigned, { command: 'RecordContact', data: { unitId: 'u-a', stage: 'sometime', channel: 'phone', summary: 's' }, occurredAt: '2024-01-20T02:00:00Z', actor: handler }], 'VALIDATION_FAILED'],
    ['a text too long for the API', [...assigned, { command: 'RecordContact', data: { unitId: 'u-a', stage: 'before', channel: 'phone', summary: 'x'.repeat(10_001) }, occurredAt: '2024-01-20T02:00:00Z', actor: handler }], 'VALIDATION_FAILED'],
    ['a unit not in the directory', [assigned[0], { command: 'AssignProposal', data: { mode: 'lead-with-co', leadUnits: ['u-nowhere'] }, occurredAt: '2024-01-15T02:00:00Z' }], 'UNKNOWN_UNIT'],
    ['an actor with a role Banli does not know', [...assigned, { command: 'AcknowledgeAssignment', data: { unitId: 'u-a' }, occurredAt: '2024-01-16T02:00:00Z', actor: { ...handler, roles: ['handler', 'superuser'] } }], 'VALIDATION_FAILED'],
    ['an actor claiming the system role', [...assigned, { command: 'AcknowledgeAssignment', data: { unitId: 'u-a' }, occurredAt: '2024-01-16T02:00:00Z', actor: { ...handler, roles: ['system'] } }], 'VALIDATION_FAILED'],
    ['an actor of a unit not in the directory', [...assigned, { command: 'AcknowledgeAssignment', data: { unitId: 'u-a' }, occurredAt: '2024-01-16T02:00:00Z', actor: { ...handler, unit: 'u-nowhere' } }], 'UNKNOWN_UNIT'],
    ['a deadline id that is not one', [...assigned, { command: 'ConfirmDeadlineMetOnTime', data: { deadlineId: '../../x', reason: 'paper' }, occurredAt: '2024-01-16T02:00:00Z' }], 'deadline id such as reply:u-edu:1'],
    ['a clock command', [...assigned, { command: 'MarkDeadlineBreached', data: { deadlineId: 'reply:u-a:1' }, occurredAt: '2024-05-16T02:00:00Z' }], 'VALIDATION_FAILED'],
  ])('refuses a line with %s, recording nothing of it and writing no key', async (_what, steps, code) => {
    const number = `R${Math.random().toString(36).slice(2, 8)}`;
    const run = await importing(`${number}.jsonl`, [item(number, steps)]);
    expect(run.code).toBe(1);
    expect(run.err.join('\n')).toContain(code);
    const store = new SqliteEventStore({ file: join(h.dataDir, 'events.db') });
    expect(await store.readStream(proposalStreamId(proposalIdFor('npc-suggestion', '五届四次', number)))).toEqual([]);
    await store.close();
    expect(keys()).not.toContain(`proposer:imp-${number}`);
  });

  it('writes no key for an item refused at a later step (the decider refuses the closure)', async () => {
    const run = await importing('late.jsonl', [item('late', [...assigned, { command: 'CloseProposal', data: {}, occurredAt: '2024-02-01T02:00:00Z' }], [{ id: 'imp-late-a', name: 'A', lead: true, phone: '13800002222' }, { id: 'imp-late-b', name: 'B', lead: false, phone: '13800003333' }])]);
    expect(run.code).toBe(1);
    expect(run.err.join('\n')).toMatch(/INVALID_TRANSITION|REPLY|EVALUATION/);
    expect(keys().filter((k) => k.startsWith('proposer:imp-late'))).toEqual([]);
  });

  it('imports a valid item, recording its actors as imported, with keys for its persons', async () => {
    const run = await importing('ok.jsonl', [item('ok', [...assigned, { command: 'AcknowledgeAssignment', data: { unitId: 'u-a' }, occurredAt: '2024-01-16T02:00:00Z', actor: handler }])]);
    expect(run.code).toBe(0);
    const store = new SqliteEventStore({ file: join(h.dataDir, 'events.db') });
    const events = await store.readStream(proposalStreamId(proposalIdFor('npc-suggestion', '五届四次', 'ok')));
    await store.close();
    expect(events.find((e) => e.type === 'AssignmentAcknowledged')?.actor).toEqual({ id: 'h-1', name: '承办人', unit: 'u-a', roles: ['handler'], via: 'import' });
    expect(events[0].actor).toMatchObject({ id: 'legacy-import', roles: ['office'], via: 'import' });
    expect(keys()).toContain('proposer:imp-ok');
  });

  it('says what is wrong with a line that is not an object, and reads a file that starts with a byte-order mark', async () => {
    const file = join(files, 'bom.jsonl');
    writeFileSync(file, `\uFEFF${JSON.stringify(item('bom', assigned))}\nnull\n[1, 2]\n42\n`);
    const run = await banli('import', file);
    expect(run.err).toEqual([1, 2, 3].map((n) => expect.stringContaining(`bom.jsonl:${n + 1}: each line must be one JSON object`)));
    expect(run.out.at(-1)).toBe(JSON.stringify({ imported: 1, skipped: 0, refused: 3 }));
  });

  it('imports a reply signed by its signer and rated by its proposer: people who may not back-date a live call, whose steps are history here', async () => {
    const proposer = { id: 'imp-rated', name: '旧代表', roles: ['proposer'] };
    const signer = { id: 's-1', name: '签发人', unit: 'u-a', roles: ['signer'] };
    const steps = [
      ...assigned,
      { command: 'AcknowledgeAssignment', data: { unitId: 'u-a' }, occurredAt: '2024-01-16T02:00:00Z', actor: handler },
      { command: 'DraftReply', data: { unitId: 'u-a', documentNumber: '渝教议函〔2024〕7号', resultClass: 'A', body: '已办理。', contactPerson: '李四', contactPhone: '023-63862000', disclose: false }, occurredAt: '2024-02-01T02:00:00Z', actor: handler },
      { command: 'SignReply', data: { unitId: 'u-a' }, occurredAt: '2024-02-02T02:00:00Z', actor: signer },
      { command: 'DispatchReply', data: { unitId: 'u-a' }, occurredAt: '2024-02-03T02:00:00Z', actor: handler },
      { command: 'EvaluateReply', data: { satisfaction: 'satisfied' }, occurredAt: '2024-02-10T02:00:00Z', actor: proposer },
    ];
    const run = await importing('rated.jsonl', [item('rated', steps, [{ id: 'imp-rated', name: '旧代表', lead: true, phone: '13800004444' }])]);
    expect([run.code, run.err]).toEqual([0, []]);
    const store = new SqliteEventStore({ file: join(h.dataDir, 'events.db') });
    const events = await store.readStream(proposalStreamId(proposalIdFor('npc-suggestion', '五届四次', 'rated')));
    await store.close();
    expect(events.find((e) => e.type === 'ReplyEvaluated')?.actor).toEqual({ ...proposer, via: 'import' });
  });

  it('reads the file as a stream: a line too long to hold is refused, the lines around it are imported', async () => {
    const file = join(files, 'big.jsonl');
    const out = createWriteStream(file);
    out.write(`${JSON.stringify(item('before-big', assigned))}\n`);
    const chunk = 'x'.repeat(1024 * 1024);
    out.write('{"submit": {"kind": "npc-suggestion", "session": "五届四次", "number": "big", "title": "');
    for (let i = 0; i < 20; i++) out.write(chunk);
    out.write('"}}\n');
    out.write(`${JSON.stringify(item('after-big', assigned))}\n`);
    await new Promise<void>((resolve) => out.end(resolve));
    const run = await banli('import', file);
    expect(run.code).toBe(1);
    expect(run.err.join('\n')).toMatch(/big\.jsonl:2: VALIDATION_FAILED the line is longer than/);
    expect(run.out.at(-1)).toBe(JSON.stringify({ imported: 2, skipped: 0, refused: 1 }));
  });
});
