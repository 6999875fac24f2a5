import { eventHash, GENESIS_HASH, metadataText } from '@banli/event-store';
import { StoreCheckpointService } from '@banli/supervision';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STORE_HEAD_FILE } from '@banli/platform';
import { type Io, runBanli } from '../../apps/standalone/src/banli.cli';
import { people, SECRET, StandaloneHarness } from './standalone.harness';

/**
 * What an operator with write access to events.db could do that no stream's own chain shows: delete a
 * whole stream, cut the log short, or rewrite a stream and recompute its hashes. The store as a whole
 * is chained and checkpointed with a key outside it, so verify tells.
 */
describe('the store as a whole: a removed stream, a truncated log and a rewritten chain are found', () => {
  let h: StandaloneHarness;
  const bearer = async (t: Promise<string>) => `Bearer ${await t}`;
  const ids: string[] = [];
  const db = () => new Database(join(h.dataDir, 'events.db'));
  const verifyApi = async () => (await h.http().get('/api/v1/audit/verify').set('authorization', await bearer(people.auditor())).expect(200)).body;
  async function verifyCli() {
    const out: string[] = [];
    const io: Io = { out: (l) => out.push(l), err: () => undefined, progress: () => undefined };
    const code = await runBanli(['verify'], { BANLI_DATA_DIR: h.dataDir, BANLI_JWT_SECRET: SECRET }, io);
    return { code, result: JSON.parse(out.at(-1)!), lines: out };
  }

  beforeEach(async () => {
    h = new StandaloneHarness();
    await h.start();
    h.at('2025-03-03 09:00');
    const office = await bearer(people.office());
    await h.http().put('/api/v1/units/u-a').set('authorization', office).send({ name: 'A' }).expect(200);
    ids.splice(0);
    for (const n of ['1', '2', '3']) {
      const id = (await h.http().post('/api/v1/proposals').set('authorization', office).send({ number: n, session: 's', kind: 'npc-suggestion', title: `t${n}`, body: 'b', proposers: [{ id: `p${n}`, name: 'P', lead: true }] }).expect(201)).body.id;
      await h.http().post(`/api/v1/proposals/${id}/registration`).set('authorization', office).send({ decision: 'accepted' }).expect(200);
      ids.push(id);
    }
    expect(await h.app.get(StoreCheckpointService).checkpoint()).toMatchObject({ position: expect.any(Number), signature: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });
  afterEach(() => h.stop());

  it('verifies an untouched store, streams and checkpoints alike', async () => {
    expect(await verifyApi()).toMatchObject({ ok: true, broken: [], store: { ok: true, checkpoints: 2, problems: [] } });
    expect((await verifyCli()).code).toBe(0);
  });

  it('finds a stream deleted whole, events and stream row', async () => {
    const d = db();
    d.prepare('DELETE FROM events WHERE stream_id = ?').run(`proposal-${ids[1]}`);
    d.prepare('DELETE FROM streams WHERE stream_id = ?').run(`proposal-${ids[1]}`);
    d.close();
    const result = await verifyApi();
    expect(result).toMatchObject({ ok: false, broken: [], store: { ok: false } });
    expect(result.store.problems).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'digest-mismatch' })]));
    const cli = await verifyCli();
    expect(cli.code).toBe(1);
    expect(cli.result).toMatchObject({ ok: false, store: { ok: false } });
  });

  it('finds a log cut short, checkpoint events and all', async () => {
    const d = db();
    const { position } = d.prepare("SELECT max(position) AS position FROM events WHERE stream_id <> 'store-checkpoints'").get() as { position: number };
    d.prepare('DELETE FROM events WHERE position >= ?').run(position - 2);
    d.prepare("DELETE FROM streams WHERE stream_id = 'store-checkpoints'").run();
    d.close();
    const result = await verifyApi();
    expect(result.store).toMatchObject({ ok: false, problems: expect.arrayContaining([expect.objectContaining({ kind: 'truncated' })]) });
    expect((await verifyCli()).code).toBe(1);
  });

  it('keeps the evidence across a restart: a log cut short is not checkpointed over, and the process says why', async () => {
    const d = db();
    const { position } = d.prepare("SELECT max(position) AS position FROM events WHERE stream_id <> 'store-checkpoints'").get() as { position: number };
    d.prepare('DELETE FROM events WHERE position >= ?').run(position - 2);
    d.prepare("DELETE FROM streams WHERE stream_id = 'store-checkpoints'").run();
    d.close();
    await h.restart();
    const office = await bearer(people.office());
    await h.http().post('/api/v1/proposals').set('authorization', office).send({ number: '9', session: 's', kind: 'npc-suggestion', title: 't9', body: 'b', proposers: [{ id: 'p9', name: 'P', lead: true }] }).expect(201);
    const checkpoints = h.app.get(StoreCheckpointService);
    expect(await checkpoints.checkpoint()).toBeUndefined();
    expect(checkpoints.stopped()).toMatch(/does not extend the checkpoint signed on .* cut short or rewritten/);
    expect((await verifyApi()).store).toMatchObject({ ok: false, problems: expect.arrayContaining([expect.objectContaining({ kind: 'truncated' })]) });
    expect((await verifyCli()).code).toBe(1);
  });

  it('reports a head missing from beside the secrets, and refuses to verify without the integrity key', async () => {
    rmSync(join(h.dataDir, STORE_HEAD_FILE));
    expect((await verifyApi()).store.problems).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'head-missing', detail: expect.stringContaining('BANLI_SECRETS_DIR') })]));
    const err: string[] = [];
    const elsewhere = mkdtempSync(join(tmpdir(), 'banli-no-secrets-'));
    const io: Io = { out: () => undefined, err: (l) => err.push(l), progress: () => undefined };
    const code = await runBanli(['verify'], { BANLI_DATA_DIR: h.dataDir, BANLI_SECRETS_DIR: elsewhere, BANLI_JWT_SECRET: SECRET }, io).catch((e: Error) => (err.push(e.message), 1));
    rmSync(elsewhere, { recursive: true, force: true });
    expect(code).toBe(1);
    expect(err.join('\n')).toMatch(/There is no integrity key at .*integrity-key/);
  });

  it('finds a stream rewritten with its hashes recomputed, which its own chain cannot show', async () => {
    const d = db();
    const stream = `proposal-${ids[0]}`;
    const rows = d.prepare('SELECT position, revision, event_id, type, schema_version, data, metadata, occurred_at, recorded_at FROM events WHERE stream_id = ? ORDER BY revision').all(stream) as { position: number; revision: number; event_id: string; type: string; schema_version: number; data: string; metadata: string; occurred_at: string; recorded_at: string }[];
    let previous = GENESIS_HASH;
    for (const r of rows) {
      const data = r.type === 'ProposalSubmitted' ? r.data.replace('"title":"t1"', '"title":"改写过的标题"') : r.data;
      const hash = eventHash(previous, { streamId: stream, revision: r.revision, eventId: r.event_id, type: r.type, schemaVersion: r.schema_version, occurredAt: r.occurred_at, recordedAt: r.recorded_at, metadataText: metadataText(JSON.parse(r.metadata)), dataText: data });
      d.prepare('UPDATE events SET data = ?, hash = ? WHERE position = ?').run(data, hash, r.position);
      previous = hash;
    }
    d.prepare('UPDATE streams SET hash = ? WHERE stream_id = ?').run(previous, stream);
    d.close();
    const result = await verifyApi();
    expect(result.broken).toEqual([]); // the stream's own chain holds: it was rewritten whole
    expect(result.store).toMatchObject({ ok: false, problems: expect.arrayContaining([expect.objectContaining({ kind: 'digest-mismatch' })]) });
    expect(result.ok).toBe(false);
  });

  it('names an event whose data no longer parses, by its place, and verifies the rest', async () => {
    const d = db();
    const row = d.prepare('SELECT position, revision FROM events WHERE stream_id = ? ORDER BY revision LIMIT 1').get(`proposal-${ids[1]}`) as { position: number; revision: number };
    d.prepare('UPDATE events SET data = ? WHERE position = ?').run('{"title": "cut off', row.position);
    d.close();
    const result = await verifyApi();
    expect(result.ok).toBe(false);
    expect(result.store.problems).toEqual(
      expect.arrayContaining([
        { kind: 'unreadable', position: row.position, detail: expect.stringContaining(`proposal-${ids[1]} revision ${row.revision}) cannot be read: its data is not JSON`) },
        expect.objectContaining({ kind: 'digest-mismatch' }),
      ]),
    );
    expect(result.store.events).toBeGreaterThan(row.position);
    const cli = await verifyCli();
    expect(cli.code).toBe(1);
  });

  it('refuses a checkpoint that was not signed with the integrity key', async () => {
    const d = db();
    const row = d.prepare("SELECT position, data FROM events WHERE stream_id = 'store-checkpoints' ORDER BY position LIMIT 1").get() as { position: number; data: string };
    d.prepare('UPDATE events SET data = ? WHERE position = ?').run(row.data.replace(/"signature":"[0-9a-f]{4}/, '"signature":"0000'), row.position);
    d.close();
    expect((await verifyApi()).store.problems).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'checkpoint-signature' })]));
  });
});

