import { IdempotencyStore } from '@banli/platform';
import { people, StandaloneHarness, token } from './standalone.harness';

/** Idempotency-Key as a careless client and an attacker use it: retried after a rebuild, by another token, after a re-assignment, a day later. */
describe('Idempotency-Key', () => {
  const h = new StandaloneHarness({ BANLI_IDEMPOTENCY_TTL: '1h' });
  const bearer = async (t: Promise<string>) => `Bearer ${await t}`;
  let id: string;
  const revision = async () => (await h.http().get(`/api/v1/proposals/${id}`).set('authorization', await bearer(people.office())).expect(200)).body.revision;
  const contact = async (key: string, who: Promise<string> = people.handler('u-a'), summary = '电话沟通') =>
    h.http().post(`/api/v1/proposals/${id}/contacts`).set('authorization', await bearer(who)).set('idempotency-key', key).send({ stage: 'during', channel: 'phone', summary });

  beforeAll(async () => {
    await h.start();
    h.at('2025-03-03 09:00');
    const office = await bearer(people.office());
    for (const unit of ['u-a', 'u-b']) await h.http().put(`/api/v1/units/${unit}`).set('authorization', office).send({ name: unit }).expect(200);
    id = (await h.http().post('/api/v1/proposals').set('authorization', office).send({ number: '1', session: '六届三次', kind: 'npc-suggestion', title: 't', body: 'b', proposers: [{ id: 'p', name: 'P', lead: true }] }).expect(201)).body.id;
    await h.http().post(`/api/v1/proposals/${id}/registration`).set('authorization', office).send({ decision: 'accepted' }).expect(200);
    await h.http().post(`/api/v1/proposals/${id}/assignment`).set('authorization', office).send({ mode: 'lead-with-co', leadUnits: ['u-a'] }).expect(200);
  });
  afterAll(() => h.stop());

  it('is remembered across a rebuilt read model and a restart: the same key never records twice', async () => {
    const first = await contact('k-rebuild');
    expect(first.status).toBe(200);
    await (await h.settled()).rebuild();
    await h.restart();
    const again = await contact('k-rebuild');
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await revision()).toBe(first.body.revision);
  });

  it('is scoped to the caller’s subject, unit and roles: another token’s key is not this one', async () => {
    const mine = await contact('k-scope');
    expect(mine.status).toBe(200);
    // The same subject in a token naming another unit: not a replay of the first answer, but a command of its own.
    const other = await contact('k-scope', token({ sub: 'handler@u-a', unit: 'u-b', roles: ['handler'] }));
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('FORBIDDEN');
    const moreRoles = await contact('k-scope', token({ sub: 'handler@u-a', unit: 'u-a', roles: ['handler', 'signer'] }));
    expect(moreRoles.status).toBe(200);
    expect(moreRoles.body.revision).toBeGreaterThan(mine.body.revision);
  });

  it('authorises the command again before it replays a stored answer', async () => {
    const office = await bearer(people.office());
    const asked = await h.http().post(`/api/v1/proposals/${id}/adjustment-requests`).set('authorization', await bearer(people.handler('u-a'))).set('idempotency-key', 'k-adjust').send({ reason: '不属于本单位' });
    expect(asked.status).toBe(200);
    await h.http().post(`/api/v1/proposals/${id}/adjustment-requests/${asked.body.requestId}/decision`).set('authorization', office).send({ approved: true, leadUnits: ['u-b'] }).expect(200);
    const replay = await h.http().post(`/api/v1/proposals/${id}/adjustment-requests`).set('authorization', await bearer(people.handler('u-a'))).set('idempotency-key', 'k-adjust').send({ reason: '不属于本单位' });
    expect(replay.status).toBe(403);
    expect(replay.body.code).toBe('FORBIDDEN');
    // The same route spelled with escapes is the same request: checked again too, not replayed.
    const escaped = await h.http().post(`/%61pi/v1/proposals/${id}/adjustment-requests`).set('authorization', await bearer(people.handler('u-a'))).set('idempotency-key', 'k-adjust').send({ reason: '不属于本单位' });
    expect([escaped.status, escaped.body.code]).toEqual([403, 'FORBIDDEN']);
  });

  it('expires after BANLI_IDEMPOTENCY_TTL: the same key then runs the command again', async () => {
    const first = await contact('k-expiry', people.handler('u-b'), '第二次沟通');
    expect(first.status).toBe(200);
    expect((await contact('k-expiry', people.handler('u-b'), '第二次沟通')).body).toEqual(first.body);
    h.now += 2 * 3_600_000;
    const later = await contact('k-expiry', people.handler('u-b'), '第二次沟通');
    expect(later.status).toBe(200);
    expect(later.body.revision).toBeGreaterThan(first.body.revision);
  });

  it('answers what was recorded even when the answer cannot be kept: never a 500 after a successful append', async () => {
    // The disk refuses the write of the answer (full, read-only) after the event was appended.
    const put = jest.spyOn(h.app.get(IdempotencyStore), 'put').mockImplementation(() => {
      throw new Error('SQLITE_FULL: database or disk is full');
    });
    const before = await revision();
    const answer = await contact('k-broken', people.handler('u-b'), '第三次沟通');
    expect(answer.status).toBe(200);
    expect(answer.body.revision).toBeGreaterThan(before);
    put.mockRestore();
  });

  it('refuses with 503 and records nothing when the answers cannot be read', async () => {
    const before = await revision();
    h.app.get(IdempotencyStore).close();
    const answer = await contact('k-unreadable', people.handler('u-b'), '第四次沟通');
    expect(answer.status).toBe(503);
    expect(answer.body.code).toBe('IDEMPOTENCY_UNAVAILABLE');
    expect(await revision()).toBe(before);
  });
});
