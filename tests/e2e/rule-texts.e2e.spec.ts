import { people, StandaloneHarness } from './standalone.harness';

const bearer = async (t: Promise<string>) => `Bearer ${await t}`;

/** What the regulations ask beyond a task list, over HTTP: complex items, a later receipt, consent to extend, co-signers' withdrawal, commitment receipts. */
describe('the texts’ rules over HTTP', () => {
  const h = new StandaloneHarness();
  const post = async (path: string, who: Promise<string>, body: object = {}, expected = 200) =>
    (await h.http().post(`/api/v1/proposals/${path}`).set('authorization', await bearer(who)).send(body).expect(expected)).body;
  const get = async (id: string) => (await h.http().get(`/api/v1/proposals/${id}`).set('authorization', await bearer(people.office())).expect(200)).body;
  const reply = (view: { deadlines: { kind: string; state: string; dueDate: string }[] }) => view.deadlines.find((d) => d.kind === 'reply' && d.state !== 'cancelled');
  let n = 0;
  const assignedItem = async (assignment: object) => {
    n += 1;
    h.at('2025-03-05 09:00');
    const item = { number: `07${n}`, session: '六届三次', kind: 'npc-suggestion', title: '关于加强未成年人心理健康的建议', body: '建议……', proposers: [{ id: 'dep-tan', name: '谭理', lead: true }, { id: 'dep-li', name: '李明', lead: false }] };
    const id = (await h.http().post('/api/v1/proposals').set('authorization', await bearer(people.office())).send(item).expect(201)).body.id;
    await post(`${id}/registration`, people.office(), { decision: 'accepted' });
    h.at('2025-03-10 10:00');
    await post(`${id}/assignment`, people.office(), { mode: 'lead-with-co', leadUnits: ['cq-edu'], coUnits: ['cq-health'], ...assignment });
    return id;
  };

  beforeAll(async () => {
    await h.start();
    const office = await bearer(people.office());
    for (const [unitId, name] of [['cq-edu', '市教委'], ['cq-health', '市卫生健康委']]) await h.http().put(`/api/v1/units/${unitId}`).set('authorization', office).send({ name }).expect(200);
  });
  afterAll(() => h.stop());

  it('a complex item under Chongqing: six months at assignment, or declared later by the office with a reason', async () => {
    const complex = await assignedItem({ complex: true });
    expect(await get(complex)).toMatchObject({ complex: true });
    expect(reply(await get(complex))).toMatchObject({ dueDate: '2025-09-10' });

    const later = await assignedItem({});
    expect(reply(await get(later))).toMatchObject({ dueDate: '2025-06-10' });
    h.at('2025-04-01 09:00');
    expect((await post(`${later}/complexity`, people.handler('cq-edu'), { reason: '复杂' }, 403)).code).toBe('FORBIDDEN');
    expect((await post(`${later}/complexity`, people.office(), {}, 400)).code).toBe('VALIDATION_FAILED');
    await post(`${later}/complexity`, people.office(), { reason: '涉及三部门经费统筹' });
    expect(await get(later)).toMatchObject({ complex: true, complexReason: '涉及三部门经费统筹' });
    expect(reply(await get(later))).toMatchObject({ dueDate: '2025-09-10' });
    expect((await post(`${later}/assignment`, people.office(), { mode: 'lead-with-co', leadUnits: ['cq-edu'], complex: 'yes' }, 400)).code).toBe('VALIDATION_FAILED');
  });

  it('a receipt recorded later moves the steps counted from receipt', async () => {
    const id = await assignedItem({});
    h.at('2025-03-17 09:00');
    expect((await post(`${id}/receipts`, people.office(), { unitId: 'cq-edu', receivedOn: '14 March' }, 400)).code).toBe('VALIDATION_FAILED');
    await post(`${id}/receipts`, people.office(), { unitId: 'cq-edu', receivedOn: '2025-03-14' });
    const view = await get(id);
    expect(view.units.find((u: { unitId: string }) => u.unitId === 'cq-edu')).toMatchObject({ receivedOn: '2025-03-14' });
    expect(view.deadlines.find((d: { kind: string; state: string }) => d.kind === 'first-contact' && d.state === 'open')).toMatchObject({ startDate: '2025-03-14', dueDate: '2025-04-14' });
    expect((await post(`${id}/receipts`, people.office(), { unitId: 'cq-edu', receivedOn: '2025-03-13' }, 422)).code).toBe('RECEIPT_ALREADY_RECORDED');
  });

  it('Shanghai: an extension names who consented; withdrawing a co-signed item needs every deputy', async () => {
    const id = await assignedItem({ ruleSet: 'sh-npc-2015' });
    h.at('2025-05-20 09:00');
    expect((await post(`${id}/extensions`, people.office(), { months: 3, reason: '涉及面广' }, 422)).code).toBe('CONSENT_REQUIRED');
    await post(`${id}/extensions`, people.office(), { months: 3, reason: '涉及面广', consentedBy: '市人大常委会代表工作机构' });
    expect(reply(await get(id))).toMatchObject({ dueDate: '2025-09-10' });
    const refused = await post(`${id}/withdrawal`, people.proposer('dep-tan'), { reason: '问题已解决' }, 422);
    expect(refused).toMatchObject({ code: 'CO_SIGNERS_AGREEMENT_REQUIRED', details: { missing: ['dep-li'] } });
    expect(await post(`${id}/withdrawal`, people.proposer('dep-tan'), { reason: '问题已解决', agreedBy: ['dep-li'] })).toMatchObject({ status: 'withdrawn' });
  });

  it('Chongqing: the deputy returns the receipt of a commitment’s fulfilment report', async () => {
    const id = await assignedItem({ coUnits: [] });
    h.at('2025-05-20 09:00');
    const letter = { documentNumber: '渝教议函〔2025〕90号', resultClass: 'A', body: '现答复如下……', contactPerson: '张老师', contactPhone: '023-63862000', disclose: false, commitments: [{ description: '年内建成心理辅导站20个', dueDate: '2025-12-31' }] };
    await h.http().put(`/api/v1/proposals/${id}/replies/cq-edu`).set('authorization', await bearer(people.handler('cq-edu'))).send(letter).expect(200);
    await post(`${id}/replies/cq-edu/signature`, people.signer('cq-edu'));
    await post(`${id}/replies/cq-edu/dispatch`, people.handler('cq-edu'));
    const commitmentId = 'cq-edu-r1-c1';
    expect((await post(`${id}/commitments/${commitmentId}/receipt`, people.proposer('dep-tan'), {}, 422)).code).toBe('COMMITMENT_NOT_FULFILLED');
    h.at('2025-11-03 09:00');
    await post(`${id}/commitments/${commitmentId}/fulfilment`, people.handler('cq-edu'), { note: '已建成22个' });
    expect((await get(id)).deadlines.find((d: { kind: string }) => d.kind === 'commitment-receipt')).toMatchObject({ dueDate: '2025-12-01', state: 'open' });
    h.at('2025-11-10 09:00');
    expect((await post(`${id}/commitments/${commitmentId}/receipt`, people.handler('cq-edu'), {}, 403)).code).toBe('FORBIDDEN');
    await post(`${id}/commitments/${commitmentId}/receipt`, people.proposer('dep-tan'), { comment: '已落实' });
    const view = await get(id);
    expect(view.commitments[0]).toMatchObject({ commitmentId, receipt: { proposerId: 'dep-tan', comment: '已落实' } });
    expect(view.deadlines.find((d: { kind: string }) => d.kind === 'commitment-receipt')).toMatchObject({ state: 'met', onTime: true });
  });
});
