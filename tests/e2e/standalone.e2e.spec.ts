import { ASSIGNMENT, REPLY, SEED_002, TIMELINE, UNIT_NAMES, UNITS } from '../../apps/standalone/demo/seed-002';
import { command, type Role } from '@banli/domain';
import { ProposalCommandService } from '@banli/platform';
import { verifyDeliverySignature } from '@banli/supervision';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { people, StandaloneHarness, token, LOOPBACK_WEBHOOKS } from './standalone.harness';

const { unitId: _replyUnit, ...replyBody } = REPLY;
const bearer = async (t: Promise<string> | string) => `Bearer ${await t}`;
const seedBody = { number: SEED_002.number, session: SEED_002.session, kind: SEED_002.kind, title: SEED_002.title, body: SEED_002.body, proposers: SEED_002.proposers };
const assignment = { ...ASSIGNMENT, leadUnits: [...ASSIGNMENT.leadUnits], coUnits: [...ASSIGNMENT.coUnits], supervisingUnits: [...ASSIGNMENT.supervisingUnits] };
const npcItem = (number: string) => ({
  number,
  session: '六届三次',
  kind: 'npc-suggestion',
  title: '关于加强未成年人心理健康的建议',
  body: '建议……',
  proposers: [
    { id: 'dep-tan', name: '谭理', lead: true },
    { id: 'dep-li', name: '李明', lead: false },
  ],
});

