import { ProposalCommandService } from '@banli/platform';
import { command } from '@banli/domain';
import { people, StandaloneHarness } from './standalone.harness';

/** A handler back-dated a dispatch forty days to turn a recorded breach into on time: now it stays late until the office confirms it. */
describe('back-dating past a recorded breach', () => {
  const h = new StandaloneHarness();
  const bearer = async (t: Promise<string>) => `Bearer ${await t}`;
  const post = async (path: string, who: Promise<string>, body: object, expected = 200) =>
    (await h.http().post(`/api/v1/proposals/${path}`).set('authorization', await bearer(who)).send(body).expect(expected)).body;
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it('counts the dispatch late, warns the handler, and lets the office confirm it on time with a reason the dossier shows', async () => {
    h.at('2025-03-03 09:00');
    const office = await bearer(people.office());
    await h.http().put('/api/v1/units/u-a').set('authorization', office).send({ name: 'A' }).expect(200);
    const id = (await h.http().post('/api/v1/proposals').set('authorization', office).send({ number: '40', session: '六届三次', kind: 'npc-suggestion', title: 't', body: 'b', proposers: [{ id: 'p', name: 'P', lead: true }] }).expect(201)).body.id;
    await post(`${id}/registration`, people.office(), { decision: 'accepted' });
    await post(`${id}/assignment`, people.office(), { mode: 'lead-with-co', leadUnits: ['u-a'] });
    h.at('2025-05-20 09:00');
    await h.http().put(`/api/v1/proposals/${id}/replies/u-a`).set('authorization', await bearer(people.handler('u-a'))).send({ documentNumber: 'd', resultClass: 'A', body: 'b', contactPerson: 'c', contactPhone: '1', disclose: false }).expect(200);
    await post(`${id}/replies/u-a/signature`, people.signer('u-a'), {});
    const reply = () => h.http().get(`/api/v1/proposals/${id}`).set('authorization', office).then((r) => r.body.deadlines.find((d: { kind: string }) => d.kind === 'reply'));
    const due = await reply();
    // The scheduler records the breach at 24:00 of the due date.
    h.now = Date.parse(due.dueAt) + 1000;
    await h.app.get(ProposalCommandService).execute(id, command('MarkDeadlineBreached', { deadlineId: due.id }), { actor: { id: 'deadline-scheduler', roles: ['system'] } });
    h.now = Date.parse(due.dueAt) + 40 * 86_400_000;
    const dispatched = await post(`${id}/replies/u-a/dispatch`, people.handler('u-a'), { occurredAt: new Date(Date.parse(due.dueAt) - 5 * 86_400_000).toISOString() });
    expect(dispatched.warnings).toEqual([expect.objectContaining({ code: 'BACKDATED_BEFORE_RECORDED_BREACH', deadlineIds: [due.id] })]);
    expect(await reply()).toMatchObject({ state: 'met', onTime: false, breachedAt: expect.any(String) });

    expect((await post(`${id}/deadlines/${due.id}/on-time-confirmation`, people.handler('u-a'), { reason: '我确实按时发了' }, 403)).code).toBe('FORBIDDEN');
    await post(`${id}/deadlines/${due.id}/on-time-confirmation`, people.office(), { reason: '纸质发文登记簿第12页' });
    expect(await reply()).toMatchObject({ state: 'met', onTime: true });
    const dossier = (await h.http().get(`/api/v1/proposals/${id}/dossier?format=json`).set('authorization', office).expect(200)).body;
    expect(dossier.timeline.find((t: { type: string }) => t.type === 'ReplyDispatched')).toMatchObject({ backdated: true });
    expect(dossier.timeline.at(-1)).toMatchObject({ type: 'DeadlineMetOnTimeConfirmed', step: expect.stringContaining('补录'), detail: expect.stringContaining('纸质发文登记簿第12页') });
  });
});
