import { proposalStreamId } from '@banli/domain';
import type { EventStore, StoredEvent } from '@banli/event-store';
import { type MessageBus, TOPICS } from '@banli/messaging';
import { EVENT_STORE, MESSAGE_BUS, ReadModelService } from '@banli/platform';
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Io, runBanli } from '../../apps/standalone/src/banli.cli';
import { CONTACT_DETAIL_SHAPES, ORDINARY_TEXTS } from '../../libs/domain/src/testing/contact-details.fixture';
import { people, SECRET, StandaloneHarness, token } from './standalone.harness';

/**
 * Every leak found by trying the service as a new user and as an attacker would, each now refused or
 * clean: sealed values pasted where they would be opened, contact details on the public page, the
 * supervision stream, what a proposer sees, as-of views after a re-assignment, and keys left behind.
 */
describe('personal data and public disclosure: nothing private reaches anyone who may not see it', () => {
  const h = new StandaloneHarness({ BANLI_STREAM_MAX_PER_CALLER: '2', BANLI_STREAM_MAX_CONNECTIONS: '3', BANLI_STREAM_REPLAY_WINDOW: '40' });
  const bearer = async (t: Promise<string>) => `Bearer ${await t}`;
  const office = () => people.office();
  const call = async (method: 'get' | 'post' | 'put', path: string, who: Promise<string> | undefined, body?: object, expected = 200) => {
    const req = h.http()[method](`/api/v1${path}`);
    if (who) req.set('authorization', await bearer(who));
    return (await (body === undefined ? req : req.send(body)).expect(expected)).body;
  };
  const item = (id: string, who: Promise<string> = office(), expected = 200, query = '') => call('get', `/proposals/${id}${query}`, who, undefined, expected);
  const store = () => h.app.get<EventStore>(EVENT_STORE);
  const vaultRows = () => {
    const db = new Database(join(h.dataDir, 'personal-data.db'), { readonly: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM subject_keys').get() as { n: number }).n;
    } finally {
      db.close();
    }
  };
  let serial = 0;
  const refusedMessages = async () =>
    Number(/banli_bus_messages_refused_total\{consumer="read-model",reason="personal-data-out-of-place"\} (\d+)/.exec((await h.http().get('/metrics').expect(200)).text)?.[1] ?? 0);
  const PROPOSERS = [
    { id: 'dep-p1', name: '领衔代表', lead: true, phone: '13911110001' },
    { id: 'dep-p2', name: '联名代表', lead: false, phone: '13911110002' },
  ];
  const DRAFT = { documentNumber: '渝教议函〔2025〕50号', resultClass: 'B', body: '现将办理情况答复如下：……', contactPerson: '周老师', contactPhone: '023-63869999', disclose: true };

  /** Registers, accepts and assigns an item (lead u-a, co-unit u-c) and returns its id. */
  async function assignedItem(proposers: object[] = PROPOSERS, units = { leadUnits: ['u-a'], coUnits: ['u-c'] }): Promise<string> {
    serial += 1;
    const { id } = await call('post', '/proposals', office(), { number: `P${serial}`, session: '六届三次', kind: 'npc-suggestion', title: `关于隐私的建议${serial}`, body: '建议……', proposers }, 201);
    await call('post', `/proposals/${id}/registration`, office(), { decision: 'accepted' });
    await call('post', `/proposals/${id}/assignment`, office(), { mode: 'lead-with-co', ...units });
    return id;
  }

  /** Takes an assigned item to a dispatched reply from u-a. */
  async function dispatch(id: string, draft: object = DRAFT): Promise<void> {
    await call('put', `/proposals/${id}/co-opinions/u-c`, people.handler('u-c'), { content: `u-c 会办意见 ${id}` });
    await call('put', `/proposals/${id}/replies/u-a`, people.handler('u-a'), { ...DRAFT, ...draft });
    await call('post', `/proposals/${id}/replies/u-a/signature`, people.signer('u-a'), {});
    await call('post', `/proposals/${id}/replies/u-a/dispatch`, people.handler('u-a'), {});
  }

  beforeAll(async () => {
    await h.start();
    await h.app.listen(0, '127.0.0.1');
    h.at('2025-03-03 09:00');
    for (const unit of ['u-a', 'u-b', 'u-c', 'u-d']) await call('put', `/units/${unit}`, office(), { name: unit });
  });
  afterAll(() => h.stop());

  describe('personal data by path, not by shape', () => {
    let mine: string;
    let theirs: string;
    let sealedPhone: string;

    beforeAll(async () => {
      theirs = await assignedItem([{ id: 'dep-other', name: '他人', lead: true, phone: '13722223333' }], { leadUnits: ['u-b'], coUnits: [] });
      mine = await assignedItem();
      sealedPhone = ((await store().readStream(proposalStreamId(theirs)))[0].data as { proposers: { phone: string }[] }).proposers[0].phone;
      expect(sealedPhone).toMatch(/^pii:v1:[0-9a-f]{16}:/);
    });

    it('refuses a sealed value pasted into any command, by any route, and records nothing', async () => {
      const revision = (await item(mine)).revision;
      const refused = [
        await call('post', `/proposals/${mine}/contacts`, people.handler('u-a'), { stage: 'before', channel: 'phone', summary: `电话 ${sealedPhone}` }, 400),
        await call('put', `/proposals/${mine}/replies/u-a`, people.handler('u-a'), { ...DRAFT, body: `联系 ${sealedPhone}` }, 400),
        await call('put', `/proposals/${mine}/replies/u-a`, people.handler('u-a'), { ...DRAFT, contactPhone: sealedPhone }, 400),
        await call('put', `/proposals/${mine}/co-opinions/u-c`, people.handler('u-c'), { content: sealedPhone }, 400),
        await call('post', '/proposals', office(), { number: 'X1', session: '六届三次', kind: 'npc-suggestion', title: 't', body: 'b', proposers: [{ id: 'dep-x', name: 'x', lead: true, phone: sealedPhone }] }, 400),
        await call('put', '/units/u-x', office(), { name: sealedPhone }, 400),
        await call('post', `/proposals/${mine}/contacts`, people.handler('u-a'), { stage: 'before', channel: 'phone', summary: 'pii:pending:abc:0' }, 400),
      ];
      for (const problem of refused) expect(problem).toMatchObject({ status: 400, code: 'SEALED_VALUE_IN_INPUT' });
      expect((await item(mine)).revision).toBe(revision);
      await call('get', '/units/u-x', office(), undefined, 404).catch(() => undefined);
    });

    it('never opens a sealed value outside its field, nor one sealed for another person', async () => {
      // What an older version let in, or a forged import: a sealed number in a summary, and in another proposer's field.
      const events = await store().readStream(proposalStreamId(mine));
      await store().append(
        proposalStreamId(mine),
        [{ type: 'ProposerContacted', schemaVersion: 1, data: { unitId: 'u-a', stage: 'before', channel: 'phone', summary: sealedPhone }, occurredAt: new Date(h.now).toISOString() }],
        events.length - 1,
      );
      await store().append(
        proposalStreamId('ns-forged-0001'),
        [{ type: 'ProposalSubmitted', schemaVersion: 1, data: { proposalId: 'ns-forged-0001', kind: 'npc-suggestion', session: 's', number: 'f', title: 't', body: 'b', proposers: [{ id: 'dep-mine', name: 'm', lead: true, phone: sealedPhone }], submittedAt: new Date(h.now).toISOString() }, occurredAt: new Date(h.now).toISOString() }],
        'no-stream',
      );
      const shown = await item(mine, people.handler('u-a'));
      expect(shown.contacts.at(-1).summary).toBe(sealedPhone);
      expect(JSON.stringify(shown)).not.toContain('13722223333');
      expect(JSON.stringify(await call('get', `/proposals/${mine}/history`, office()))).not.toContain('13722223333');
      expect((await item('ns-forged-0001')).proposers[0]).toEqual({ id: 'dep-mine', name: 'm', lead: true, phone: null });
      // The item it was sealed for still opens it, for those who may see it.
      expect((await item(theirs)).proposers[0].phone).toBe('13722223333');
    });

    it('refuses a sealed value in a legacy import', async () => {
      const file = join(h.dataDir, 'legacy.jsonl');
      const line = {
        submit: { kind: 'npc-suggestion', session: '五届五次', number: 'L1', title: '旧系统的建议', body: '……', proposers: [{ id: 'dep-l', name: '旧代表', lead: true }] },
        submittedAt: '2024-01-10T02:00:00Z',
        steps: [
          { command: 'RegisterProposal', data: { decision: 'accepted' }, occurredAt: '2024-01-12T02:00:00Z' },
          { command: 'AssignProposal', data: { mode: 'lead-with-co', leadUnits: ['u-a'] }, occurredAt: '2024-01-15T02:00:00Z' },
          { command: 'RecordContact', data: { unitId: 'u-a', stage: 'before', channel: 'phone', summary: `电话 ${sealedPhone}` }, occurredAt: '2024-01-20T02:00:00Z', actor: { id: 'h', unit: 'u-a', roles: ['handler'] } },
        ],
      };
      writeFileSync(file, `${JSON.stringify(line)}\n`);
      const err: string[] = [];
      const io: Io = { out: () => undefined, err: (l) => err.push(l), progress: () => undefined };
      expect(await runBanli(['import', file], { BANLI_DATA_DIR: h.dataDir, BANLI_JWT_SECRET: SECRET }, io)).toBe(1);
      expect(err.join('\n')).toContain('SEALED_VALUE_IN_INPUT');
      expect(await store().readStream(proposalStreamId('ns-x'))).toEqual([]);
      expect((await call('get', '/proposals?session=五届五次', office())).total).toBe(0);
    });

    it('refuses a forged bus message that carries a sealed value out of place', async () => {
      const readModel = await h.settled();
      const before = readModel.model.revisionOf(mine);
      const refusedBefore = await refusedMessages();
      const last = (await store().readStream(proposalStreamId(mine))).at(-1)!;
      const forged: StoredEvent = { ...last, eventId: '0196d5c8-0000-7000-8000-00000000f0f0', revision: last.revision + 1, position: last.position + 100_000, type: 'ProposerContacted', data: { unitId: 'u-a', stage: 'after', channel: 'phone', summary: sealedPhone } };
      await h.app.get<MessageBus>(MESSAGE_BUS).publish(TOPICS.proposalEvents, [forged]);
      await new Promise((r) => setTimeout(r, 50));
      expect(h.app.get(ReadModelService).model.revisionOf(mine)).toBe(before);
      expect(await refusedMessages()).toBe(refusedBefore + 1);
      // What the store really holds still reaches the read model: the item is read from it instead.
      await call('post', `/proposals/${mine}/contacts`, people.handler('u-a'), { stage: 'after', channel: 'visit', summary: '回访' });
      expect((await h.settled()).model.revisionOf(mine)).toBe((await store().readStream(proposalStreamId(mine))).length - 1);
    });
  });

  describe('public text, reviewed', () => {
    // A sealed value is refused as input before it could be published: the other shapes are typed by people.
    const typed = CONTACT_DETAIL_SHAPES.filter((c) => c.kind !== 'sealed');
    const everyShape = typed.map((c) => c.text).join('\n');
    const digits = (s: string) => s.normalize('NFKC').replace(/\D/g, '');
    const expectNoneOf = (text: string) => {
      for (const { secret } of typed) {
        expect(text.normalize('NFKC')).not.toContain(secret);
        if (/^\d+X?$/.test(secret)) expect(digits(text)).not.toContain(digits(secret));
      }
    };

    it(`publishes a body holding ${typed.length} shapes of contact details with none of them, and ordinary text unchanged`, async () => {
      const body = `${ORDINARY_TEXTS.join('\n')}\n${everyShape}`;
      const id = await assignedItem();
      await dispatch(id, { body });
      const preview = await call('get', `/proposals/${id}/replies/u-a/publication/preview`, office());
      expect(preview.redactions.length).toBeGreaterThanOrEqual(typed.length);
      expect(preview.redactions[0]).toEqual({ kind: expect.any(String), text: expect.any(String), start: expect.any(Number), end: expect.any(Number) });
      await call('get', `/proposals/${id}/replies/u-a/publication/preview`, people.handler('u-a'), undefined, 403);
      await call('post', `/proposals/${id}/replies/u-a/publication`, office(), {});
      const published = (await call('get', '/public/replies?pageSize=200', undefined)).items.find((r: { proposalId: string }) => r.proposalId === id);
      expect(published.body).toBe(preview.publicText);
      for (const text of ORDINARY_TEXTS) expect(published.body).toContain(text);
      // What is left once the ordinary texts are taken out holds nothing of any shape (its digits included).
      expectNoneOf(ORDINARY_TEXTS.reduce((rest, text) => rest.replace(text, ''), JSON.stringify(published)));
      expect(JSON.stringify(published)).not.toMatch(/周老师|63869999|contactPhone|contactPerson/);
      for (const text of ORDINARY_TEXTS) expect(published.body).toContain(text);
    });

    it('publishes the office’s own public text redacted too, and records it', async () => {
      const id = await assignedItem();
      await dispatch(id);
      await call('post', `/proposals/${id}/replies/u-a/publication`, office(), { publicText: `办理情况摘要。\n${everyShape}` });
      const published = (await call('get', '/public/replies?pageSize=200', undefined)).items.find((r: { proposalId: string }) => r.proposalId === id);
      expect(published.body.startsWith('办理情况摘要。')).toBe(true);
      expectNoneOf(JSON.stringify(published));
      const history = await call('get', `/proposals/${id}/history`, office());
      expect(history.at(-1)).toMatchObject({ type: 'ReplyPublished', schemaVersion: 2, data: { edited: true, publicText: published.body } });
      expect((await call('post', `/proposals/${id}/replies/u-a/publication`, office(), { publicText: '' }, 400)).code).toBe('VALIDATION_FAILED');
    });

    it('redacts the document number and the title too, and warns about them', async () => {
      const { id } = await call('post', '/proposals', office(), { number: 'T1', session: '六届三次', kind: 'npc-suggestion', title: '关于某事的建议（联系人：张三 13812345678）', body: '建议……', proposers: [PROPOSERS[0]] }, 201);
      await call('post', `/proposals/${id}/registration`, office(), { decision: 'accepted' });
      await call('post', `/proposals/${id}/assignment`, office(), { mode: 'lead-with-co', leadUnits: ['u-a'] });
      const drafted = await call('put', `/proposals/${id}/replies/u-a`, people.handler('u-a'), { ...DRAFT, documentNumber: '渝教议函〔2025〕49号 经办人王五 手机13812345679' });
      expect(drafted.warnings).toEqual([expect.objectContaining({ field: 'documentNumber', kinds: ['mobile'] })]);
      await call('post', `/proposals/${id}/replies/u-a/signature`, people.signer('u-a'), {});
      await call('post', `/proposals/${id}/replies/u-a/dispatch`, people.handler('u-a'), {});
      await call('post', `/proposals/${id}/replies/u-a/publication`, office(), {});
      const published = (await call('get', '/public/replies?pageSize=200', undefined)).items.find((r: { proposalId: string }) => r.proposalId === id);
      expect(published).toMatchObject({ documentNumber: '渝教议函〔2025〕49号 经办人[已删除] 手机[已删除]', title: '关于某事的建议（联系人：[已删除] [已删除]）' });
    });

    it('tells the handler when a reply body or a contact summary holds a phone number or an e-mail address', async () => {
      const id = await assignedItem();
      const contact = await call('post', `/proposals/${id}/contacts`, people.handler('u-a'), { stage: 'before', channel: 'phone', summary: '已电话沟通，代表手机 139 1111 0001' });
      expect(contact.warnings).toEqual([expect.objectContaining({ code: 'CONTACT_DETAILS_IN_TEXT', field: 'summary', kinds: ['mobile'] })]);
      const clean = await call('post', `/proposals/${id}/contacts`, people.handler('u-a'), { stage: 'during', channel: 'visit', summary: '登门听取意见' });
      expect(clean).not.toHaveProperty('warnings');
      const drafted = await call('put', `/proposals/${id}/replies/u-a`, people.handler('u-a'), { ...DRAFT, body: '如有疑问请发邮件至 zhou@edu.cq.gov.cn' });
      expect(drafted).toMatchObject({ revision: expect.any(Number), warnings: [expect.objectContaining({ field: 'body', kinds: ['email'] })] });
    });
  });

  describe('what a proposer and a co-unit see', () => {
    it('a proposer sees no drafts, no co-opinions and no one else’s phone; the reply once dispatched, with its contact', async () => {
      const id = await assignedItem();
      await call('put', `/proposals/${id}/co-opinions/u-c`, people.handler('u-c'), { content: '会办意见：不宜公开' });
      await call('put', `/proposals/${id}/replies/u-a`, people.handler('u-a'), { ...DRAFT, disclose: false, body: '内部草稿' });
      const before = await item(id, people.proposer('dep-p1'));
      expect(before.proposers).toEqual([
        { id: 'dep-p1', name: '领衔代表', lead: true, phone: '13911110001' },
        { id: 'dep-p2', name: '联名代表', lead: false },
      ]);
      expect(before.replies).toEqual([]);
      expect(before.coOpinions).toEqual([]);
      expect(JSON.stringify(before)).not.toMatch(/内部草稿|不宜公开|63869999|周老师|13911110002/);
      expect((await call('get', `/proposals/${id}/history`, people.proposer('dep-p1'), undefined, 403)).code).toBe('FORBIDDEN');
      await call('get', `/proposals/${id}/dossier?format=json`, people.proposer('dep-p1'), undefined, 403);

      await call('put', `/proposals/${id}/replies/u-a`, people.handler('u-a'), { ...DRAFT, body: '正式答复' });
      await call('post', `/proposals/${id}/replies/u-a/signature`, people.signer('u-a'), {});
      await call('post', `/proposals/${id}/replies/u-a/dispatch`, people.handler('u-a'), {});
      await call('post', `/proposals/${id}/evaluations`, people.proposer('dep-p2'), { satisfaction: 'basically-satisfied' });
      const after = await item(id, people.proposer('dep-p1'));
      expect(after.replies[0]).toMatchObject({ stage: 'dispatched', draft: { body: '正式答复', contactPerson: '周老师', contactPhone: '023-63869999' } });
      expect(after.replies[0]).not.toHaveProperty('signatures');
      expect(after.coOpinions).toEqual([]);
      expect(after.evaluations).toEqual([]); // the co-signer's rating is theirs
      expect((await item(id, people.proposer('dep-p2'))).evaluations).toEqual([expect.objectContaining({ proposerId: 'dep-p2' })]);
    });

    it('a co-unit sees its own co-opinion, no proposer’s phone, and the reply only once dispatched', async () => {
      const id = await assignedItem();
      await call('put', `/proposals/${id}/co-opinions/u-c`, people.handler('u-c'), { content: '会办意见' });
      await call('put', `/proposals/${id}/replies/u-a`, people.handler('u-a'), { ...DRAFT, body: '草稿正文' });
      const seen = await item(id, people.handler('u-c'));
      expect(seen.proposers.every((p: object) => !('phone' in p))).toBe(true);
      expect(seen.coOpinions).toEqual([expect.objectContaining({ unitId: 'u-c', content: '会办意见' })]);
      expect(seen.replies).toEqual([]);
      const history = await call('get', `/proposals/${id}/history`, people.handler('u-c'));
      expect(history.find((e: { type: string }) => e.type === 'ReplyDrafted')).toMatchObject({ data: { unitId: 'u-a' }, withheld: expect.arrayContaining(['body', 'contact']) });
      expect(JSON.stringify(history)).not.toMatch(/草稿正文|63869999|周老师|1391111000/);
      // The lead unit sees everything it needs.
      const lead = await item(id, people.handler('u-a'));
      expect(lead.proposers[0].phone).toBe('13911110001');
      expect(lead.replies[0].draft).toMatchObject({ body: '草稿正文', contactPerson: '周老师' });
    });
  });

  it('answers an as-of view only to those who may read the item now', async () => {
    const id = await assignedItem([PROPOSERS[0]], { leadUnits: ['u-a'], coUnits: [] });
    const assignedAt = (await call('get', `/proposals/${id}/history`, office())).at(-1).recordedAt;
    h.at('2025-03-04 09:00');
    const { requestId } = await call('post', `/proposals/${id}/adjustment-requests`, people.handler('u-a'), { reason: '不属于我单位职责' });
    await call('post', `/proposals/${id}/adjustment-requests/${requestId}/decision`, office(), { approved: true, leadUnits: ['u-d'], coUnits: [] });
    // u-a handled it then, and is re-assigned away now: it reads nothing, as of then or now.
    expect((await item(id, people.handler('u-a'), 403, `?asOf=${assignedAt}`)).code).toBe('FORBIDDEN');
    await item(id, people.handler('u-a'), 403);
    expect((await item(id, office(), 200, `?asOf=${assignedAt}`)).units).toEqual([expect.objectContaining({ unitId: 'u-a' })]);
    // u-d reads the item now, and what it was, but not what it had no standing in then.
    const past = await item(id, people.handler('u-d'), 200, `?asOf=${assignedAt}`);
    expect(past.proposers[0]).not.toHaveProperty('phone');
    expect((await item(id, people.handler('u-d'))).proposers[0].phone).toBe('13911110001');
  });

  it('shows a lead unit made a co-unit since nothing of the past it may not see now', async () => {
    const id = await assignedItem([PROPOSERS[0]], { leadUnits: ['u-a'], coUnits: ['u-c'] });
    await call('put', `/proposals/${id}/replies/u-a`, people.handler('u-a'), { ...DRAFT, body: '旧草稿' });
    const before = (await call('get', `/proposals/${id}/history`, office())).at(-1).recordedAt;
    h.at('2025-03-05 09:00');
    const { requestId } = await call('post', `/proposals/${id}/adjustment-requests`, people.handler('u-a'), { reason: '应由 u-c 主办' });
    await call('post', `/proposals/${id}/adjustment-requests/${requestId}/decision`, office(), { approved: true, leadUnits: ['u-c'], coUnits: ['u-a'] });
    const past = await item(id, people.handler('u-a'), 200, `?asOf=${before}`);
    expect(past.proposers[0]).not.toHaveProperty('phone');
    expect(JSON.stringify(past)).not.toMatch(/旧草稿|63869999|周老师|13911110001/);
    // The office still sees the past as it was.
    expect((await item(id, office(), 200, `?asOf=${before}`)).replies[0].draft.body).toBe('旧草稿');
  });

  it('refuses sealed values in headers too, and answers a malformed URL with a problem', async () => {
    const id = await assignedItem([PROPOSERS[0]]);
    const refused = await h.http().post(`/api/v1/proposals/${id}/contacts`).set('authorization', await bearer(people.handler('u-a'))).set('idempotency-key', 'pii:v1:0123456789abcdef:QUJD').send({ stage: 'before', channel: 'phone', summary: 's' }).expect(400);
    expect(refused.body.code).toBe('SEALED_VALUE_IN_INPUT');
    const malformed = await h.http().get('/api/v1/proposals/%E0%A4%A/history').set('authorization', await bearer(office())).expect(400);
    expect(malformed.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(malformed.body).toMatchObject({ status: 400, code: 'MALFORMED_REQUEST' });
  });

  it('seals a person’s equal values in different fields differently: the store does not show they are equal', async () => {
    const id = await assignedItem([PROPOSERS[0]]);
    await call('put', `/proposals/${id}/replies/u-a`, people.handler('u-a'), { ...DRAFT, contactPerson: '（复函未载）', contactPhone: '（复函未载）' });
    const drafted = (await store().readStream(proposalStreamId(id))).find((e) => e.type === 'ReplyDrafted')!.data as { contact: { name: string; phone: string } };
    expect(drafted.contact.name).toMatch(/^pii:v1:/);
    expect(drafted.contact.name).not.toBe(drafted.contact.phone);
    expect((await item(id, people.handler('u-a'))).replies[0].draft).toMatchObject({ contactPerson: '（复函未载）', contactPhone: '（复函未载）' });
  });

  it('writes no vault key for a command that is refused', async () => {
    const before = vaultRows();
    const many = Array.from({ length: 50 }, (_, i) => ({ id: `dep-r${i}`, name: `代表${i}`, lead: i === 0, phone: `1380000${String(i).padStart(4, '0')}` }));
    const body = { number: 'R1', session: '六届三次', kind: 'npc-suggestion', title: 't', body: 'b', proposers: many };
    await call('post', '/proposals', token({ sub: 'nobody', roles: [] }), body, 403);
    await call('post', '/proposals', people.handler('u-a'), body, 403);
    // The decider refuses it (two leads): nothing is recorded, and no key either.
    expect((await call('post', '/proposals', office(), { ...body, proposers: many.map((p, i) => ({ ...p, lead: i < 2 })) }, 422)).code).toBe('VALIDATION_FAILED');
    const id = await assignedItem([{ id: 'dep-new', name: '新代表', lead: true, phone: '13955556666' }]);
    const rows = vaultRows();
    expect(rows).toBe(before + 1); // the one command recorded: its proposer's key
    // The reply's contact would be a new person: refused by the access policy, then by the decider.
    await call('put', `/proposals/${id}/replies/u-a`, people.handler('u-b'), DRAFT, 403);
    await call('post', `/proposals/${id}/adjustment-requests`, people.handler('u-a'), { reason: '请求调整' });
    expect((await call('put', `/proposals/${id}/replies/u-a`, people.handler('u-a'), DRAFT, 422)).code).toBe('ADJUSTMENT_PENDING');
    expect(vaultRows()).toBe(rows);
  });

  describe('the supervision stream', () => {
    const open: AbortController[] = [];
    afterEach(() => open.splice(0).forEach((c) => c.abort()));
    const url = async (query = '') => `${await h.app.getUrl()}/api/v1/supervision/stream${query}`;
    async function connect(who: Promise<string>, query = '', headers: Record<string, string> = {}): Promise<Response> {
      const controller = new AbortController();
      open.push(controller);
      return fetch(await url(query), { headers: { authorization: await bearer(who), ...headers }, signal: controller.signal });
    }
    /** Reads a stream until it has been quiet for a while; the events as `{ type, id, data }`. */
    async function eventsOf(response: Response, quietMs = 400): Promise<{ type: string; id?: string; data: Record<string, unknown> }[]> {
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      let text = '';
      let pending = reader.read();
      for (;;) {
        const chunk = await Promise.race([pending, new Promise<null>((r) => setTimeout(() => r(null), quietMs))]);
        if (chunk === null || chunk.done) break;
        text += new TextDecoder().decode(chunk.value);
        pending = reader.read();
      }
      pending.catch(() => undefined);
      await reader.cancel().catch(() => undefined);
      return text
        .split('\n\n')
        .filter((block) => block.includes('data:'))
        .map((block) => {
          const lines = block.split('\n');
          const value = (key: string) => lines.find((l) => l.startsWith(`${key}: `))?.slice(key.length + 2);
          return { type: value('event') ?? 'message', id: value('id'), data: JSON.parse(value('data') ?? '{}') };
        });
    }

    it('refuses event types that are not supervision notices, an empty list of types and odd Last-Event-IDs', async () => {
      for (const types of ['ProposalSubmitted', 'ReplyDrafted,Urged', 'ProposerContacted']) {
        const response = await connect(office(), `?types=${types}`);
        expect(response.status).toBe(400);
        expect(await response.json()).toMatchObject({ code: 'UNKNOWN_EVENT_TYPE' });
        open.pop()?.abort();
      }
      expect((await connect(office(), '?types=,,,')).status).toBe(400);
      open.pop()?.abort();
      for (const id of ['', '0x10', '1e2', '-1', '5.5']) {
        expect({ id, status: (await connect(office(), '', { 'last-event-id': id })).status }).toEqual({ id, status: 400 });
        open.pop()?.abort();
      }
    });

    it('resumes at the store’s end from a Last-Event-ID beyond it, and streams what comes next', async () => {
      const id = await assignedItem([PROPOSERS[0]], { leadUnits: ['u-a'], coUnits: [] });
      const listening = eventsOf(await connect(people.supervisor('u-gov'), '', { 'last-event-id': '99999999999' }), 800);
      await new Promise((r) => setTimeout(r, 200));
      await call('post', `/proposals/${id}/urges`, people.supervisor('u-gov'), { unitId: 'u-a', message: '越界之后的催办' });
      expect((await listening).map((e) => e.data.message)).toContain('越界之后的催办');
    });

    it('replays to a unit’s handler no notice of an item its unit was re-assigned away from', async () => {
      const id = await assignedItem([PROPOSERS[0]], { leadUnits: ['u-b'], coUnits: [] });
      const from = (await store().readAll({ fromPosition: 0, limit: 100_000 })).at(-1)!.position;
      await call('post', `/proposals/${id}/urges`, people.supervisor('u-gov'), { unitId: 'u-b', message: '给 u-b 的旧催办' });
      const { requestId } = await call('post', `/proposals/${id}/adjustment-requests`, people.handler('u-b'), { reason: '不属于 u-b' });
      await call('post', `/proposals/${id}/adjustment-requests/${requestId}/decision`, office(), { approved: true, leadUnits: ['u-d'] });
      await h.settled();
      const replayed = await eventsOf(await connect(people.handler('u-b'), '', { 'last-event-id': String(from) }));
      expect(replayed.map((e) => e.data.message)).not.toContain('给 u-b 的旧催办');
    });

    it('replays only notices, only within the window, and a unit’s handler only its own', async () => {
      const id = await assignedItem([PROPOSERS[0]], { leadUnits: ['u-a'], coUnits: ['u-c'] });
      await call('post', `/proposals/${id}/urges`, people.supervisor('u-gov'), { unitId: 'u-a', message: '请 u-a 加快' });
      await call('post', `/proposals/${id}/urges`, people.supervisor('u-gov'), { unitId: 'u-c', message: '请 u-c 加快' });
      const head = (await store().readAll({ fromPosition: 0, limit: 100_000 })).at(-1)!.position;
      const all = await eventsOf(await connect(people.supervisor('u-gov'), '', { 'last-event-id': '0' }));
      expect(all[0]).toMatchObject({ type: 'ReplayTruncated', data: { from: 0, resumedAfter: head - 40, replayWindow: 40 } });
      for (const e of all.slice(1)) {
        expect(['DeadlineApproaching', 'DeadlineBreached', 'Urged', 'Escalated', 'DeadlineMet', 'DeadlineExtended']).toContain(e.type);
        expect(Number(e.id)).toBeGreaterThan(head - 40);
      }
      expect(all.map((e) => e.data.message)).toEqual(expect.arrayContaining(['请 u-a 加快', '请 u-c 加快']));
      expect(JSON.stringify(all)).not.toMatch(/13911110001|pii:v1/);

      const mine = await eventsOf(await connect(people.handler('u-a'), '', { 'last-event-id': String(head - 10) }));
      expect(mine.map((e) => e.data.message)).toEqual(['请 u-a 加快']);
      expect(mine.every((e) => e.data.unitId === 'u-a' || String(e.data.deadlineId).split(':')[1] === 'u-a')).toBe(true);
    });

    it('never streams a forged notice that carries a sealed value, and streams the genuine ones', async () => {
      const id = await assignedItem([PROPOSERS[0]], { leadUnits: ['u-a'], coUnits: [] });
      const listening = eventsOf(await connect(people.supervisor('u-gov')), 800);
      await new Promise((r) => setTimeout(r, 200));
      const last = (await store().readStream(proposalStreamId(id))).at(-1)!;
      const forged: StoredEvent = { ...last, eventId: '0196d5c8-0000-7000-8000-00000000f0f1', revision: last.revision + 1, position: last.position + 1, type: 'Urged', data: { urgeId: 'forged', unitId: 'u-a', message: '请致电 pii:v1:0123456789abcdef:QUJDREVG' } };
      await h.app.get<MessageBus>(MESSAGE_BUS).publish(TOPICS.deadlineEvents, [forged]);
      await call('post', `/proposals/${id}/urges`, people.supervisor('u-gov'), { unitId: 'u-a', message: '真实的催办' });
      const messages = (await listening).map((e) => e.data.message);
      expect(messages).toContain('真实的催办');
      expect(JSON.stringify(messages)).not.toContain('pii:v1');
      expect((await h.http().get('/metrics').expect(200)).text).toMatch(/banli_bus_messages_refused_total\{consumer="supervision-stream",reason="personal-data-out-of-place"\} 1/);
    });

    it('caps streams per caller and in all (429), and frees a place when one closes', async () => {
      const first = await connect(people.supervisor('u-gov'));
      const second = await connect(people.supervisor('u-gov'));
      expect([first.status, second.status]).toEqual([200, 200]);
      const third = await connect(people.supervisor('u-gov'));
      expect(third.status).toBe(429);
      expect(await third.json()).toMatchObject({ code: 'TOO_MANY_STREAMS', limit: 2 });
      expect((await connect(people.handler('u-a'))).status).toBe(200);
      const full = await connect(office());
      expect(full.status).toBe(429);
      expect(await full.json()).toMatchObject({ code: 'TOO_MANY_STREAMS', limit: 3 });
      open[0].abort();
      let again = 0;
      for (let waited = 0; again !== 200 && waited < 3000; waited += 100) {
        await new Promise((r) => setTimeout(r, 100));
        again = (await connect(office())).status;
      }
      expect(again).toBe(200);
    }, 20_000);
  });
});
