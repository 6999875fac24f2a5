import { people, StandaloneHarness } from './standalone.harness';

/**
 * The supervision office's queries over the deadlines of the read model, on a clock the spec moves:
 * one Chongqing suggestion assigned on Monday 2025-03-10 to u-a (lead), u-b and u-c (co-handling).
 */
describe('supervision queries: upcoming, overdue, on-time', () => {
  const h = new StandaloneHarness();
  let id: string;
  const bearer = async (t: Promise<string>) => `Bearer ${await t}`;
  const get = async (path: string, who: Promise<string> = people.supervisor('u-gov'), expected = 200) =>
    (await h.http().get(`/api/v1/supervision/${path}`).set('authorization', await bearer(who)).expect(expected)).body;
  const post = async (path: string, who: Promise<string>, body: object = {}) =>
    (await h.http().post(`/api/v1/proposals/${id}/${path}`).set('authorization', await bearer(who)).send(body).expect(200)).body;

  beforeAll(async () => {
    await h.start();
    h.at('2025-03-03 09:00');
    const office = await bearer(people.office());
    for (const unit of ['u-a', 'u-b', 'u-c', 'u-gov']) await h.http().put(`/api/v1/units/${unit}`).set('authorization', office).send({ name: unit }).expect(200);
    id = (
      await h.http()
        .post('/api/v1/proposals')
        .set('authorization', office)
        .send({ number: '31', session: '六届三次', kind: 'npc-suggestion', title: '关于社区养老的建议', body: '……', proposers: [{ id: 'dep-a', name: '甲', lead: true }] })
        .expect(201)
    ).body.id;
    await post('registration', people.office(), { decision: 'accepted' });
    h.at('2025-03-10 10:00');
    await post('assignment', people.office(), { mode: 'lead-with-co', leadUnits: ['u-a'], coUnits: ['u-b', 'u-c'], supervisingUnits: ['u-gov'] });
    h.at('2025-03-12 10:00');
    await post('acknowledgements', people.handler('u-a')); // within the 10-working-day window
    h.at('2025-03-26 10:00');
    await post('acknowledgements', people.handler('u-b')); // two days after it closed
    await h.settled();
  });
  afterAll(() => h.stop());

  it('lists what falls due in the next N working days per unit, counting across the Qingming break', async () => {
    const soon = await get('deadlines/upcoming?workingDays=10');
    // Wednesday 03-26 is the first of the ten; 04-04 (Qingming) and the weekends do not count.
    expect(soon).toMatchObject({ asOf: '2025-03-26T02:00:00.000Z', workingDays: 10, through: '2025-04-09', total: 1 });
    expect(soon.units).toEqual([
      { unitId: 'u-a', count: 1, deadlines: [expect.objectContaining({ proposalId: id, id: 'first-contact:u-a:1', kind: 'first-contact', dueDate: '2025-04-08', workingDaysLeft: 9 })] },
    ]);
    expect((await get('deadlines/upcoming')).total).toBe(0); // five working days: through 04-01
    const later = await get('deadlines/upcoming?workingDays=20');
    expect(later.units.map((u: { unitId: string; count: number }) => [u.unitId, u.count])).toEqual([['u-a', 1], ['u-b', 1], ['u-c', 1]]);
  });

  it('buckets what is overdue by working days past the due date', async () => {
    const overdue = await get('deadlines/overdue');
    expect(overdue.total).toBe(1);
    expect(overdue.buckets.map((b: { bucket: string; count: number }) => [b.bucket, b.count])).toEqual([['0-5', 1], ['6-10', 0], ['11-20', 0], ['21+', 0]]);
    expect(overdue.buckets[0].deadlines).toEqual([expect.objectContaining({ id: 'adjustment-window:u-c:1', dueDate: '2025-03-24', workingDaysOverdue: 2, daysOverdue: 2 })]);
    expect(overdue.units).toEqual([{ unitId: 'u-c', count: 1, buckets: { '0-5': 1, '6-10': 0, '11-20': 0, '21+': 0 } }]);

    h.at('2025-04-30 10:00'); // after the May Day make-up Sunday 04-27; 04-08, 04-22 and 03-24 have all passed
    const weeksLater = await get('deadlines/overdue');
    h.at('2025-03-26 10:00');
    const byId = Object.fromEntries(weeksLater.buckets.flatMap((b: { bucket: string; deadlines: { id: string; workingDaysOverdue: number }[] }) => b.deadlines.map((d) => [d.id, [b.bucket, d.workingDaysOverdue]])));
    expect(byId).toEqual({
      'adjustment-window:u-c:1': ['21+', 27], // 03-25 … 04-30 less Qingming (04-04) and weekends, plus 04-27
      'first-contact:u-a:1': ['11-20', 17],
      'co-opinion:u-b:1': ['6-10', 7],
      'co-opinion:u-c:1': ['6-10', 7],
    });
  });

  it('gives each unit its on-time rate over the deadlines that have fallen due', async () => {
    const rates = await get('on-time');
    const unit = (u: string) => rates.units.find((x: { unitId: string }) => x.unitId === u);
    expect(unit('u-a')).toMatchObject({ fallenDue: 1, metOnTime: 1, metLate: 0, overdue: 0, running: 2, onTimeRate: 1 });
    expect(unit('u-b')).toMatchObject({ fallenDue: 1, metOnTime: 0, metLate: 1, overdue: 0, running: 1, onTimeRate: 0 });
    expect(unit('u-c')).toMatchObject({ fallenDue: 1, metOnTime: 0, metLate: 0, overdue: 1, running: 1, onTimeRate: 0 });
    expect(unit('u-a').byKind).toEqual(
      expect.arrayContaining([
        { kind: 'adjustment-window', metOnTime: 1, metLate: 0, overdue: 0, running: 0, onTimeRate: 1 },
        { kind: 'reply', metOnTime: 0, metLate: 0, overdue: 0, running: 1, onTimeRate: null },
      ]),
    );
    expect((await get('on-time?session=其他届次')).units).toEqual([]);
  });

  it('shows a handler its own unit only, and refuses bad input and other callers', async () => {
    expect((await get('deadlines/overdue', people.handler('u-a'))).total).toBe(0);
    expect((await get('deadlines/overdue', people.handler('u-c'))).total).toBe(1);
    expect((await get('on-time', people.handler('u-b'))).units.map((u: { unitId: string }) => u.unitId)).toEqual(['u-b']);
    for (const q of ['0', '61', 'abc', '2.5']) expect((await get(`deadlines/upcoming?workingDays=${q}`, people.supervisor('u-gov'), 400)).code).toBe('VALIDATION_FAILED');
    expect((await get('deadlines/overdue', people.proposer('dep-a'), 403)).code).toBe('FORBIDDEN');
    await h.http().get('/api/v1/supervision/on-time').expect(401);
  });
});
