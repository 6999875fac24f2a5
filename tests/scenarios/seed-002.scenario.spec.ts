import { parseRuleSet } from '../../libs/domain/src/rule-sets/rule-set';
import chaotian from '../../libs/domain/src/testing/chaotian-cppcc-2023.rule-set.json';
import { actors, catalogWith, sh, Story, type When } from '../../libs/domain/src/testing/decider-spec';
import { ASSIGNMENT, REPLY, SEED_002, TIMELINE, UNITS } from '../../apps/standalone/demo/seed-002';
import { fold } from '../../libs/domain/src/proposal/proposal.evolve';
import type { ClosedProposal, Deadline, ExistingProposal, Handling } from '../../libs/domain/src/proposal/proposal.state';

/**
 * Seed 002 replayed: Chaotian CPPCC proposal No. 15 of 2023, from submission to closure, asserting
 * the state after every step. The reply came on 2023-10-11, four months after it was due.
 */
describe('seed 002: 关于加强全区未成年人关爱保护工作的建议 (朝天区政协 2023 第15号)', () => {
  const story = new Story(catalogWith(parseRuleSet(chaotian, 'chaotian-cppcc-2023.rule-set.json')), 'chaotian-cppcc-2023');
  const live = (actor: When['actor'], local: string): When => ({ actor, now: sh(local) });
  const handling = () => (story.state as ExistingProposal & { handling: Handling }).handling;
  const deadline = (id: string): Deadline => (story.state as ExistingProposal).deadlines[id];
  const CO_UNITS = ASSIGNMENT.coUnits;

  it('is submitted by 刘安泽 with 徐丽娟 co-signing', () => {
    story.run('SubmitProposal', { ...SEED_002, proposers: [...SEED_002.proposers] }, live(actors.office, TIMELINE.submitted));
    expect(story.state).toMatchObject({
      status: 'submitted',
      kind: 'cppcc-proposal',
      session: '七届三次',
      number: '第〔15〕号',
      proposers: [
        { name: '刘安泽', lead: true },
        { name: '徐丽娟', lead: false },
      ],
    });
  });

  it('is accepted (已立案)', () => {
    story.run('RegisterProposal', { decision: 'accepted' }, live(actors.office, TIMELINE.accepted));
    expect(story.state.status).toBe('accepted');
  });

  it('is assigned on 2023-03-16 to 区民政局 with four co-units, supervised by 区政府办公室 and 区委目标绩效办', () => {
    story.run('AssignProposal', { ...ASSIGNMENT, leadUnits: [...ASSIGNMENT.leadUnits], coUnits: [...CO_UNITS], supervisingUnits: [...ASSIGNMENT.supervisingUnits] }, live(actors.office, TIMELINE.assigned));
    expect(story.state.status).toBe('assigned');
    expect(handling()).toMatchObject({
      mode: 'lead-with-co',
      key: false,
      leadingOfficial: '杨金军',
      supervisingUnits: [UNITS.zhengfuban, UNITS.jixiaoban],
      ruleSet: { id: 'chaotian-cppcc-2023' },
    });
    expect(handling().units.map((u) => [u.unitId, u.role])).toEqual([
      [UNITS.minzheng, 'lead'],
      [UNITS.jiaoke, 'co'],
      [UNITS.sifa, 'co'],
      [UNITS.gongan, 'co'],
      [UNITS.fulian, 'co'],
    ]);
    expect(deadline(`reply:${UNITS.minzheng}:1`)).toMatchObject({ dueDate: '2023-06-16', dueAt: '2023-06-16T16:00:00.000Z', state: 'open' });
  });

  it('the lead cannot sign while co-opinions are outstanding', () => {
    story.run('DraftReply', { ...REPLY, cc: [], commitments: [] }, live(actors.handler(UNITS.minzheng), '2023-05-10 10:00'));
    story.when('SignReply', { unitId: UNITS.minzheng }, live(actors.signer(UNITS.minzheng), '2023-05-11 10:00')).thenRefuses('CO_OPINIONS_PENDING');
  });

  it('breaches the reply deadline at 24:00 on 2023-06-16 and escalates to the supervising units', () => {
    story.when('MarkDeadlineBreached', { deadlineId: `reply:${UNITS.minzheng}:1` }, live(actors.system, '2023-06-16 23:59')).thenRefuses('DEADLINE_NOT_DUE');
    story.run('MarkDeadlineBreached', { deadlineId: `reply:${UNITS.minzheng}:1` }, live(actors.system, '2023-06-17 00:00'));
    story.run('EscalateDeadline', { deadlineId: `reply:${UNITS.minzheng}:1`, rung: 1 }, live(actors.system, '2023-06-17 00:00'));
    expect(deadline(`reply:${UNITS.minzheng}:1`)).toMatchObject({ state: 'breached', breachedAt: '2023-06-16T16:00:00.000Z', escalatedRungs: [1] });
    expect(story.events.at(-1)?.data).toEqual({
      deadlineId: `reply:${UNITS.minzheng}:1`,
      rung: 1,
      to: 'supervising-units',
      recipients: [UNITS.zhengfuban, UNITS.jixiaoban],
    });
  });

  it('receives the four co-opinions', () => {
    for (const unit of CO_UNITS) {
      story.run('SubmitCoOpinion', { unitId: unit, content: `${unit} 会办意见` }, live(actors.handler(unit), TIMELINE.coOpinions));
    }
    expect(Object.values(handling().coOpinions).map((o) => o.state)).toEqual(['submitted', 'submitted', 'submitted', 'submitted']);
  });

  it('is drafted, signed by 区民政局 and approved in supervisory review (督办审核：已通过) as class A', () => {
    story.run('DraftReply', { ...REPLY, cc: [], commitments: [] }, live(actors.handler(UNITS.minzheng), TIMELINE.drafted));
    story.run('SignReply', { unitId: UNITS.minzheng }, live(actors.signer(UNITS.minzheng), TIMELINE.signed));
    expect(handling().tracks[UNITS.minzheng].stage).toBe('signed');
    story.when('DispatchReply', { unitId: UNITS.minzheng }, live(actors.handler(UNITS.minzheng), TIMELINE.signed)).thenRefuses('REVIEW_REQUIRED');
    story.run('ReviewReply', { unitId: UNITS.minzheng, approved: true }, live(actors.supervisor(UNITS.zhengfuban), TIMELINE.reviewed));
    expect(handling().tracks[UNITS.minzheng]).toMatchObject({ stage: 'reviewed', review: { approved: true }, draft: { resultClass: 'A', contact: { name: '贺威', phone: '13795952836' } } });
  });

  it('is dispatched on 2023-10-11 to both members, months after the reply was due', () => {
    story.run('DispatchReply', { unitId: UNITS.minzheng }, live(actors.handler(UNITS.minzheng), TIMELINE.dispatched));
    expect(story.state.status).toBe('replied');
    expect(story.events.find((e) => e.type === 'ReplyDispatched')?.data).toMatchObject({
      resultClass: 'A',
      recipients: ['member-liu-anze', 'member-xu-lijuan'],
    });
    expect(deadline(`reply:${UNITS.minzheng}:1`)).toMatchObject({
      state: 'met',
      onTime: false,
      metAt: sh(TIMELINE.dispatched),
      breachedAt: '2023-06-16T16:00:00.000Z',
    });
  });

  it('is rated satisfied by both members (满意; 反馈意见：非常满意)', () => {
    story.run('EvaluateReply', { satisfaction: 'satisfied', comment: '非常满意' }, live(actors.proposer('member-liu-anze'), TIMELINE.ratedByLiu));
    story.run('EvaluateReply', { satisfaction: 'satisfied' }, live(actors.proposer('member-xu-lijuan'), TIMELINE.ratedByXu));
    expect(handling().tracks[UNITS.minzheng].evaluations.map((e) => [e.proposerId, e.satisfaction, e.counted])).toEqual([
      ['member-liu-anze', 'satisfied', true],
      ['member-xu-lijuan', 'satisfied', true],
    ]);
  });

  it('is closed, and its disclosed reply can be published', () => {
    story.run('CloseProposal', {}, live(actors.office, TIMELINE.closed));
    expect(story.state).toMatchObject({ status: 'closed', closedAt: sh(TIMELINE.closed) });
    story.run('PublishReply', { unitId: UNITS.minzheng }, live(actors.office, TIMELINE.closed));
    expect((story.state as ClosedProposal).handling.tracks[UNITS.minzheng].published).toBe(true);
  });

  it('replaying the recorded stream from nothing reproduces the final state', () => {
    expect(fold(story.events)).toEqual(story.state);
    expect(story.events.map((e) => e.type)).toEqual([
      'ProposalSubmitted',
      'ProposalAccepted',
      'ProposalAssigned',
      'DeadlineSet',
      'ReplyDrafted',
      'DeadlineBreached',
      'Escalated',
      'CoOpinionSubmitted',
      'CoOpinionSubmitted',
      'CoOpinionSubmitted',
      'CoOpinionSubmitted',
      // the draft of 2023-10-09 repeated the one already on file, so it recorded nothing
      'ReplySigned',
      'ReplyReviewed',
      'ReplyDispatched',
      'DeadlineMet',
      'ReplyEvaluated',
      'ReplyEvaluated',
      'ProposalClosed',
      'ReplyPublished',
    ]);
  });
});