describe('the standalone service over HTTP', () => {
  const h = new StandaloneHarness(LOOPBACK_WEBHOOKS);

  beforeAll(async () => {
    await h.start();
    const office = await bearer(people.office());
    for (const [unitId, name] of Object.entries({ ...UNIT_NAMES, 'cq-edu': '市教委', 'cq-health': '市卫生健康委', 'cq-civil': '市民政局' })) {
      await h.http().put(`/api/v1/units/${unitId}`).set('authorization', office).send({ name }).expect(200);
    }
  });
  afterAll(() => h.stop());

  const get = async (id: string, who: Promise<string> = people.office()) => (await h.http().get(`/api/v1/proposals/${id}`).set('authorization', await bearer(who)).expect(200)).body;
  const post = async (path: string, who: Promise<string>, body: object = {}, expected = 200) =>
    (await h.http().post(`/api/v1/proposals/${path}`).set('authorization', await bearer(who)).send(body).expect(expected)).body;
  const put = async (path: string, who: Promise<string>, body: object, expected = 200) =>
    (await h.http().put(`/api/v1/proposals/${path}`).set('authorization', await bearer(who)).send(body).expect(expected)).body;

  describe('seed 002 driven through the API, step by step on its real dates', () => {
    let id: string;

    it('walks the whole lifecycle', async () => {
      h.at(TIMELINE.submitted);
      const submitted = await h.http().post('/api/v1/proposals').set('authorization', await bearer(people.office())).send(seedBody).expect(201);
      expect(submitted.body).toEqual({ id: expect.stringMatching(/^pp-[0-9a-f]{16}$/), revision: 0, status: 'submitted' });
      id = submitted.body.id;
      const duplicate = await h.http().post('/api/v1/proposals').set('authorization', await bearer(people.office())).send(seedBody).expect(409);
      expect(duplicate.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(duplicate.body).toMatchObject({ status: 409, code: 'DUPLICATE_PROPOSAL', id });

      h.at(TIMELINE.accepted);
      expect(await post(`${id}/registration`, people.office(), { decision: 'accepted' })).toEqual({ id, revision: 1, status: 'accepted' });

      h.at(TIMELINE.assigned);
      expect((await post(`${id}/assignment`, people.office(), { ...assignment, ruleSet: 'cq-npc-2017' }, 422)).code).toBe('RULE_SET_KIND_MISMATCH');
      expect(await post(`${id}/assignment`, people.office(), assignment)).toMatchObject({ id, status: 'assigned' });
      const assigned = await get(id);
      expect(assigned.units.map((u: { unitId: string }) => u.unitId)).toEqual([UNITS.minzheng, ...ASSIGNMENT.coUnits]);
      expect(assigned.deadlines).toEqual([expect.objectContaining({ kind: 'reply', unitId: UNITS.minzheng, dueDate: '2023-06-16', dueAt: '2023-06-16T16:00:00.000Z', state: 'open' })]);

      await put(`${id}/replies/${UNITS.minzheng}`, people.handler(UNITS.minzheng), replyBody);
      expect((await post(`${id}/replies/${UNITS.minzheng}/signature`, people.signer(UNITS.minzheng), {}, 422)).code).toBe('CO_OPINIONS_PENDING');

      h.at('2023-06-17 09:00');
      expect((await get(id)).deadlines[0].state).toBe('breached'); // computed against the clock

      h.at(TIMELINE.coOpinions);
      for (const unit of ASSIGNMENT.coUnits) await put(`${id}/co-opinions/${unit}`, people.handler(unit), { content: `${UNIT_NAMES[unit]}会办意见` });
      h.at(TIMELINE.signed);
      await post(`${id}/replies/${UNITS.minzheng}/signature`, people.signer(UNITS.minzheng));
      expect((await post(`${id}/replies/${UNITS.minzheng}/dispatch`, people.handler(UNITS.minzheng), {}, 422)).code).toBe('REVIEW_REQUIRED');
      h.at(TIMELINE.reviewed);
      await post(`${id}/replies/${UNITS.minzheng}/review`, people.supervisor(UNITS.zhengfuban), { approved: true });
      h.at(TIMELINE.dispatched);
      expect(await post(`${id}/replies/${UNITS.minzheng}/dispatch`, people.handler(UNITS.minzheng))).toMatchObject({ status: 'replied' });
      const replied = await get(id);
      expect(replied.deadlines[0]).toMatchObject({ state: 'met', onTime: false });
      expect(replied.replies[0]).toMatchObject({ stage: 'dispatched', draft: { resultClass: 'A', contactPerson: '贺威' } });

      h.at(TIMELINE.ratedByLiu);
      await post(`${id}/evaluations`, people.proposer('member-liu-anze'), { satisfaction: 'satisfied', comment: '非常满意' });
      h.at(TIMELINE.ratedByXu);
      await post(`${id}/evaluations`, people.proposer('member-xu-lijuan'), { satisfaction: 'satisfied' });
      h.at(TIMELINE.closed);
      expect(await post(`${id}/closure`, people.office())).toMatchObject({ status: 'closed' });

      const closed = await get(id);
      expect(closed).toMatchObject({ status: 'closed', ruleSet: { id: 'chaotian-cppcc-2023' }, leadingOfficial: '杨金军' });
      expect(closed.evaluations.map((e: { proposerId: string; satisfaction: string }) => [e.proposerId, e.satisfaction])).toEqual([
        ['member-liu-anze', 'satisfied'],
        ['member-xu-lijuan', 'satisfied'],
      ]);
    });

    it('shows an auditor its history with hashes, and the item as it was known on a past date', async () => {
      const history = await h.http().get(`/api/v1/proposals/${id}/history`).set('authorization', await bearer(people.auditor())).expect(200);
      expect(history.body[0]).toMatchObject({ revision: 0, type: 'ProposalSubmitted', schemaVersion: 1, actor: { id: 'clerk-1' }, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(history.body.map((e: { type: string }) => e.type)).toContain('ReplySigned');
      const beforeAssignment = await h.http().get(`/api/v1/proposals/${id}?asOf=2023-03-15T00:00:00Z`).set('authorization', await bearer(people.auditor())).expect(200);
      expect(beforeAssignment.body).toMatchObject({ status: 'accepted', revision: 1, units: [] });
    });

    it('prints an audit dossier: every step with who and when, each deadline against its due date, the chain checked', async () => {
      const auditor = await bearer(people.auditor());
      const json = (await h.http().get(`/api/v1/proposals/${id}/dossier?format=json`).set('authorization', auditor).expect(200)).body;
      const history = (await h.http().get(`/api/v1/proposals/${id}/history`).set('authorization', auditor).expect(200)).body;
      expect(json.chain).toMatchObject({ ok: true, checked: history.length, headHash: history.at(-1).hash });
      expect(json.timeline.map((t: { hash: string }) => t.hash)).toEqual(history.map((e: { hash: string }) => e.hash));
      expect(json.timeline[0]).toMatchObject({ revision: 0, step: '提交 Submitted', actor: { id: 'clerk-1' } });
      // Seed 002's reply went out on 2023-10-11, months after it was due.
      expect(json.deadlines).toEqual([expect.objectContaining({ kind: 'reply', dueDate: '2023-06-16', state: 'met', metAt: '2023-10-11T02:00:00.000Z', onTime: false })]);
      const html = await h.http().get(`/api/v1/proposals/${id}/dossier`).set('authorization', auditor).expect(200);
      expect(html.headers['content-type']).toMatch(/^text\/html/);
      expect(html.text).toContain('<!doctype html>');
      expect(html.text).toContain(SEED_002.title);
      expect(html.text).toContain(`intact, ${history.length} events checked`);
      for (const e of history) expect(html.text).toContain(e.hash);
      expect(html.text).not.toMatch(/<script/i);
      await h.http().get(`/api/v1/proposals/${id}/dossier`).set('authorization', await bearer(people.handler('cq-edu'))).expect(403);
      await h.http().get(`/api/v1/proposals/${id}/dossier?format=pdf`).set('authorization', auditor).expect(400);
      await h.http().get('/api/v1/proposals/ns-0000000000000000/dossier').set('authorization', auditor).expect(404);
    });

    it('lets only the people concerned read it', async () => {
      await h.http().get(`/api/v1/proposals/${id}`).set('authorization', await bearer(people.handler('cq-edu'))).expect(403);
      await h.http().get(`/api/v1/proposals/${id}`).set('authorization', await bearer(people.proposer('someone-else'))).expect(403);
      await h.http().get(`/api/v1/proposals/${id}`).set('authorization', await bearer(people.handler(UNITS.fulian))).expect(200);
      await h.http().get(`/api/v1/proposals/${id}`).set('authorization', await bearer(people.proposer('member-xu-lijuan'))).expect(200);
    });
  });

  describe('refusals, each with its status and stable code, changing nothing', () => {
    let id: string;
    beforeAll(async () => {
      h.at('2025-03-03 09:00');
      id = (await h.http().post('/api/v1/proposals').set('authorization', await bearer(people.office())).send(npcItem('0026')).expect(201)).body.id;
      h.at('2025-03-05 09:00');
      await post(`${id}/registration`, people.office(), { decision: 'accepted' });
      h.at('2025-03-10 10:00');
      await post(`${id}/assignment`, people.office(), { mode: 'lead-with-co', leadUnits: ['cq-edu'], coUnits: ['cq-health'] });
    });

    const revision = async () => (await get(id)).revision as number;

    it.each`
      what                                 | auth                                  | status | code
      ${'no token'}                        | ${undefined}                          | ${401} | ${'UNAUTHENTICATED'}
      ${'a token signed with another key'} | ${'forged'}                           | ${401} | ${'INVALID_TOKEN'}
      ${'a handler of another unit'}       | ${'handler:cq-civil'}                 | ${403} | ${'FORBIDDEN'}
      ${'a signer trying to acknowledge'}  | ${'signer:cq-edu'}                    | ${403} | ${'FORBIDDEN'}
    `('acknowledging with $what → $status $code', async ({ auth, status, code }) => {
      const before = await revision();
      let req = h.http().post(`/api/v1/proposals/${id}/acknowledgements`).send({});
      if (auth === 'forged') req = req.set('authorization', await bearer(token({ sub: 'x', roles: ['handler'], unit: 'cq-edu' }, 'another-secret-that-is-long-enough-to-sign')));
      else if (auth) {
        const [role, unit] = auth.split(':');
        req = req.set('authorization', await bearer(role === 'handler' ? people.handler(unit) : people.signer(unit)));
      }
      const res = await req.expect(status);
      expect(res.body).toMatchObject({ status, code });
      expect(await revision()).toBe(before);
    });

    it('404 for an item that does not exist', async () => {
      const res = await h.http().post('/api/v1/proposals/ns-0000000000000000/acknowledgements').set('authorization', await bearer(people.handler('cq-edu'))).send({}).expect(404);
      expect(res.body.code).toBe('NOT_FOUND');
      await h.http().get('/api/v1/proposals/ns-0000000000000000').set('authorization', await bearer(people.office())).expect(404);
      await h.http().get('/api/v1/nowhere').set('authorization', await bearer(people.office())).expect(404);
    });

    it('412 REVISION_MISMATCH when If-Match is stale; the current revision succeeds', async () => {
      const current = await revision();
      const stale = await h.http().post(`/api/v1/proposals/${id}/acknowledgements`).set('authorization', await bearer(people.handler('cq-edu'))).set('if-match', String(current - 1)).send({}).expect(412);
      expect(stale.body).toMatchObject({ code: 'REVISION_MISMATCH', revision: current });
      await h.http().post(`/api/v1/proposals/${id}/acknowledgements`).set('authorization', await bearer(people.handler('cq-edu'))).set('if-match', `"${current}"`).send({}).expect(200);
    });

    it('422 with the domain’s code: an unknown unit, a closed adjustment window, a back-dated step before the previous one', async () => {
      const unknown = await h.http().post('/api/v1/proposals').set('authorization', await bearer(people.office())).send(npcItem('0027')).expect(201);
      h.at('2025-03-11 09:00');
      await post(`${unknown.body.id}/registration`, people.office(), { decision: 'accepted' });
      expect(await post(`${unknown.body.id}/assignment`, people.office(), { mode: 'lead-with-co', leadUnits: ['no-such-unit'] }, 422)).toMatchObject({ code: 'UNKNOWN_UNIT', units: ['no-such-unit'] });
      h.at('2025-03-25 09:00');
      expect((await post(`${id}/adjustment-requests`, people.handler('cq-health'), { reason: '不属于本单位职责' }, 422)).code).toBe('ADJUSTMENT_WINDOW_CLOSED');
      expect((await post(`${id}/contacts`, people.handler('cq-edu'), { stage: 'before', channel: 'phone', summary: '电话', occurredAt: '2025-03-01T00:00:00Z' }, 422)).code).toBe('OCCURRED_BEFORE_PREVIOUS_STEP');
      expect((await post(`${id}/contacts`, people.handler('cq-edu'), { stage: 'before', channel: 'phone', summary: '电话', occurredAt: '2099-01-01T00:00:00Z' }, 422)).code).toBe('OCCURRED_IN_FUTURE');
    });

    it('403 BACKDATING_NOT_ALLOWED for a signer; 400 for a proposer who sends occurredAt at all', async () => {
      await put(`${id}/co-opinions/cq-health`, people.handler('cq-health'), { content: '意见' });
      await put(`${id}/replies/cq-edu`, people.handler('cq-edu'), { ...replyBody, documentNumber: '渝教议函〔2025〕49号' });
      expect((await post(`${id}/replies/cq-edu/signature`, people.signer('cq-edu'), { occurredAt: '2025-03-24T00:00:00Z' }, 403)).code).toBe('BACKDATING_NOT_ALLOWED');
      expect((await post(`${id}/evaluations`, people.proposer('dep-tan'), { satisfaction: 'satisfied', occurredAt: '2025-03-24T00:00:00Z' }, 400)).code).toBe('VALIDATION_FAILED');
    });

    it('400 VALIDATION_FAILED naming the fields: missing, unknown, wrong type, too long', async () => {
      const res = await post(`${id}/contacts`, people.handler('cq-edu'), { stage: 'sometime', summary: 42, extra: true }, 400);
      expect(res).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
      expect(res.errors.map((e: { field: string }) => e.field).sort()).toEqual(['channel', 'extra', 'stage', 'summary']);
      expect((await post(`${id}/contacts`, people.handler('cq-edu'), { stage: 'before', channel: 'phone', summary: 'x'.repeat(10_001) }, 400)).code).toBe('VALIDATION_FAILED');
    });

    it('Idempotency-Key: the same request replays the answer and records nothing; another body is refused', async () => {
      const key = 'contact-2025-04-01';
      const body = { stage: 'during', channel: 'visit', summary: '走访' };
      const send = async (b: object) => h.http().post(`/api/v1/proposals/${id}/contacts`).set('authorization', await bearer(people.handler('cq-edu'))).set('idempotency-key', key).send(b);
      const first = await send(body);
      expect(first.status).toBe(200);
      const again = await send(body);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      expect(await revision()).toBe(first.body.revision);
      const reused = await send({ ...body, summary: '另一次走访' });
      expect(reused.status).toBe(422);
      expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    });
  });

  describe('every other route: its answer and its refusals', () => {
    it('adjustment, contacts, co-opinions, review, urging, extension, dispatch, evaluation, re-handling, commitments, withdrawal, audit', async () => {
      h.at('2025-06-02 09:00');
      const id = (await h.http().post('/api/v1/proposals').set('authorization', await bearer(people.office())).send(npcItem('0300')).expect(201)).body.id;
      await post(`${id}/registration`, people.office(), { decision: 'accepted' });
      h.at('2025-06-03 09:00');
      await post(`${id}/assignment`, people.office(), { mode: 'lead-with-co', leadUnits: ['cq-edu'], coUnits: ['cq-health'], ruleSet: 'sh-npc-2015' });

      // adjustment (申请调整) and the office's decision
      h.at('2025-06-05 09:00');
      const requested = await post(`${id}/adjustment-requests`, people.handler('cq-health'), { reason: '应由市民政局协办' });
      expect(requested).toMatchObject({ id, requestId: 'adjustment-1', status: 'assigned' });
      expect((await post(`${id}/adjustment-requests/adjustment-9/decision`, people.office(), { approved: false }, 404)).code).toBe('ADJUSTMENT_NOT_FOUND');
      expect((await post(`${id}/adjustment-requests/adjustment-1/decision`, people.handler('cq-edu'), { approved: false }, 403)).code).toBe('FORBIDDEN');
      await post(`${id}/adjustment-requests/adjustment-1/decision`, people.office(), { approved: true, leadUnits: ['cq-edu'], coUnits: ['cq-civil'] });
      expect((await get(id)).units.map((u: { unitId: string }) => u.unitId)).toEqual(['cq-edu', 'cq-civil']);

      // contacts and co-opinions
      await post(`${id}/contacts`, people.handler('cq-edu'), { stage: 'before', channel: 'meeting', summary: '座谈' });
      expect((await post(`${id}/contacts`, people.handler('cq-civil'), { stage: 'before', channel: 'meeting', summary: '座谈' }, 403)).code).toBe('FORBIDDEN');
      await put(`${id}/co-opinions/cq-civil`, people.handler('cq-civil'), { content: '无' });
      expect((await post(`${id}/co-opinions/cq-civil/return`, people.handler('cq-civil'), { reason: '自退' }, 403)).code).toBe('FORBIDDEN');
      await post(`${id}/co-opinions/cq-civil/return`, people.handler('cq-edu'), { reason: '意见空泛，请补充' });
      expect((await put(`${id}/co-opinions/cq-edu`, people.handler('cq-edu'), { content: 'x' }, 403)).code).toBe('FORBIDDEN');
      await put(`${id}/co-opinions/cq-civil`, people.handler('cq-civil'), { content: '市民政局将把困境儿童纳入保障' });

      // the reply: draft, sign, review returned and approved
      const reply = { ...replyBody, documentNumber: '渝教议函〔2025〕80号', resultClass: 'B', commitments: [{ description: '年内建成心理辅导站20个', dueDate: '2025-12-31' }] };
      expect((await put(`${id}/replies/cq-edu`, people.handler('cq-edu'), { ...reply, resultClass: 'E' }, 400)).code).toBe('VALIDATION_FAILED');
      await put(`${id}/replies/cq-edu`, people.handler('cq-edu'), reply);
      await post(`${id}/replies/cq-edu/signature`, people.signer('cq-edu'));
      expect((await post(`${id}/replies/cq-edu/review`, people.supervisor('ct-zhengfuban'), { approved: false }, 422)).code).toBe('COMMENT_REQUIRED');
      await post(`${id}/replies/cq-edu/review`, people.supervisor('ct-zhengfuban'), { approved: false, comment: '请写明时限' });
      expect((await get(id)).replies[0]).toMatchObject({ stage: 'drafted', signatures: [] });
      await post(`${id}/replies/cq-edu/signature`, people.signer('cq-edu'));
      await post(`${id}/replies/cq-edu/review`, people.supervisor('ct-zhengfuban'), { approved: true });

      // urging and extension
      await post(`${id}/urges`, people.supervisor('ct-zhengfuban'), { unitId: 'cq-edu', message: '请加快办理' });
      expect((await post(`${id}/urges`, people.handler('cq-edu'), { message: 'm' }, 403)).code).toBe('FORBIDDEN');
      expect((await post(`${id}/urges`, people.supervisor('ct-zhengfuban'), {}, 400)).code).toBe('VALIDATION_FAILED');
      // Shanghai 第十九条: an extension needs the consent of the 代表工作机构, and names who gave it.
      const consentedBy = '市人大常委会代表工作机构';
      expect((await post(`${id}/extensions`, people.office(), { months: 4, reason: '涉及面广', consentedBy }, 422)).code).toBe('EXTENSION_EXCEEDS_LIMIT');
      expect((await post(`${id}/extensions`, people.handler('cq-edu'), { months: 1, reason: 'r', consentedBy }, 403)).code).toBe('FORBIDDEN');
      await post(`${id}/extensions`, people.office(), { months: 1, reason: '涉及面广', consentedBy });
      expect((await get(id)).deadlines.find((d: { kind: string }) => d.kind === 'reply')).toMatchObject({ dueDate: '2025-10-09' });

      // dispatch, evaluation, re-handling
      h.at('2025-07-01 09:00');
      await post(`${id}/replies/cq-edu/dispatch`, people.handler('cq-edu'));
      // Shanghai 第二十一条: attitude and result are rated each; an unsatisfied rating gives its reasons.
      expect((await post(`${id}/evaluations`, people.proposer('dep-tan'), { satisfaction: 'satisfied' }, 422)).code).toBe('VALIDATION_FAILED');
      expect((await post(`${id}/evaluations`, people.proposer('dep-tan'), { satisfaction: 'unsatisfied', attitude: 'satisfied', result: 'unsatisfied' }, 422)).code).toBe('COMMENT_REQUIRED');
      expect((await post(`${id}/evaluations`, people.proposer('stranger'), { satisfaction: 'satisfied' }, 403)).code).toBe('FORBIDDEN');
      await post(`${id}/evaluations`, people.proposer('dep-tan'), { satisfaction: 'unsatisfied', attitude: 'satisfied', result: 'unsatisfied', comment: '措施不具体' });
      expect((await post(`${id}/rehandling`, people.handler('cq-edu'), { reason: 'r' }, 403)).code).toBe('FORBIDDEN');
      expect(await post(`${id}/rehandling`, people.office(), { reason: '代表不满意' })).toMatchObject({ status: 'rehandling' });

      // commitments are followed up
      expect((await post(`${id}/commitments/nope/fulfilment`, people.handler('cq-edu'), { note: 'n' }, 404)).code).toBe('COMMITMENT_NOT_FOUND');
      await post(`${id}/commitments/cq-edu-r1-c1/fulfilment`, people.handler('cq-edu'), { note: '已建成22个' });
      expect((await get(id)).commitments[0]).toMatchObject({ commitmentId: 'cq-edu-r1-c1', fulfilled: true });

      // the audit trail verifies
      expect((await h.http().get(`/api/v1/audit/verify?proposalId=${id}`).set('authorization', await bearer(people.auditor())).expect(200)).body).toMatchObject({ ok: true });
      expect((await h.http().get('/api/v1/audit/verify').set('authorization', await bearer(people.auditor())).expect(200)).body).toMatchObject({ ok: true, broken: [] });
      // Over the whole store, progress as it goes when asked for lines (application/x-ndjson), then the result.
      const streamed = await h.http().get('/api/v1/audit/verify').set('authorization', await bearer(people.auditor())).set('accept', 'application/x-ndjson').expect(200);
      expect(streamed.headers['content-type']).toMatch(/^application\/x-ndjson/);
      const lines = streamed.text.trim().split('\n').map((l) => JSON.parse(l));
      expect(lines.length).toBeGreaterThan(2);
      expect(lines[0]).toMatchObject({ progress: { streams: expect.any(Number), of: expect.any(Number), checked: expect.any(Number) } });
      expect(lines.at(-1)).toMatchObject({ ok: true, broken: [], streams: lines[0].progress.of });
      await h.http().get(`/api/v1/audit/verify?proposalId=${id}`).set('authorization', await bearer(people.handler('cq-edu'))).expect(403);
      await h.http().get('/api/v1/audit/verify?proposalId=ns-ffffffffffffffff').set('authorization', await bearer(people.auditor())).expect(404);

      // withdrawal by the lead proposer only
      const other = (await h.http().post('/api/v1/proposals').set('authorization', await bearer(people.office())).send(npcItem('0301')).expect(201)).body.id;
      expect((await post(`${other}/withdrawal`, people.proposer('dep-li'), { reason: '撤回' }, 403)).code).toBe('FORBIDDEN');
      expect(await post(`${other}/withdrawal`, people.proposer('dep-tan'), { reason: '问题已解决' })).toMatchObject({ status: 'withdrawn' });
    });

    it('the units directory: admin and office write, everyone with a token reads, bad ids are refused', async () => {
      await h.http().put('/api/v1/units/cq-new').set('authorization', await bearer(people.handler('cq-edu'))).send({ name: '新单位' }).expect(403);
      await h.http().put('/api/v1/units/cq-new').set('authorization', await bearer(people.office())).send({}).expect(400);
      await h.http().put('/api/v1/units/bad%20id').set('authorization', await bearer(people.office())).send({ name: 'x' }).expect(400);
      await h.http().put('/api/v1/units/cq-new').set('authorization', await bearer(people.office())).send({ name: '新单位' }).expect(200);
      const units = (await h.http().get('/api/v1/units').set('authorization', await bearer(people.handler('cq-edu'))).expect(200)).body;
      expect(units).toContainEqual({ unitId: 'cq-new', name: '新单位' });
    });
  });

  describe('no request, however malformed, gets a 5xx or changes anything', () => {
    let id: string;
    beforeAll(async () => {
      h.at('2025-04-01 09:00');
      id = (await h.http().post('/api/v1/proposals').set('authorization', await bearer(people.office())).send(npcItem('0100')).expect(201)).body.id;
    });

    const raw = async (method: 'post' | 'put', path: string, payload: string, contentType = 'application/json') =>
      h.http()[method](`/api/v1/proposals/${path}`).set('authorization', await bearer(people.office())).set('content-type', contentType).send(payload);

    it.each([
      ['broken JSON', '{"decision": '],
      ['a JSON array', '[1,2,3]'],
      ['a JSON string', '"accepted"'],
      ['null', 'null'],
      ['__proto__ pollution', '{"decision":"accepted","__proto__":{"admin":true}}'],
      ['constructor pollution', '{"decision":"accepted","constructor":{"prototype":{"admin":true}}}'],
      ['wrong types', '{"decision":["accepted"],"reason":{"a":1}}'],
      ['a huge string', JSON.stringify({ decision: 'rejected', reason: 'x'.repeat(2_000_000) })],
      ['deep nesting', `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`],
      ['unicode garbage', '{"decision":"\\ud800\\udfff\\u0000"}'],
    ])('%s → 4xx', async (_what, payload) => {
      const res = await raw('post', `${id}/registration`, payload);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body.code).toEqual(expect.any(String));
      expect((await get(id)).revision).toBe(0);
    });

    it('a body that is not JSON at all → 415 UNSUPPORTED_MEDIA_TYPE', async () => {
      for (const [payload, type] of [
        ['decision=accepted', 'application/x-www-form-urlencoded'],
        ['decision: accepted', 'text/plain'],
        ['<decision>accepted</decision>', 'application/xml'],
      ]) {
        const res = await raw('post', `${id}/registration`, payload, type);
        expect([res.status, res.body.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
      }
      expect((await get(id)).revision).toBe(0);
    });

    it('odd path parameters → 4xx', async () => {
      for (const path of ['..%2F..%2Fetc', '%00', 'x'.repeat(300), encodeURIComponent('<script>')]) {
        const res = await h.http().get(`/api/v1/proposals/${path}`).set('authorization', await bearer(people.office()));
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
      }
      const res = await raw('put', `${id}/co-opinions/${'y'.repeat(300)}`, '{"content":"c"}');
      expect(res.status).toBeLessThan(500);
    });
  });

  describe('a restart in the middle of a lifecycle loses nothing', () => {
    it('continues where it stopped', async () => {
      h.at('2025-05-01 09:00');
      const id = (await h.http().post('/api/v1/proposals').set('authorization', await bearer(people.office())).send(npcItem('0200')).expect(201)).body.id;
      await post(`${id}/registration`, people.office(), { decision: 'accepted' });
      await post(`${id}/assignment`, people.office(), { mode: 'lead-with-co', leadUnits: ['cq-edu'] });
      const before = await get(id);
      await h.restart();
      const after = await get(id);
      expect(after).toEqual(before);
      expect(await post(`${id}/acknowledgements`, people.handler('cq-edu'))).toMatchObject({ revision: before.revision + 2, status: 'assigned' });
      expect((await h.http().get('/api/v1/units').set('authorization', await bearer(people.office())).expect(200)).body.length).toBeGreaterThanOrEqual(9);
    });
  });

  describe('read models', () => {
    const list = async (who: Promise<string>, query = '') => (await h.http().get(`/api/v1/proposals${query}`).set('authorization', await bearer(who)).expect(200)).body;

    it('lists items scoped by role, with filters', async () => {
      await h.settled();
      const all = await list(people.office(), '?pageSize=200');
      expect(all.total).toBeGreaterThanOrEqual(5);
      expect(all.items.find((i: { session: string }) => i.session === '七届三次')).toMatchObject({ status: 'closed', units: expect.arrayContaining([{ unitId: UNITS.minzheng, role: 'lead' }]) });
      const eduOnly = await list(people.handler('cq-edu'));
      expect(eduOnly.items.length).toBeGreaterThan(0);
      expect(eduOnly.items.every((i: { units: { unitId: string }[] }) => i.units.some((u) => u.unitId === 'cq-edu'))).toBe(true);
      const mine = await list(people.proposer('member-xu-lijuan'));
      expect(mine.items.map((i: { session: string }) => i.session)).toEqual(['七届三次']);
      expect((await list(people.office(), '?status=closed')).items.every((i: { status: string }) => i.status === 'closed')).toBe(true);
      expect((await list(people.office(), `?session=${encodeURIComponent('六届三次')}&pageSize=2&page=1`)).items).toHaveLength(2);
      expect((await list(people.office(), '?overdue=true')).items.every((i: { overdue: boolean }) => i.overdue)).toBe(true);
      expect((await h.http().get('/api/v1/proposals?pageSize=1000').set('authorization', await bearer(people.office())).expect(400)).body.code).toBe('VALIDATION_FAILED');
      await h.http().get('/api/v1/proposals').set('authorization', await bearer(people.auditor())).expect(200);
      await h.http().get('/api/v1/proposals').set('authorization', await bearer(token({ sub: 'nobody', roles: [] }))).expect(403);
    });

    it('lists deadlines with states computed against the clock', async () => {
      h.at('2025-09-01 09:00');
      const rows = (await h.http().get('/api/v1/supervision/deadlines?unit=cq-edu').set('authorization', await bearer(people.supervisor('ct-zhengfuban'))).expect(200)).body;
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.find((d: { kind: string; state: string }) => d.kind === 'reply')).toMatchObject({ unitId: 'cq-edu', state: 'breached' });
      const mine = (await h.http().get('/api/v1/supervision/deadlines').set('authorization', await bearer(people.handler('cq-health'))).expect(200)).body;
      expect(mine.every((d: { unitId?: string }) => d.unitId === 'cq-health')).toBe(true);
      await h.http().get('/api/v1/supervision/deadlines').set('authorization', await bearer(people.proposer('dep-tan'))).expect(403);
    });

    it('counts per-unit figures', async () => {
      const stats = (await h.http().get(`/api/v1/stats?session=${encodeURIComponent('七届三次')}`).set('authorization', await bearer(people.office())).expect(200)).body;
      expect(stats.find((s: { unitId: string }) => s.unitId === UNITS.minzheng)).toMatchObject({
        assigned: 1,
        replied: 1,
        repliedOnTime: 0,
        evaluated: 1,
        satisfied: 1,
        replyRate: 1,
        onTimeRate: 0,
        satisfactionRate: 1,
        classShares: { A: 1, B: 0, C: 0, D: 0 },
      });
      expect(stats.find((s: { unitId: string }) => s.unitId === UNITS.jiaoke)).toMatchObject({ assigned: 1, replied: 0, satisfied: 0, unsatisfied: 0, replyRate: null, satisfactionRate: null });
    });

    it('publishes a disclosed reply to the public without contact details', async () => {
      const closed = (await list(people.office(), `?session=${encodeURIComponent('七届三次')}`)).items[0];
      h.at(TIMELINE.closed);
      await post(`${closed.id}/replies/${UNITS.minzheng}/publication`, people.office());
      await h.settled();
      const published = (await h.http().get('/api/v1/public/replies').expect(200)).body;
      expect(published.items[0]).toMatchObject({ proposalId: closed.id, unitId: UNITS.minzheng, resultClass: 'A', number: SEED_002.number });
      expect(published.items[0]).not.toHaveProperty('contactPerson');
      expect(published.items[0]).not.toHaveProperty('contactPhone');
      expect(JSON.stringify(published.items[0])).not.toContain('13795952836');
    });

    it('answers read-your-writes: once the read model holds a revision, or after the wait', async () => {
      const item = (await list(people.office(), '?status=closed')).items[0];
      const url = (q: string) => `/api/v1/read-model/proposals/${item.id}${q}`;
      const office = await bearer(people.office());
      expect((await h.http().get(url(`?atLeast=${item.revision}&waitMs=2000`)).set('authorization', office).expect(200)).body).toEqual({ proposalId: item.id, revision: item.revision, reached: true });
      const started = Date.now();
      expect((await h.http().get(url(`?atLeast=${item.revision + 50}&waitMs=150`)).set('authorization', office).expect(200)).body).toMatchObject({ reached: false });
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      await h.http().get(url('')).set('authorization', await bearer(people.handler('cq-edu'))).expect(403);
      await h.http().get(url('?waitMs=999999')).set('authorization', office).expect(400);
    });

    it('rebuilt from position zero, the read model equals the live one', async () => {
      const readModel = await h.settled();
      const live = readModel.model.snapshot();
      expect(live.rm_proposals.length).toBeGreaterThan(3);
      await readModel.rebuild();
      expect(readModel.model.snapshot()).toEqual(live);
    });
  });

  describe('the supervision stream (server-sent events)', () => {
    async function readEvents(url: string, headers: Record<string, string>, until: (text: string) => boolean): Promise<string> {
      const controller = new AbortController();
      const response = await fetch(url, { headers, signal: controller.signal });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      const reader = response.body!.getReader();
      let text = '';
      const deadline = Date.now() + 5000;
      let pending = reader.read(); // one read in flight at a time, so no chunk is dropped
      while (!until(text) && Date.now() < deadline) {
        const chunk = await Promise.race([pending, new Promise<null>((r) => setTimeout(() => r(null), 200))]);
        if (chunk === null) continue;
        if (chunk.done) break;
        text += new TextDecoder().decode(chunk.value);
        pending = reader.read();
      }
      pending.catch(() => undefined); // the read still in flight ends with the connection
      await reader.cancel().catch(() => undefined);
      controller.abort();
      return text;
    }

    it('replays urging notices after Last-Event-ID, streams new ones live, and filters by unit', async () => {
      await h.app.listen(0, '127.0.0.1');
      const url = `${await h.app.getUrl()}/api/v1/supervision/stream`;
      const auth = { authorization: await bearer(people.supervisor('ct-zhengfuban')) };
      const replayed = await readEvents(url, { ...auth, 'last-event-id': '0' }, (t) => t.includes('请加快办理'));
      expect(replayed).toMatch(/event: Urged\nid: \d+\ndata: \{"proposalId":"ns-[0-9a-f]+",.*"message":"请加快办理"/);

      const items = (await h.http().get('/api/v1/proposals?status=rehandling').set('authorization', auth.authorization).expect(200)).body.items;
      const live = readEvents(`${url}?unit=cq-edu`, auth, (t) => t.includes('第二次催办'));
      await new Promise((r) => setTimeout(r, 300));
      await post(`${items[0].id}/urges`, people.supervisor('ct-zhengfuban'), { unitId: 'cq-edu', message: '第二次催办' });
      expect(await live).toContain('第二次催办');

      // The urged unit's handler is notified on its own stream; another unit's handler is not.
      const handler = { authorization: await bearer(people.handler('cq-edu')) };
      const notified = readEvents(url, handler, (t) => t.includes('第三次催办'));
      const other = readEvents(url, { authorization: await bearer(people.handler('cq-health')) }, (t) => t.includes('第三次催办'));
      await new Promise((r) => setTimeout(r, 300));
      await post(`${items[0].id}/urges`, people.supervisor('ct-zhengfuban'), { unitId: 'cq-edu', message: '第三次催办' });
      expect(await notified).toContain('第三次催办');
      expect(await other).not.toContain('第三次催办');
      expect((await fetch(`${url}?unit=cq-health`, { headers: handler })).status).toBe(403);

      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: await bearer(people.proposer('dep-tan')) } })).status).toBe(403);
    }, 30_000);
  });

  describe('signed webhooks for the supervision office', () => {
    it('registers a webhook, delivers a signed notice to it, and removes it', async () => {
      const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
      const receiver = createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString('utf8')));
        req.on('end', () => {
          received.push({ headers: req.headers, body });
          res.end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/banli`;
      const supervisor = `Bearer ${await people.supervisor('ct-zhengfuban')}`;
      const hooks = '/api/v1/supervision/webhooks';
      try {
        const bad = [
          { url: 'ftp://example.org/x', secret: 'a-secret-of-16-chars' },
          { url, secret: 'short' },
          { url, secret: 'a-secret-of-16-chars', eventTypes: ['ProposalSubmitted'] },
          { url, secret: 'a-secret-of-16-chars', eventTypes: [] },
        ];
        for (const body of bad) expect((await h.http().post(hooks).set('authorization', supervisor).send(body).expect(400)).body.code).toBe('VALIDATION_FAILED');
        expect((await h.http().post(hooks).set('authorization', supervisor).send({ url, secret: 'a-secret-of-16-chars', unit: 'nowhere' }).expect(422)).body.code).toBe('UNKNOWN_UNIT');
        await h.http().post(hooks).set('authorization', `Bearer ${await people.handler('cq-edu')}`).send({ url, secret: 'a-secret-of-16-chars' }).expect(403);

        const created = (await h.http().post(hooks).set('authorization', supervisor).send({ url, secret: 'the-office-secret-2025', unit: 'cq-edu', eventTypes: ['Urged'] }).expect(201)).body;
        expect(created).toMatchObject({ webhookId: expect.any(String), url, unit: 'cq-edu', eventTypes: ['Urged'], registeredBy: 'supervisor@ct-zhengfuban', delivery: { delivered: 0 } });
        expect(JSON.stringify(created)).not.toContain('the-office-secret-2025');

        const item = (await h.http().get('/api/v1/proposals?status=rehandling').set('authorization', supervisor).expect(200)).body.items[0];
        await post(`${item.id}/urges`, people.supervisor('ct-zhengfuban'), { unitId: 'cq-edu', message: '网络催办' });
        for (let waited = 0; received.length === 0 && waited < 5000; waited += 20) await new Promise((r) => setTimeout(r, 20));
        expect(received).toHaveLength(1);
        expect(JSON.parse(received[0].body)).toMatchObject({ type: 'Urged', proposalId: item.id, unitId: 'cq-edu', message: '网络催办' });
        expect(verifyDeliverySignature('the-office-secret-2025', received[0].body, received[0].headers['banli-signature'] as string, new Date(h.now))).toBe(true);
        // The receiver has the request before the service has its answer: ask until it is counted.
        let listed = (await h.http().get(hooks).set('authorization', supervisor).expect(200)).body;
        for (let waited = 0; listed[0]?.delivery?.delivered !== 1 && waited < 5000; waited += 20) {
          await new Promise((r) => setTimeout(r, 20));
          listed = (await h.http().get(hooks).set('authorization', supervisor).expect(200)).body;
        }
        expect(listed).toEqual([expect.objectContaining({ webhookId: created.webhookId, delivery: expect.objectContaining({ delivered: 1 }) })]);

        await h.http().delete(`${hooks}/${created.webhookId}`).set('authorization', supervisor).expect(204);
        expect((await h.http().delete(`${hooks}/${created.webhookId}`).set('authorization', supervisor).expect(404)).body.code).toBe('WEBHOOK_NOT_FOUND');
        expect((await h.http().get(hooks).set('authorization', supervisor).expect(200)).body).toEqual([]);
      } finally {
        receiver.closeAllConnections();
        await new Promise((resolve) => receiver.close(resolve));
      }
    });
  });

  describe('many commands on one item at once', () => {
    it('takes them all, one after another, without refusing any as a race', async () => {
      const supervisor = people.supervisor('ct-zhengfuban');
      const item = (await h.http().get('/api/v1/proposals?status=rehandling').set('authorization', await bearer(supervisor)).expect(200)).body.items[0];
      const before = (await get(item.id)).revision;
      const answers = await Promise.all(Array.from({ length: 30 }, (_, n) => post(`${item.id}/urges`, supervisor, { unitId: 'cq-edu', message: `并发催办${n}` })));
      expect(new Set(answers.map((a: { revision: number }) => a.revision)).size).toBe(30);
      // Straight into the command path, all in the same tick: the closest a busy process comes to a race.
      const commands = h.app.get(ProposalCommandService);
      const actor = { id: 'supervisor@ct-zhengfuban', unit: 'ct-zhengfuban', roles: ['supervisor'] as Role[] };
      const direct = await Promise.all(Array.from({ length: 50 }, (_, n) => commands.execute(item.id, command('UrgeUnit', { unitId: 'cq-edu', message: `同时催办${n}` }), { actor })));
      expect(new Set(direct.map((a) => a.revision)).size).toBe(50);
      expect((await get(item.id)).revision).toBe(before + 80);
    });
  });

  describe('operations endpoints', () => {
    it('serves health, metrics and OpenAPI without a token', async () => {
      expect((await h.http().get('/health').expect(200)).body).toMatchObject({ status: 'ok', info: { eventStore: { status: 'up' } } });
      const metrics = await h.http().get('/metrics').expect(200);
      expect(metrics.text).toContain('banli_http_request_duration_seconds_bucket');
      // Counters start again with the process; the restart above left at least its acknowledgement.
      expect(metrics.text).toMatch(/banli_commands_total\{type="AcknowledgeAssignment",outcome="recorded"\} 1/);
      const docs = await h.http().get('/api/docs-json').expect(200);
      expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/api/v1/proposals', '/api/v1/proposals/{id}/replies/{unitId}/signature', '/api/v1/units/{unitId}']));
    });
  });
});
