import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { people, StandaloneHarness } from './standalone.harness';

/** Phone numbers are personal data: recorded sealed, shown in the clear, erasable without touching the hash chain. */
describe('personal data: sealed in the events, erasable on request', () => {
  const h = new StandaloneHarness();
  const PROPOSER_PHONE = '13812345678';
  const CONTACT_PHONE = '023-63860001';
  let id: string;
  const bearer = async (t: Promise<string>) => `Bearer ${await t}`;
  const get = async (path = '') => (await h.http().get(`/api/v1/proposals/${id}${path}`).set('authorization', await bearer(people.office())).expect(200)).body;
  const send = async (method: 'post' | 'put', path: string, who: Promise<string>, body: object, expected = 200) =>
    (await h.http()[method](`/api/v1/proposals/${id}/${path}`).set('authorization', await bearer(who)).send(body).expect(expected)).body;
  const erase = async (subject: string, who: Promise<string> = people.office(), expected = 200) =>
    (await h.http().post('/api/v1/personal-data/erasures').set('authorization', await bearer(who)).send({ subject }).expect(expected)).body;
  const reply = { documentNumber: '渝教议函〔2025〕50号', resultClass: 'B', body: '现答复如下……', contactPerson: '王老师', contactPhone: CONTACT_PHONE, disclose: false };
  /** Every byte the store has on disk: the database and its write-ahead log. */
  const storeBytes = () =>
    readdirSync(h.dataDir)
      .filter((f) => f.startsWith('events.db'))
      .map((f) => readFileSync(join(h.dataDir, f)).toString('latin1'))
      .join('');

  beforeAll(async () => {
    await h.start();
    h.at('2025-03-03 09:00');
    const office = await bearer(people.office());
    for (const unit of ['u-edu', 'u-gov']) await h.http().put(`/api/v1/units/${unit}`).set('authorization', office).send({ name: unit }).expect(200);
    id = (
      await h.http()
        .post('/api/v1/proposals')
        .set('authorization', office)
        .send({ number: '88', session: '六届三次', kind: 'npc-suggestion', title: '关于校园安全的建议', body: '……', proposers: [{ id: 'dep-wang', name: '王代表', lead: true, phone: PROPOSER_PHONE }] })
        .expect(201)
    ).body.id;
    await send('post', 'registration', people.office(), { decision: 'accepted' });
    await send('post', 'assignment', people.office(), { mode: 'lead-with-co', leadUnits: ['u-edu'], supervisingUnits: ['u-gov'] });
    await send('put', 'replies/u-edu', people.handler('u-edu'), reply);
  });
  afterAll(() => h.stop());

  it('shows the numbers to those who may read the item, but the store holds them only sealed', async () => {
    const item = await get();
    expect(item.proposers[0]).toMatchObject({ id: 'dep-wang', phone: PROPOSER_PHONE });
    expect(item.replies[0].draft).toMatchObject({ contactPerson: '王老师', contactPhone: CONTACT_PHONE });
    const history = await get('/history');
    expect(history.find((e: { type: string }) => e.type === 'ReplyDrafted').data.contact).toEqual({ name: '王老师', phone: CONTACT_PHONE });
    const bytes = storeBytes();
    expect(bytes).toContain('pii:v1:');
    expect(bytes).not.toContain(PROPOSER_PHONE);
    expect(bytes).not.toContain(CONTACT_PHONE);
    expect(bytes).not.toContain(Buffer.from('王老师').toString('latin1')); // the contact's name is sealed too
  });

  it('still recognises a repeated draft as a repeat', async () => {
    const before = (await get()).revision;
    expect((await send('put', 'replies/u-edu', people.handler('u-edu'), reply)).revision).toBe(before);
  });

  it('an erasure makes the number unreadable everywhere and leaves the hash chain verifiable', async () => {
    const revision = (await get()).revision;
    expect(await erase('proposer:dep-wang')).toMatchObject({ subject: 'proposer:dep-wang', hadData: true });
    const item = await get();
    expect(item.proposers[0]).toMatchObject({ id: 'dep-wang', name: '王代表', phone: null });
    expect(item.replies[0].draft.contactPhone).toBe(CONTACT_PHONE); // another person's data: kept
    expect(item.revision).toBe(revision); // nothing was appended to the item
    expect((await get('/history'))[0].data.proposers[0].phone).toBeNull();
    const verify = await h.http().get(`/api/v1/audit/verify?proposalId=${id}`).set('authorization', await bearer(people.auditor())).expect(200);
    expect(verify.body).toEqual({ ok: true, checked: revision + 1 });

    // The contact person's name goes with the number: both are the contact's personal data.
    await erase(`reply-contact:${id}:u-edu`);
    expect((await get()).replies[0].draft).toMatchObject({ contactPerson: null, contactPhone: null });
    expect(JSON.stringify(await get('/history'))).not.toMatch(new RegExp(`${CONTACT_PHONE}|王老师`));
  });

  it('refuses erasures from others and for malformed subjects, changing nothing', async () => {
    expect((await erase('proposer:dep-wang', people.handler('u-edu'), 403)).code).toBe('FORBIDDEN');
    expect((await erase('someone', people.office(), 400)).code).toBe('VALIDATION_FAILED');
    await h.http().post('/api/v1/personal-data/erasures').send({ subject: 'proposer:x' }).expect(401);
  });

  it('seals what the person gives later under a new key', async () => {
    h.at('2025-03-04 09:00');
    const office = await bearer(people.office());
    const again = (
      await h.http()
        .post('/api/v1/proposals')
        .set('authorization', office)
        .send({ number: '89', session: '六届三次', kind: 'npc-suggestion', title: '关于校车的建议', body: '……', proposers: [{ id: 'dep-wang', name: '王代表', lead: true, phone: '13900000000' }] })
        .expect(201)
    ).body.id;
    const item = (await h.http().get(`/api/v1/proposals/${again}`).set('authorization', office).expect(200)).body;
    expect(item.proposers[0].phone).toBe('13900000000');
    expect((await get()).proposers[0].phone).toBeNull(); // the erased number stays erased
  });
});
