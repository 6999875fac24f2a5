import { readDatabaseFile, loadConfig } from '@banli/platform';
import { ProposalReadModel } from '@banli/read-model';
import { STANDALONE_PROJECTIONS as projections } from '../../apps/standalone/src/read-projections';
import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Io, runBanli } from '../../apps/standalone/src/banli.cli';
import { people, SECRET, StandaloneHarness } from './standalone.harness';

/** `npm run banli -- …` against a store the service itself built through its HTTP API. */
describe('the banli command-line tool', () => {
  const h = new StandaloneHarness();
  const ids: string[] = [];
  let live: Record<string, unknown[]>;
  const env = () => ({ BANLI_DATA_DIR: h.dataDir, BANLI_JWT_SECRET: SECRET, BANLI_RULE_SET: 'cq-npc-2017' });
  async function banli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
    const out: string[] = [];
    const err: string[] = [];
    const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), progress: () => undefined };
    return { code: await runBanli(argv, env(), io), out, err };
  }
  const bearer = async (t: Promise<string>) => `Bearer ${await t}`;
  const post = async (id: string, path: string, who: Promise<string>, body: object = {}) =>
    h.http().post(`/api/v1/proposals/${id}/${path}`).set('authorization', await bearer(who)).send(body).expect(200);
  const put = async (id: string, path: string, who: Promise<string>, body: object) => h.http().put(`/api/v1/proposals/${id}/${path}`).set('authorization', await bearer(who)).send(body).expect(200);

  beforeAll(async () => {
    await h.start();
    h.at('2025-03-03 09:00');
    const office = await bearer(people.office());
    for (const unit of ['u-edu', 'u-health', 'u-gov']) await h.http().put(`/api/v1/units/${unit}`).set('authorization', office).send({ name: unit }).expect(200);
    for (const n of ['1', '2', '3']) {
      const body = { number: n, session: '六届三次', kind: 'npc-suggestion', title: `建议${n}`, body: '……', proposers: [{ id: `dep-${n}`, name: `代表${n}`, lead: true, phone: `1380000000${n}` }] };
      ids.push((await h.http().post('/api/v1/proposals').set('authorization', office).send(body).expect(201)).body.id);
    }
    h.at('2025-03-05 09:00');
    for (const id of ids) await post(id, 'registration', people.office(), { decision: 'accepted' });
    h.at('2025-03-10 10:00');
    for (const id of ids.slice(0, 2)) await post(id, 'assignment', people.office(), { mode: 'lead-with-co', leadUnits: ['u-edu'], coUnits: ['u-health'], supervisingUnits: ['u-gov'] });
    await post(ids[2], 'withdrawal', people.proposer('dep-3'), { reason: '代表撤回' });
    h.at('2025-03-12 10:00');
    await post(ids[0], 'acknowledgements', people.handler('u-edu'));
    await post(ids[0], 'contacts', people.handler('u-edu'), { stage: 'before', channel: 'phone', summary: '电话沟通' });
    await put(ids[0], 'co-opinions/u-health', people.handler('u-health'), { content: '会办意见' });
    h.at('2025-05-20 10:00');
    await put(ids[0], 'replies/u-edu', people.handler('u-edu'), { documentNumber: '渝教议函〔2025〕9号', resultClass: 'A', body: '答复……', contactPerson: '张老师', contactPhone: '023-63860000', disclose: true });
    await post(ids[0], 'replies/u-edu/signature', people.signer('u-edu'));
    await post(ids[0], 'replies/u-edu/dispatch', people.handler('u-edu'));
    h.at('2025-05-28 10:00');
    await post(ids[0], 'evaluations', people.proposer('dep-1'), { satisfaction: 'satisfied' });
    await post(ids[1], 'urges', people.supervisor('u-gov'), { unitId: 'u-edu', message: '请抓紧' });
    live = (await h.settled()).model.snapshot();
    await h.app.close();
  });
  afterAll(() => h.stop());

  it('rule-set check validates a file and prints each step’s due date for a sample start, across National Day', async () => {
    const file = join(__dirname, '../../libs/domain/src/rule-sets/data/cq-npc-2017.json');
    const { code, out } = await banli('rule-set', 'check', file, '--from', '2025-09-26');
    expect(code).toBe(0);
    expect(JSON.parse(out[0])).toMatchObject({ id: 'cq-npc-2017', version: 3, verification: 'verbatim', from: '2025-09-26' });
    const due = Object.fromEntries(out.slice(1).map((line) => JSON.parse(line)).map((s: { step: string; dueDate: string }) => [s.step, s.dueDate]));
    // By hand: 5 working days from Friday 26 September 2025 are Sunday 28 September (a make-up working day),
    // 29 and 30 September, then 9 and 10 October after the National Day holiday (1–8 October).
    expect(due['co-opinion-resubmission']).toBe('2025-10-10');
    // Three months from 26 September: 26 December.
    expect(due.reply).toBe('2025-12-26');
    // A complex item (第二十一条): six months, Thursday 26 March 2026.
    expect(due['reply (complex item)']).toBe('2026-03-26');
    expect(due['reply extended (latest)']).toBeUndefined();
    const bad = await banli('rule-set', 'check', join(__dirname, '../../libs/domain/src/rule-sets/fixtures/bad-unit.json'));
    expect(bad.code).toBe(1);
    expect(bad.err[0]).toMatch(/bad-unit\.json: field "steps\.reply\.unit" must be one of/);
    const folder = await banli('rule-set', 'check', __dirname);
    expect(folder).toMatchObject({ code: 1, err: [`Rule set ${__dirname}: cannot be read (EISDIR)`] });
    expect((await banli('rule-set', 'check', join(__dirname, 'none.json'))).err).toEqual([`Rule set ${join(__dirname, 'none.json')}: cannot be read (no such file)`]);
  });

  it('replay without a projection says which are known, and changes nothing', async () => {
    const bare = await banli('replay');
    expect(bare.code).toBe(2);
    expect(bare.err[0]).toBe('replay needs --projection read-model, deadlines or all');
    const wrong = await banli('replay', '--projection', 'all', '--threads', '12');
    expect(wrong.code).toBe(2);
    expect(wrong.err[0]).toBe('--threads is a number from 1 to 9 (not 12)');
  });

  it('replay --projection all rebuilds read models equal to the live ones, with a final count', async () => {
    expect(live.rm_proposals).toHaveLength(3);
    const { code, out } = await banli('replay', '--projection', 'all', '--threads', '2');
    expect(code).toBe(0);
    const summary = JSON.parse(out.at(-1)!);
    expect(summary).toMatchObject({ projection: 'all', events: expect.any(Number), threads: 2 });
    expect(summary.openDeadlines).toBeGreaterThan(0);
    const rebuilt = new ProposalReadModel(readDatabaseFile(loadConfig(env())), { projections });
    expect(rebuilt.snapshot()).toEqual(live);
    rebuilt.close();
  });

  it('run as a command on the embedded store, replay rebuilds the read model on two threads, equal to the live one', async () => {
    rmSync(readDatabaseFile(loadConfig(env())), { force: true });
    const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(__dirname, '../../apps/standalone/src/banli.cli.ts'), 'replay', '--projection', 'read-model', '--threads', '2'], { env: { ...process.env, ...env() } });
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1)!)).toMatchObject({ projection: 'read-model', threads: 2 });
    const rebuilt = new ProposalReadModel(readDatabaseFile(loadConfig(env())), { projections });
    expect(rebuilt.snapshot()).toEqual(live);
    expect(rebuilt.position()).toBeGreaterThan(0);
    rebuilt.close();
  }, 30_000);

  it('verify passes an untouched store, and names the stream and revision of an altered event', async () => {
    const clean = await banli('verify');
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.out.at(-1)!)).toMatchObject({ ok: true, broken: 0 });
    const db = new Database(join(h.dataDir, 'events.db'));
    db.prepare("UPDATE events SET data = replace(data, '电话沟通', '上门走访') WHERE stream_id = ? AND type = 'ProposerContacted'").run(`proposal-${ids[0]}`);
    const altered = db.prepare("SELECT revision FROM events WHERE stream_id = ? AND type = 'ProposerContacted'").get(`proposal-${ids[0]}`) as { revision: number };
    db.close();
    const found = await banli('verify');
    expect(found.code).toBe(1);
    expect(found.out).toContainEqual(JSON.stringify({ stream: `proposal-${ids[0]}`, ok: false, firstBrokenRevision: altered.revision }));
    expect((await banli('verify', '--item', ids[1])).code).toBe(0);
    expect((await banli('verify', '--item', ids[0])).code).toBe(1);
  });

  it('replays on one thread just the same', async () => {
    expect(JSON.parse((await banli('replay', '--projection', 'read-model', '--threads', '1')).out.at(-1)!)).toMatchObject({ threads: 1 });
    const rebuilt = new ProposalReadModel(readDatabaseFile(loadConfig(env())), { projections });
    expect(rebuilt.snapshot().rm_proposals).toHaveLength(3);
    rebuilt.close();
    expect((await banli('replay', '--projection', 'read-model', '--threads', 'x')).code).toBe(2);
  });

  it('a service started on a replayed read model follows items replayed before it: their streams are read again', async () => {
    await h.start();
    let followed: Record<string, unknown[]>;
    try {
      const before = (await h.settled()).model.revisionOf(ids[1]);
      h.at('2025-03-12 11:00');
      await post(ids[1], 'acknowledgements', people.handler('u-edu'));
      const model = (await h.settled()).model;
      expect(model.revisionOf(ids[1])).toBeGreaterThan(before);
      const listed = await h.http().get('/api/v1/proposals?unit=u-edu').set('authorization', await bearer(people.office())).expect(200);
      expect(listed.body.items.find((i: { id: string }) => i.id === ids[1])).toMatchObject({ revision: model.revisionOf(ids[1]) });
      followed = model.snapshot();
    } finally {
      await h.app.close();
    }
    expect(followed).not.toEqual(live);
    expect((await banli('replay', '--projection', 'read-model', '--threads', '2')).code).toBe(0);
    const rebuilt = new ProposalReadModel(readDatabaseFile(loadConfig(env())), { projections });
    expect(rebuilt.snapshot()).toEqual(followed);
    rebuilt.close();
  });

  it('history and export give an item’s events, read as an auditor reads them; export html gives its dossier', async () => {
    const history = await banli('history', ids[1]);
    expect(history.code).toBe(0);
    const events = history.out.map((l) => JSON.parse(l));
    expect(events[0]).toMatchObject({ revision: 0, type: 'ProposalSubmitted', data: { proposers: [{ id: 'dep-2', name: '代表2', lead: true }] } });
    // The tool reads as an auditor: no personal data, neither opened nor sealed.
    expect(events[0].data.proposers[0]).not.toHaveProperty('phone');
    expect(history.out.join('\n')).not.toMatch(/13800000002|pii:v1:/);
    const jsonl = await banli('export', '--item', ids[1], '--format', 'jsonl');
    expect(jsonl.out.join('\n').split('\n').map((l) => JSON.parse(l).hash)).toEqual(events.map((e) => e.hash));
    expect(jsonl.out.join('\n')).not.toContain('13800000002'); // exported as stored: sealed
    const file = join(h.dataDir, 'dossier.html');
    expect((await banli('export', '--item', ids[1], '--format', 'html', '--out', file)).code).toBe(0);
    expect(require('node:fs').readFileSync(file, 'utf8')).toContain('<!doctype html>');
    expect((await banli('history', 'ns-0000000000000000')).code).toBe(1);
    expect((await banli('export', '--item', ids[1], '--format', 'pdf')).code).toBe(2);
  });

  it('imports a legacy system’s items with their back-dated steps, validated, and a re-run changes nothing', async () => {
    const file = join(h.dataDir, 'legacy.jsonl');
    const item = (number: string, steps: object[]) =>
      JSON.stringify({ submit: { kind: 'npc-suggestion', session: '六届二次', number, title: `旧系统建议${number}`, body: '……', proposers: [{ id: `old-${number}`, name: '老代表', lead: true }] }, submittedAt: '2024-03-01T02:00:00Z', steps });
    writeFileSync(
      file,
      [
        item('101', [
          { command: 'RegisterProposal', data: { decision: 'accepted' }, occurredAt: '2024-03-04T02:00:00Z' },
          { command: 'AssignProposal', data: { mode: 'lead-with-co', leadUnits: ['u-edu'] }, occurredAt: '2024-03-11T02:00:00Z' },
          { command: 'AcknowledgeAssignment', data: { unitId: 'u-edu' }, occurredAt: '2024-03-12T02:00:00Z', actor: { id: 'old-handler', unit: 'u-edu', roles: ['handler'] } },
        ]),
        item('102', [{ command: 'RegisterProposal', data: { decision: 'maybe' }, occurredAt: '2024-03-04T02:00:00Z' }]),
        '{ not json',
      ].join('\n'),
    );
    const first = await banli('import', file);
    expect(first.code).toBe(1);
    expect(JSON.parse(first.out.at(-1)!)).toEqual({ imported: 1, skipped: 0, refused: 2 });
    expect(first.err).toEqual([expect.stringMatching(/legacy\.jsonl:2: VALIDATION_FAILED/), expect.stringMatching(/legacy\.jsonl:3: /)]);
    const imported = JSON.parse(first.out[0]);
    expect(imported).toMatchObject({ line: 1, outcome: 'imported', status: 'assigned' });
    const events = (await banli('history', imported.item)).out.map((l) => JSON.parse(l));
    expect(events.find((e) => e.type === 'AssignmentAcknowledged')).toMatchObject({ occurredAt: '2024-03-12T02:00:00.000Z', actor: { id: 'old-handler' } });
    // Nothing of the refused item was recorded; a second run skips what is there.
    const again = await banli('import', file);
    expect(JSON.parse(again.out.at(-1)!)).toEqual({ imported: 0, skipped: 1, refused: 2 });
    expect((await banli('history', imported.item)).out).toHaveLength(events.length);
  });

  it('runs as a command: npm run banli -- verify', async () => {
    const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(__dirname, '../../apps/standalone/src/banli.cli.ts'), 'verify', '--item', ids[1]], { env: { ...process.env, ...env() } });
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1)!)).toMatchObject({ ok: true, streams: 1 });
    await expect(promisify(execFile)(process.execPath, ['--import', 'tsx', join(__dirname, '../../apps/standalone/src/banli.cli.ts'), 'nonsense'], { env: { ...process.env, ...env() } })).rejects.toMatchObject({ code: 2 });
  }, 30_000);
});
