import { people, StandaloneHarness } from './standalone.harness';

const bearer = async (t: Promise<string>) => `Bearer ${await t}`;

/** GET /rule-sets: what each rule set times, where each period comes from, and how that was verified. */
describe('the rule sets over HTTP', () => {
  const h = new StandaloneHarness();
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it('lists every rule set with its steps, sources and verification, to any signed-in caller', async () => {
    const answer = await h.http().get('/api/v1/rule-sets').set('authorization', await bearer(people.proposer('dep-tan'))).expect(200);
    expect(answer.body.default).toBe('cq-npc-2017');
    expect(answer.body.items.map((r: { id: string }) => r.id)).toEqual([
      'bj-npc-2014',
      'chaotian-cppcc-2023',
      'cppcc-generic',
      'cq-npc-2017',
      'ha-npc-2017',
      'national-npc-2025',
      'qd-npc-2021',
      'sc-gov-2024',
      'sd-npc-2017',
      'sh-npc-2015',
      'zj-npc-2016',
    ]);
    expect(Object.fromEntries(answer.body.items.map((r: { id: string; verification: string }) => [r.id, r.verification]))).toMatchObject({
      'sc-gov-2024': 'summary',
      'cppcc-generic': 'assumed',
      'national-npc-2025': 'verbatim',
      'sh-npc-2015': 'verbatim',
    });
    const cq = answer.body.items.find((r: { id: string }) => r.id === 'cq-npc-2017');
    expect(cq).toMatchObject({ verification: 'verbatim', kinds: ['npc-suggestion'], resultClasses: ['A', 'B', 'C', 'D'], resultClassLabels: { A: '已经解决或者采纳', D: '涉及上级国家机关职权' } });
    expect(cq.steps).toContainEqual({ step: 'reply', duration: 3, unit: 'months', from: 'ProposalAssigned', source: { article: '第二十一条', quote: '承办单位应当自代表建议、批评和意见交办之日起三个月内答复代表' } });
    expect(cq.steps).toContainEqual(expect.objectContaining({ step: 'first-contact', from: 'AssignmentReceived', source: expect.objectContaining({ article: '第十八条' }) }));
    expect(cq.complexReply).toMatchObject({ duration: 6, unit: 'months', source: { article: '第二十一条' } });
    expect(cq.withdrawal).toMatchObject({ coSigned: 'lead-alone' });
  });

  it('gives one rule set by id, 404 for an unknown one, and 401 without a token', async () => {
    const office = await bearer(people.office());
    const one = await h.http().get('/api/v1/rule-sets/sh-npc-2015').set('authorization', office).expect(200);
    expect(one.body).toMatchObject({
      id: 'sh-npc-2015',
      version: 2,
      verification: 'verbatim',
      extension: { max: { duration: 3, unit: 'months' }, consent: { by: '市人民代表大会常务委员会代表工作机构' } },
      evaluation: { counts: 'every-proposer', attitudeAndResult: true },
      withdrawal: { coSigned: 'all-proposers' },
    });
    const missing = await h.http().get('/api/v1/rule-sets/xx-none').set('authorization', office).expect(404);
    expect(missing.body).toMatchObject({ code: 'NOT_FOUND' });
    await h.http().get('/api/v1/rule-sets').expect(401);
  });
});