describe('verifying a large store', () => {
  const h = new StandaloneHarness();
  beforeAll(async () => {
    await h.start();
    const store = h.app.get<import('@banli/event-store').EventStore>((await import('@banli/platform')).EVENT_STORE);
    const at = new Date(h.now).toISOString();
    await Promise.all(
      Array.from({ length: 3000 }, (_, n) =>
        store.append(`legacy-archive-${n}`, [1, 2, 3].map((i) => ({ type: 'ProposerContacted', schemaVersion: 1, data: { unitId: 'u', stage: 'before', channel: 'phone', summary: `s${i}` }, occurredAt: at })), 'no-stream'),
      ),
    );
  }, 60_000);
  afterAll(() => h.stop());

  it('gives the event loop its turn: the service answers other requests while GET /audit/verify runs', async () => {
    const auditor = `Bearer ${await people.auditor()}`;
    let verifiedAt = 0;
    const verifying = h.http().get('/api/v1/audit/verify').set('authorization', auditor).then((r) => {
      verifiedAt = Date.now();
      return r.body;
    });
    await new Promise((r) => setTimeout(r, 30));
    await h.http().get('/health').expect(200);
    const answeredAt = Date.now();
    expect(await verifying).toMatchObject({ ok: true, streams: expect.any(Number) });
    expect(answeredAt).toBeLessThan(verifiedAt);
  }, 60_000);
});
