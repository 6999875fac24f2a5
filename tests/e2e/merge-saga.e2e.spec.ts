import { people, StandaloneHarness } from './standalone.harness';

const bearer = async (t: Promise<string>) => `Bearer ${await t}`;
const item = (number: string, proposers: { id: string; name: string; lead: boolean }[]) => ({
  number,
  session: '六届三次',
  kind: 'npc-suggestion',
  title: '关于加强未成年人心理健康的建议',
  body: '建议加强学校心理健康教育……',
  proposers,
});

/** A merge (并案) is taken in by its target on its own: the saga turns ProposalMerged into AbsorbMergedProposal. */
describe('the merge saga', () => {
  const h = new StandaloneHarness();
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  const submit = async (body: object) => (await h.http().post('/api/v1/proposals').set('authorization', await bearer(people.office())).send(body).expect(201)).body.id as string;
  const get = async (id: string) => (await h.http().get(`/api/v1/proposals/${id}`).set('authorization', await bearer(people.office())).expect(200)).body;
  const proposersOf = async (id: string) => ((await get(id)).proposers as { id: string; mergedFrom?: string; leadOfMerged?: boolean }[]).map((p) => [p.id, p.mergedFrom ?? null, p.leadOfMerged ?? false]);
  const eventually = async <T>(read: () => Promise<T>, until: (value: T) => boolean): Promise<T> => {
    for (let i = 0; i < 100; i++) {
      const value = await read();
      if (until(value)) return value;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return read();
  };

  it("adds the merged item's proposers to its target, once, and not again after a restart", async () => {
    const target = await submit(item('0101', [{ id: 'dep-tan', name: '谭理', lead: true }]));
    const source = await submit(item('0102', [
      { id: 'dep-wu', name: '吴静', lead: true },
      { id: 'dep-zhou', name: '周平', lead: false },
    ]));
    const office = await bearer(people.office());
    await h.http().post(`/api/v1/proposals/${target}/registration`).set('authorization', office).send({ decision: 'accepted' }).expect(200);
    await h.http().post(`/api/v1/proposals/${source}/registration`).set('authorization', office).send({ decision: 'merged', mergedInto: target, reason: '内容相同，并案办理' }).expect(200);

    const merged = await eventually(() => proposersOf(target), (p) => p.length === 3);
    expect(merged).toEqual([
      ['dep-tan', null, false],
      ['dep-wu', source, true],
      ['dep-zhou', source, false],
    ]);
    const history = (await h.http().get(`/api/v1/proposals/${target}/history`).set('authorization', office).expect(200)).body;
    const absorbed = (history.events ?? history).filter((e: { type: string }) => e.type === 'MergedProposalAbsorbed');
    expect(absorbed).toHaveLength(1);
    expect(absorbed[0]).toMatchObject({ actor: { id: 'merge-saga' } });

    // A restart does not take the merge in a second time.
    const revision = (await get(target)).revision;
    await h.restart();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await get(target)).revision).toBe(revision);
  });

  it('takes nothing in when the target cannot (closed, unknown): the merged item stays merged and the service keeps going', async () => {
    const source = await submit(item('0103', [{ id: 'dep-qian', name: '钱进', lead: true }]));
    const office = await bearer(people.office());
    await h.http().post(`/api/v1/proposals/${source}/registration`).set('authorization', office).send({ decision: 'merged', mergedInto: 'pp-0000000000000000' }).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await get(source)).status).toBe('merged');
    await h.http().get('/api/v1/proposals/pp-0000000000000000').set('authorization', office).expect(404);
  });
});
