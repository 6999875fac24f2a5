import { people, StandaloneHarness } from './standalone.harness';

/** Registering webhooks as an attacker would (every spelling of "this machine") and as two units' supervisors do. */
describe('webhook registration: public targets only, owned by their unit', () => {
  const h = new StandaloneHarness();
  const hooks = '/api/v1/supervision/webhooks';
  const bearer = async (t: Promise<string>) => `Bearer ${await t}`;
  const register = async (who: Promise<string>, body: object) => h.http().post(hooks).set('authorization', await bearer(who)).send(body);
  let port: number;

  beforeAll(async () => {
    await h.start();
    await h.app.listen(0, '127.0.0.1');
    port = Number(new URL(await h.app.getUrl()).port);
    const office = await bearer(people.office());
    for (const unit of ['u-a', 'u-b']) await h.http().put(`/api/v1/units/${unit}`).set('authorization', office).send({ name: unit }).expect(200);
  });
  afterAll(() => h.stop());

  it.each([
    'https://127.0.0.1/hook',
    'https://127.1/hook',
    'https://2130706433/hook',
    'https://0x7f.0.0.1/hook',
    'https://0.0.0.0/hook',
    'https://localhost/hook',
    'https://localhost./hook',
    'https://[::1]/hook',
    'https://[::]/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'https://[::ffff:a9fe:a9fe]/hook',
    'https://169.254.169.254/latest/meta-data/',
    'https://[fe80::1]/hook',
    'https://[fd00::1]/hook',
    'https://10.1.2.3/hook',
    'https://172.16.0.1/hook',
    'https://192.168.0.10/hook',
    'https://100.64.1.1/hook',
    'https://239.255.255.250/hook',
    'https://[ff05::2]/hook',
    'http://93.184.216.34/hook',
    'https://user:pass@93.184.216.34/hook',
  ])('refuses %s, recording nothing', async (url) => {
    // Odd spellings already fail the URL check of the request (400); the rest fail the target check (422).
    const answer = await register(people.supervisor('u-a'), { url, secret: 'a-secret-of-16-chars' });
    expect([`${answer.status} ${answer.body.code}`]).toEqual([expect.stringMatching(/^(400 VALIDATION_FAILED|422 WEBHOOK_TARGET_REFUSED)$/)]);
    expect((await h.http().get(hooks).set('authorization', await bearer(people.office()))).body).toEqual([]);
  });

  it('refuses the service’s own port even on an operator’s allowed network', async () => {
    const own = new StandaloneHarness({ BANLI_WEBHOOK_ALLOW_NETWORKS: '127.0.0.0/8', BANLI_WEBHOOK_ALLOW_HTTP: 'true' });
    await own.start();
    await own.app.listen(0, '127.0.0.1');
    try {
      const ownPort = Number(new URL(await own.app.getUrl()).port);
      const at = async (url: string) => own.http().post(hooks).set('authorization', await bearer(people.office())).send({ url, secret: 'a-secret-of-16-chars' });
      expect((await at(`http://127.0.0.1:${ownPort}/api/v1/units`)).body).toMatchObject({ code: 'WEBHOOK_TARGET_REFUSED', reason: 'own-port' });
      expect((await at(`http://127.0.0.1:${ownPort + 1}/hook`)).status).toBe(201);
    } finally {
      await own.stop();
    }
    expect(port).toBeGreaterThan(0);
  });

  it('lets a supervisor see and manage its unit’s webhooks only; the office manages every one', async () => {
    const a = (await register(people.supervisor('u-a'), { url: 'https://93.184.216.34/a', secret: 'secret-of-unit-a-1' })).body;
    const b = (await register(people.supervisor('u-b'), { url: 'https://93.184.216.34/b', secret: 'secret-of-unit-b-1' })).body;
    expect(a).toMatchObject({ ownerUnit: 'u-a', registeredBy: 'supervisor@u-a' });
    expect(JSON.stringify(a)).not.toMatch(/secret-of-unit-a|registrant/);
    const asB = await bearer(people.supervisor('u-b'));
    expect((await h.http().get(hooks).set('authorization', asB)).body.map((w: { webhookId: string }) => w.webhookId)).toEqual([b.webhookId]);
    expect((await h.http().get(`${hooks}/${a.webhookId}`).set('authorization', asB).expect(403)).body.code).toBe('FORBIDDEN');
    expect((await h.http().delete(`${hooks}/${a.webhookId}`).set('authorization', asB).expect(403)).body.code).toBe('FORBIDDEN');
    await h.http().post(`${hooks}/${a.webhookId}/secret-rotation`).set('authorization', asB).send({ secret: 'stolen-secret-123456' }).expect(403);

    // Its own unit rotates its secret: the previous one is still valid for a while, and never shown.
    const rotated = (await h.http().post(`${hooks}/${a.webhookId}/secret-rotation`).set('authorization', await bearer(people.supervisor('u-a'))).send({ secret: 'secret-of-unit-a-2', previousValidForHours: 2 }).expect(200)).body;
    expect(rotated).toMatchObject({ webhookId: a.webhookId, previousSecretValidUntil: expect.any(String) });
    expect(JSON.stringify(rotated)).not.toMatch(/secret-of-unit-a/);
    expect((await h.http().post(`${hooks}/${a.webhookId}/secret-rotation`).set('authorization', await bearer(people.supervisor('u-a'))).send({ secret: 'has spaces in it 1234' }).expect(400)).body.code).toBe('VALIDATION_FAILED');
    // A Standard Webhooks secret must be the base64 of enough bytes: `whsec_` and anything else would sign with the few bytes that decode.
    for (const secret of ['whsec_!!!!!!!!!!!!!!!!!!!!', `whsec_${Buffer.alloc(15, 1).toString('base64')}`, `whsec_${'A'.repeat(31)}`, `whsec_${Buffer.alloc(65).toString('base64')}`]) {
      const refused = await h.http().post(`${hooks}/${a.webhookId}/secret-rotation`).set('authorization', await bearer(people.supervisor('u-a'))).send({ secret }).expect(400);
      expect([secret, refused.body.code, JSON.stringify(refused.body)]).toEqual([secret, 'VALIDATION_FAILED', expect.stringContaining('base64 of 24 to 64 bytes')]);
    }
    await h.http().post(`${hooks}/${a.webhookId}/secret-rotation`).set('authorization', await bearer(people.supervisor('u-a'))).send({ secret: `whsec_${Buffer.alloc(32, 7).toString('base64')}` }).expect(200);

    const office = await bearer(people.office());
    expect((await h.http().get(hooks).set('authorization', office)).body).toHaveLength(2);
    await h.http().delete(`${hooks}/${b.webhookId}`).set('authorization', office).expect(204);
    await h.http().delete(`${hooks}/${a.webhookId}`).set('authorization', await bearer(people.supervisor('u-a'))).expect(204);
  });
});
