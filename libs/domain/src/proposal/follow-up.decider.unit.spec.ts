import { parseRuleSet } from '../rule-sets/rule-set';
import shNpc2015 from '../rule-sets/data/sh-npc-2015.json';
import { actors, catalogWith, sh, Story, type When } from '../testing/decider-spec';
import { accepted, assigned, DRAFT, dispatched, LEAD, separateDispatched, signed, withCoOpinions } from '../testing/lifecycle.fixture';
import { type ExistingProposal, handlingOf, ratingsInFigures, type RepliedProposal } from './proposal.state';

const proposer = (id: string, now: string): When => ({ actor: actors.proposer(id), now: sh(now) });
const office = (now: string): When => ({ actor: actors.office, now: sh(now) });
const handler = (unit: string, now: string): When => ({ actor: actors.handler(unit), now: sh(now) });
const system = (now: string, occurredAt?: string): When => ({ actor: actors.system, now: sh(now), ...(occurredAt ? { occurredAt: sh(occurredAt) } : {}) });
const deadlines = (story: Story) => (story.state as ExistingProposal).deadlines;

function signedWith(body: string): Story {
  const story = withCoOpinions();
  story.run('DraftReply', { ...DRAFT, body }, handler(LEAD, '2025-05-20 10:00'));
  story.run('SignReply', { unitId: LEAD }, { actor: actors.signer(LEAD), now: sh('2025-05-21 10:00') });
  return story;
}

function rated(lead: 'satisfied' | 'unsatisfied' = 'satisfied', coSigner: 'satisfied' | 'unsatisfied' = 'satisfied'): Story {
  const story = dispatched();
  story.run('EvaluateReply', { satisfaction: lead, ...(lead === 'unsatisfied' ? { comment: '措施不具体' } : {}) }, proposer('dep-tan', '2025-05-26 09:00'));
  story.run('EvaluateReply', { satisfaction: coSigner, ...(coSigner === 'unsatisfied' ? { comment: '未回应' } : {}) }, proposer('dep-li', '2025-05-26 10:00'));
  return story;
}

/** An item under a rule set with Shanghai's values but lead-only rating and a 20-working-day evaluation window. */
function leadOnly(): Story {
  const ruleSet = parseRuleSet(
    {
      ...shNpc2015,
      id: 'lead-only',
      verification: 'assumed',
      evaluation: { counts: 'lead-only' },
      steps: { ...shNpc2015.steps, evaluation: { duration: 20, unit: 'working-days', from: 'ReplyDispatched', source: 'test' } },
    },
    'lead-only.json',
  );
  const story = new Story(catalogWith(ruleSet));
  story.events.push(...accepted().events);
  story.state = accepted().state;
  story.run('AssignProposal', { mode: 'lead-with-co', leadUnits: [LEAD], ruleSet: 'lead-only' }, office('2025-03-10 10:00'));
  story.run('DraftReply', DRAFT, handler(LEAD, '2025-05-20 10:00'));
  story.run('SignReply', { unitId: LEAD }, { actor: actors.signer(LEAD), now: sh('2025-05-20 11:00') });
  story.run('DispatchReply', { unitId: LEAD }, handler(LEAD, '2025-05-21 10:00'));
  return story;
}

describe('EvaluateReply (评价)', () => {
  it('records a rating; the evaluation deadline is met once every counted proposer has rated', () => {
    const story = dispatched('cq-every-proposer');
    expect(story.when('EvaluateReply', { satisfaction: 'satisfied', attitude: 'satisfied', result: 'basically-satisfied' }, proposer('dep-tan', '2025-05-26 09:00')).events()).toEqual([
      {
        type: 'ReplyEvaluated',
        schemaVersion: 1,
        data: { unitId: LEAD, round: 1, proposerId: 'dep-tan', satisfaction: 'satisfied', attitude: 'satisfied', result: 'basically-satisfied', counted: true },
      },
    ]);
    story.run('EvaluateReply', { satisfaction: 'satisfied' }, proposer('dep-tan', '2025-05-26 09:00'));
    expect(story.when('EvaluateReply', { satisfaction: 'basically-satisfied' }, proposer('dep-li', '2025-05-26 10:00')).types()).toEqual(['ReplyEvaluated', 'DeadlineMet']);
  });

  it('Chongqing (第二十六条): the lead deputy rates; a co-signer’s rating is recorded, not counted, and the lead’s alone meets the window', () => {
    const story = dispatched();
    expect(story.when('EvaluateReply', { satisfaction: 'satisfied' }, proposer('dep-li', '2025-05-26 09:00')).events()).toEqual([
      { type: 'ReplyEvaluated', schemaVersion: 1, data: { unitId: LEAD, round: 1, proposerId: 'dep-li', satisfaction: 'satisfied', counted: false } },
    ]);
    expect(story.when('EvaluateReply', { satisfaction: 'satisfied' }, proposer('dep-tan', '2025-05-26 09:00')).types()).toEqual(['ReplyEvaluated', 'DeadlineMet']);
  });

  it('counts only the lead proposer where the rule set says so', () => {
    const story = leadOnly();
    expect(story.when('EvaluateReply', { satisfaction: 'satisfied' }, proposer('dep-li', '2025-05-26 09:00')).events()[0].data).toMatchObject({ counted: false });
    expect(story.when('EvaluateReply', { satisfaction: 'satisfied' }, proposer('dep-tan', '2025-05-26 09:00')).types()).toEqual(['ReplyEvaluated', 'DeadlineMet']);
  });

  it('requires reasons when unsatisfied, overall or for attitude or result', () => {
    dispatched().when('EvaluateReply', { satisfaction: 'unsatisfied' }, proposer('dep-tan', '2025-05-26 09:00')).thenRefuses('COMMENT_REQUIRED');
    dispatched().when('EvaluateReply', { satisfaction: 'satisfied', attitude: 'unsatisfied', comment: ' ' }, proposer('dep-tan', '2025-05-26 09:00')).thenRefuses('COMMENT_REQUIRED');
  });

  it('is a no-op when the same rating is repeated, and refuses a changed one', () => {
    const story = rated();
    story.when('EvaluateReply', { satisfaction: 'satisfied' }, proposer('dep-tan', '2025-05-27 09:00')).thenNothing();
    story.when('EvaluateReply', { satisfaction: 'basically-satisfied' }, proposer('dep-tan', '2025-05-27 09:00')).thenRefuses('ALREADY_EVALUATED');
  });

  it('refuses before dispatch, a bad value, and a caller not named on the item', () => {
    signed().when('EvaluateReply', { satisfaction: 'satisfied' }, proposer('dep-tan', '2025-05-21 12:00')).thenRefuses('REPLY_NOT_DISPATCHED');
    dispatched().when('EvaluateReply', { satisfaction: 'great' as never }, proposer('dep-tan', '2025-05-26 09:00')).thenRefuses('VALIDATION_FAILED');
    dispatched().when('EvaluateReply', { satisfaction: 'satisfied' }, { ...proposer('dep-x', '2025-05-26 09:00'), policy: false }).thenRefuses('VALIDATION_FAILED');
  });

  it('asks which unit when the item has several replies', () => {
    const story = separateDispatched();
    story.when('EvaluateReply', { satisfaction: 'satisfied' }, proposer('dep-tan', '2025-05-26 09:00')).thenRefuses('UNIT_REQUIRED');
    expect(story.when('EvaluateReply', { unitId: 'u-b', satisfaction: 'satisfied' }, proposer('dep-tan', '2025-05-26 09:00')).events()[0].data).toMatchObject({ unitId: 'u-b' });
  });
});

describe('OrderRehandling (重新办理)', () => {
  it('opens a new round for the unsatisfied reply with its own deadline', () => {
    const story = rated('unsatisfied');
    const events = story.when('OrderRehandling', { reason: '代表不满意，重新办理' }, office('2025-05-28 09:00')).events();
    expect(events.map((e) => e.type)).toEqual(['RehandlingOrdered', 'DeadlineSet']);
    expect(events[0].data).toEqual({ round: 2, unitIds: [LEAD], reason: '代表不满意，重新办理' });
    expect(events[1].data).toMatchObject({ deadlineId: 'rehandling-reply:u-edu:1', kind: 'rehandling-reply', dueDate: '2025-07-28' });
    story.record(events, office('2025-05-28 09:00'));
    expect(story.state.status).toBe('rehandling');
    expect((story.state as unknown as RepliedProposal).handling.tracks[LEAD]).toMatchObject({ round: 2, stage: 'handling', evaluations: [] });
  });

  it('lets the unit reply again and the proposers rate the new round', () => {
    const story = rated('unsatisfied');
    story.run('OrderRehandling', { reason: 'r' }, office('2025-05-28 09:00'));
    story.run('DraftReply', { ...DRAFT, body: '再次答复' }, handler(LEAD, '2025-06-20 09:00'));
    story.run('SignReply', { unitId: LEAD }, { actor: actors.signer(LEAD), now: sh('2025-06-20 10:00') });
    const dispatchedAgain = story.when('DispatchReply', { unitId: LEAD }, handler(LEAD, '2025-06-21 10:00')).events();
    expect(dispatchedAgain.find((e) => e.type === 'DeadlineMet')?.data).toMatchObject({ deadlineId: 'rehandling-reply:u-edu:1', onTime: true });
    story.record(dispatchedAgain, handler(LEAD, '2025-06-21 10:00'));
    expect(story.state.status).toBe('replied');
    expect(story.when('EvaluateReply', { satisfaction: 'satisfied' }, proposer('dep-tan', '2025-06-23 09:00')).events()[0].data).toMatchObject({ round: 2 });
  });

  it('reopens only the units named, when the office names them', () => {
    const story = separateDispatched();
    for (const unit of ['u-a', 'u-b']) {
      story.run('EvaluateReply', { unitId: unit, satisfaction: 'unsatisfied', comment: '不满意' }, proposer('dep-tan', '2025-05-26 09:00'));
    }
    expect(story.when('OrderRehandling', { reason: 'r', unitIds: ['u-b'] }, office('2025-05-28 09:00')).events()[0].data).toEqual({ round: 2, unitIds: ['u-b'], reason: 'r' });
  });

  it('cancels a still-open evaluation window of the reopened reply', () => {
    const story = dispatched('cq-every-proposer');
    story.run('EvaluateReply', { satisfaction: 'unsatisfied', comment: '不满意' }, proposer('dep-tan', '2025-05-26 09:00'));
    expect(story.when('OrderRehandling', { reason: 'r' }, office('2025-05-28 09:00')).types()).toEqual(['RehandlingOrdered', 'DeadlineCancelled', 'DeadlineSet']);
  });

  it('refuses when nothing was rated unsatisfied, and a unit that was not', () => {
    rated().when('OrderRehandling', { reason: 'r' }, office('2025-05-28 09:00')).thenRefuses('NOT_UNSATISFIED');
    rated().when('OrderRehandling', { reason: 'r', unitIds: [LEAD] }, office('2025-05-28 09:00')).thenRefuses('NOT_UNSATISFIED');
    rated('unsatisfied').when('OrderRehandling', { reason: '' }, office('2025-05-28 09:00')).thenRefuses('VALIDATION_FAILED');
  });

  it('refuses a repeat: the new round has no rating yet', () => {
    const story = rated('unsatisfied');
    story.run('OrderRehandling', { reason: 'r' }, office('2025-05-28 09:00'));
    story.when('OrderRehandling', { reason: 'r' }, office('2025-05-28 10:00')).thenRefuses('NOT_UNSATISFIED');
  });
});

describe('ExtendDeadline', () => {
  /** Shanghai 第十九条: an extension needs the consent of the 代表工作机构 (its refusal is in rule-texts.unit.spec.ts). */
  const CONSENT = { consentedBy: '市人大常委会代表工作机构' };
  const shAssigned = () => {
    const story = accepted();
    story.run('AssignProposal', { mode: 'lead-with-co', leadUnits: [LEAD], ruleSet: 'sh-npc-2015' }, office('2025-03-10 10:00'));
    return story;
  };

  it('moves the reply deadline by months, recomputing warning and escalation', () => {
    const [e] = shAssigned().when('ExtendDeadline', { months: 2, reason: '涉及面广', ...CONSENT }, office('2025-05-20 09:00')).events();
    expect(e).toMatchObject({
      type: 'DeadlineExtended',
      data: { deadlineId: 'reply:u-edu:1', previousDueDate: '2025-06-10', dueDate: '2025-08-11', dueAt: '2025-08-11T16:00:00.000Z', reason: '涉及面广' },
    });
  });

  it('moves it to a given date, rolling a rest day to the next working day', () => {
    const [e] = shAssigned().when('ExtendDeadline', { until: '2025-08-09', reason: 'r', ...CONSENT }, office('2025-05-20 09:00')).events();
    expect(e.data).toMatchObject({ dueDate: '2025-08-11' });
  });

  it('refuses more than the rule set allows (Shanghai: 3 months beyond the original due date)', () => {
    const error = shAssigned().when('ExtendDeadline', { months: 4, reason: 'r', ...CONSENT }, office('2025-05-20 09:00')).thenRefuses('EXTENSION_EXCEEDS_LIMIT');
    expect(error.details).toEqual({ latest: '2025-09-10' });
    const story = shAssigned();
    story.run('ExtendDeadline', { months: 2, reason: 'r', ...CONSENT }, office('2025-05-20 09:00'));
    story.when('ExtendDeadline', { months: 2, reason: 'r', ...CONSENT }, office('2025-05-21 09:00')).thenRefuses('EXTENSION_EXCEEDS_LIMIT');
    expect(story.when('ExtendDeadline', { until: '2025-09-10', reason: 'r', ...CONSENT }, office('2025-05-21 09:00')).types()).toEqual(['DeadlineExtended']);
  });

  it('refuses where the rule set provides no extension (Chongqing)', () => {
    assigned().when('ExtendDeadline', { months: 1, reason: 'r' }, office('2025-05-20 09:00')).thenRefuses('EXTENSION_NOT_ALLOWED');
  });

  it.each`
    data                                             | code
    ${{ reason: 'r' }}                               | ${'VALIDATION_FAILED'}
    ${{ months: 1, until: '2025-08-01', reason: 'r' }} | ${'VALIDATION_FAILED'}
    ${{ months: 0, reason: 'r' }}                    | ${'VALIDATION_FAILED'}
    ${{ until: '2025-06-01', reason: 'r' }}          | ${'VALIDATION_FAILED'}
    ${{ until: 'soon', reason: 'r' }}                | ${'VALIDATION_FAILED'}
    ${{ months: 1, reason: '' }}                     | ${'VALIDATION_FAILED'}
  `('refuses $data with $code', ({ data, code }) => {
    shAssigned().when('ExtendDeadline', data, office('2025-05-20 09:00')).thenRefuses(code);
  });

  it('refuses when no reply deadline is open', () => {
    const story = shAssigned();
    story.run('MarkDeadlineBreached', { deadlineId: 'reply:u-edu:1' }, system('2025-06-11 00:00', '2025-06-11 00:00'));
    story.when('ExtendDeadline', { months: 1, reason: 'r' }, office('2025-06-12 09:00')).thenRefuses('DEADLINE_NOT_OPEN');
  });

  it('asks which unit when several reply deadlines are open', () => {
    const story = accepted();
    story.run('AssignProposal', { mode: 'separate', leadUnits: ['u-a', 'u-b'], ruleSet: 'sh-npc-2015' }, office('2025-03-10 10:00'));
    story.when('ExtendDeadline', { months: 1, reason: 'r', ...CONSENT }, office('2025-05-20 09:00')).thenRefuses('UNIT_REQUIRED');
    expect(story.when('ExtendDeadline', { unitId: 'u-b', months: 1, reason: 'r', ...CONSENT }, office('2025-05-20 09:00')).events()[0].data).toMatchObject({ deadlineId: 'reply:u-b:1' });
  });
});

describe('FulfilCommitment (跟踪落实)', () => {
  it('records the fulfilment and meets the commitment deadline, even after closure', () => {
    const story = rated();
    story.run('CloseProposal', {}, office('2025-05-27 09:00'));
    expect(story.when('FulfilCommitment', { commitmentId: 'u-edu-r1-c1', note: '已建成22个' }, handler(LEAD, '2025-11-01 09:00')).events()).toEqual([
      { type: 'CommitmentFulfilled', schemaVersion: 1, data: { commitmentId: 'u-edu-r1-c1', unitId: LEAD, note: '已建成22个' } },
      { type: 'DeadlineMet', schemaVersion: 1, data: { deadlineId: 'commitment:u-edu:1', metAt: sh('2025-11-01 09:00'), onTime: true } },
      // Chongqing 第二十八条: the deputy's twenty working days to return the receipt of the report.
      expect.objectContaining({ type: 'DeadlineSet', data: expect.objectContaining({ kind: 'commitment-receipt', commitmentId: 'u-edu-r1-c1', dueDate: '2025-11-28' }) }),
    ]);
  });

  it('is a no-op when repeated; refuses an unknown commitment and an empty note', () => {
    const story = dispatched();
    story.run('FulfilCommitment', { commitmentId: 'u-edu-r1-c1', note: 'done' }, handler(LEAD, '2025-06-01 09:00'));
    story.when('FulfilCommitment', { commitmentId: 'u-edu-r1-c1', note: 'done' }, handler(LEAD, '2025-06-02 09:00')).thenNothing();
    dispatched().when('FulfilCommitment', { commitmentId: 'nope', note: 'done' }, handler(LEAD, '2025-06-01 09:00')).thenRefuses('COMMITMENT_NOT_FOUND');
    dispatched().when('FulfilCommitment', { commitmentId: 'u-edu-r1-c1', note: '' }, handler(LEAD, '2025-06-01 09:00')).thenRefuses('VALIDATION_FAILED');
  });
});

describe('UrgeUnit (催办)', () => {
  const supervisor = (now: string): When => ({ actor: actors.supervisor('u-gov-office'), now: sh(now) });

  it('records each urging notice', () => {
    const story = assigned();
    expect(story.when('UrgeUnit', { unitId: LEAD, message: '请加快办理' }, supervisor('2025-05-01 09:00')).events()).toEqual([
      { type: 'Urged', schemaVersion: 1, data: { urgeId: 'urge-1', unitId: LEAD, message: '请加快办理' } },
    ]);
    story.run('UrgeUnit', { message: '请各单位加快办理' }, supervisor('2025-05-01 09:00'));
    expect(story.when('UrgeUnit', { message: '再次催办' }, supervisor('2025-05-08 09:00')).events()[0].data).toMatchObject({ urgeId: 'urge-2' });
  });

  it('refuses an empty message, an unassigned unit, and an item not under handling', () => {
    assigned().when('UrgeUnit', { message: '' }, supervisor('2025-05-01 09:00')).thenRefuses('VALIDATION_FAILED');
    assigned().when('UrgeUnit', { unitId: 'u-x', message: 'm' }, supervisor('2025-05-01 09:00')).thenRefuses('UNIT_NOT_ASSIGNED');
    accepted().when('UrgeUnit', { message: 'm' }, supervisor('2025-05-01 09:00')).thenRefuses('INVALID_TRANSITION');
  });
});

describe('CloseProposal (办结)', () => {
  it('closes a rated item; commitments stay open for follow-up', () => {
    const story = rated();
    const events = story.when('CloseProposal', {}, office('2025-05-27 09:00')).events();
    // What never happened in this story ends with the item: the units never signed for it, nobody recorded a contact.
    expect(events.map((e) => `${e.type} ${'deadlineId' in e.data ? e.data.deadlineId : ''}`.trim())).toEqual([
      'ProposalClosed',
      'DeadlineCancelled adjustment-window:u-edu:1',
      'DeadlineCancelled adjustment-window:u-health:1',
      'DeadlineCancelled adjustment-window:u-civil:1',
      'DeadlineCancelled first-contact:u-edu:1',
    ]);
    story.run('CloseProposal', {}, office('2025-05-27 09:00'));
    expect(story.state.status).toBe('closed');
    expect(deadlines(story)['commitment:u-edu:1'].state).toBe('open');
  });

  it('Chongqing: closes once the lead deputy has rated, without waiting for the co-signer', () => {
    const story = dispatched();
    story.run('EvaluateReply', { satisfaction: 'satisfied' }, proposer('dep-tan', '2025-05-26 09:00'));
    expect(story.when('CloseProposal', {}, office('2025-05-27 09:00')).events()[0].type).toBe('ProposalClosed');
  });

  it('refuses while ratings are awaited within the evaluation window, and closes once it has passed', () => {
    const story = dispatched('cq-every-proposer');
    story.run('EvaluateReply', { satisfaction: 'satisfied' }, proposer('dep-tan', '2025-05-26 09:00'));
    story.when('CloseProposal', {}, office('2025-05-27 09:00')).thenRefuses('EVALUATION_PENDING');
    // The 20-working-day window from 2025-05-22 ends on 2025-06-20.
    expect(deadlines(story)['evaluation:u-edu:1'].dueDate).toBe('2025-06-20');
    const closing = story.when('CloseProposal', {}, office('2025-06-21 09:00')).events();
    expect(closing[0].type).toBe('ProposalClosed');
    // The unanswered evaluation window is cancelled with the rest: the item leaves the satisfaction figures.
    expect(closing.map((e) => ('deadlineId' in e.data ? e.data.deadlineId : undefined))).toContain('evaluation:u-edu:1');
  });

  it('is a no-op when repeated; refuses an item still being handled', () => {
    const story = rated();
    story.run('CloseProposal', {}, office('2025-05-27 09:00'));
    story.when('CloseProposal', {}, office('2025-05-28 09:00')).thenNothing();
    signed().when('CloseProposal', {}, office('2025-05-21 12:00')).thenRefuses('INVALID_TRANSITION');
  });
});

describe('PublishReply (公开)', () => {
  it('publishes a dispatched reply marked for disclosure, recording the public text', () => {
    expect(dispatched().when('PublishReply', { unitId: LEAD }, office('2025-05-23 09:00')).events()).toEqual([
      { type: 'ReplyPublished', schemaVersion: 2, data: { unitId: LEAD, round: 1, publicText: DRAFT.body, edited: false, redactions: 0 } },
    ]);
  });

  it('publishes the body with its contact details redacted; the contact fields are never part of it', () => {
    const story = signedWith('现将办理情况答复如下。如有疑问，请联系：经办人：张三，Tel 023 6386 2000，或 zhang.san@edu.gov.cn。');
    story.run('DispatchReply', { unitId: LEAD }, handler(LEAD, '2025-05-22 10:00'));
    const [published] = story.when('PublishReply', { unitId: LEAD }, office('2025-05-23 09:00')).events();
    expect(published.data).toEqual({
      unitId: LEAD,
      round: 1,
      publicText: '现将办理情况答复如下。如有疑问，请联系：经办人：[已删除]，Tel [已删除]，或 [已删除]。',
      edited: false,
      redactions: 3,
    });
    expect(JSON.stringify(published)).not.toContain(DRAFT.contactPhone);
  });

  it('publishes the office’s own public text, redacted too; a correction is recorded again, a repeat is not', () => {
    const story = dispatched();
    const [first] = story.run('PublishReply', { unitId: LEAD, publicText: '答复摘要：已建成辅导站。联系人：王老师 13812345678' }, office('2025-05-23 09:00'));
    expect(first.data).toEqual({ unitId: LEAD, round: 1, publicText: '答复摘要：已建成辅导站。联系人：[已删除] [已删除]', edited: true, redactions: 2 });
    story.when('PublishReply', { unitId: LEAD, publicText: '答复摘要：已建成辅导站。联系人：王老师 13812345678' }, office('2025-05-23 10:00')).thenNothing();
    story.when('PublishReply', { unitId: LEAD }, office('2025-05-23 10:00')).thenNothing();
    const [corrected] = story.run('PublishReply', { unitId: LEAD, publicText: '答复摘要：已建成辅导站20个。' }, office('2025-05-24 09:00'));
    expect(corrected.data).toMatchObject({ publicText: '答复摘要：已建成辅导站20个。', edited: true, redactions: 0 });
    expect(handlingOf(story.state)!.tracks[LEAD]).toMatchObject({ published: true, publicText: '答复摘要：已建成辅导站20个。' });
    dispatched().when('PublishReply', { unitId: LEAD, publicText: '  ' }, office('2025-05-23 09:00')).thenRefuses('VALIDATION_FAILED');
  });

  it('is a no-op when repeated; refuses an undispatched or undisclosable reply', () => {
    const story = dispatched();
    story.run('PublishReply', { unitId: LEAD }, office('2025-05-23 09:00'));
    story.when('PublishReply', { unitId: LEAD }, office('2025-05-24 09:00')).thenNothing();
    signed().when('PublishReply', { unitId: LEAD }, office('2025-05-21 12:00')).thenRefuses('REPLY_NOT_DISPATCHED');
    const hidden = assigned();
    hidden.run('SubmitCoOpinion', { unitId: 'u-health', content: 'c' }, handler('u-health', '2025-04-01 10:00'));
    hidden.run('SubmitCoOpinion', { unitId: 'u-civil', content: 'c' }, handler('u-civil', '2025-04-01 10:00'));
    hidden.run('DraftReply', { ...DRAFT, disclose: false }, handler(LEAD, '2025-05-20 10:00'));
    hidden.run('SignReply', { unitId: LEAD }, { actor: actors.signer(LEAD), now: sh('2025-05-20 11:00') });
    hidden.run('DispatchReply', { unitId: LEAD }, handler(LEAD, '2025-05-21 10:00'));
    hidden.when('PublishReply', { unitId: LEAD }, office('2025-05-23 09:00')).thenRefuses('NOT_DISCLOSABLE');
    accepted().when('PublishReply', { unitId: LEAD }, office('2025-05-23 09:00')).thenRefuses('INVALID_TRANSITION');
  });
});

describe('the clock: MarkDeadlineApproaching, MarkDeadlineBreached, EscalateDeadline', () => {
  // reply:u-edu:1 is due 2025-06-10; it warns from 2025-06-04 00:00 and escalates at the breach and 10 working days later.
  it('marks a deadline approaching from its warning instant, once', () => {
    const story = assigned();
    story.when('MarkDeadlineApproaching', { deadlineId: 'reply:u-edu:1' }, system('2025-06-03 23:59')).thenRefuses('DEADLINE_NOT_DUE');
    expect(story.when('MarkDeadlineApproaching', { deadlineId: 'reply:u-edu:1' }, system('2025-06-04 00:00')).events()).toEqual([
      { type: 'DeadlineApproaching', schemaVersion: 1, data: { deadlineId: 'reply:u-edu:1', dueAt: '2025-06-10T16:00:00.000Z' } },
    ]);
    story.run('MarkDeadlineApproaching', { deadlineId: 'reply:u-edu:1' }, system('2025-06-04 00:00'));
    story.when('MarkDeadlineApproaching', { deadlineId: 'reply:u-edu:1' }, system('2025-06-04 00:01')).thenNothing();
  });

  it('breaches a deadline at 24:00 of its last day, once, and never a met one', () => {
    const story = assigned();
    story.when('MarkDeadlineBreached', { deadlineId: 'reply:u-edu:1' }, system('2025-06-10 23:59')).thenRefuses('DEADLINE_NOT_DUE');
    story.run('MarkDeadlineBreached', { deadlineId: 'reply:u-edu:1' }, system('2025-06-11 00:00'));
    expect(deadlines(story)['reply:u-edu:1']).toMatchObject({ state: 'breached', breachedAt: '2025-06-10T16:00:00.000Z' });
    story.when('MarkDeadlineBreached', { deadlineId: 'reply:u-edu:1' }, system('2025-06-11 00:01')).thenNothing();
    dispatched().when('MarkDeadlineBreached', { deadlineId: 'reply:u-edu:1' }, system('2025-06-11 00:00')).thenNothing();
  });

  it('records a breach at the instant it fell due even when the scheduler runs late, without blocking back-dated steps', () => {
    const story = assigned();
    story.run('MarkDeadlineBreached', { deadlineId: 'reply:u-edu:1' }, system('2025-09-01 09:00', '2025-06-11 00:00'));
    // A handler may still enter the paper contact of April: the breach is bookkeeping, not a step.
    const events = story
      .when('RecordContact', { unitId: LEAD, stage: 'during', channel: 'phone', summary: '电话沟通' }, { ...handler(LEAD, '2025-09-01 10:00'), occurredAt: sh('2025-04-08 10:00') })
      .events();
    expect(events.map((e) => e.type)).toEqual(['ProposerContacted', 'DeadlineMet']);
    expect(events[1].data).toMatchObject({ deadlineId: 'first-contact:u-edu:1', onTime: true });
  });

  it('escalates rung by rung after a breach, each rung once', () => {
    const story = assigned();
    story.when('EscalateDeadline', { deadlineId: 'reply:u-edu:1', rung: 1 }, system('2025-06-11 00:00')).thenRefuses('INVALID_TRANSITION');
    story.run('MarkDeadlineBreached', { deadlineId: 'reply:u-edu:1' }, system('2025-06-11 00:00'));
    expect(story.when('EscalateDeadline', { deadlineId: 'reply:u-edu:1', rung: 1 }, system('2025-06-11 00:00')).events()).toEqual([
      { type: 'Escalated', schemaVersion: 1, data: { deadlineId: 'reply:u-edu:1', rung: 1, to: 'supervising-units', recipients: ['u-gov-office'] } },
    ]);
    story.run('EscalateDeadline', { deadlineId: 'reply:u-edu:1', rung: 1 }, system('2025-06-11 00:00'));
    story.when('EscalateDeadline', { deadlineId: 'reply:u-edu:1', rung: 1 }, system('2025-06-12 00:00')).thenNothing();
    story.when('EscalateDeadline', { deadlineId: 'reply:u-edu:1', rung: 2 }, system('2025-06-24 23:59')).thenRefuses('DEADLINE_NOT_DUE');
    expect(story.when('EscalateDeadline', { deadlineId: 'reply:u-edu:1', rung: 2 }, system('2025-06-25 00:00')).events()[0].data).toMatchObject({
      to: 'leading-official',
      recipients: ['王副市长'],
    });
    story.when('EscalateDeadline', { deadlineId: 'reply:u-edu:1', rung: 3 }, system('2025-06-25 00:00')).thenRefuses('ESCALATION_RUNG_NOT_FOUND');
  });

  it('refuses an unknown deadline', () => {
    assigned().when('MarkDeadlineBreached', { deadlineId: 'reply:u-x:1' }, system('2025-06-11 00:00')).thenRefuses('DEADLINE_NOT_FOUND');
  });

  it('a deadline met after its breach keeps the breach on record', () => {
    const story = signed();
    story.run('MarkDeadlineBreached', { deadlineId: 'reply:u-edu:1' }, system('2025-06-11 00:00'));
    story.run('DispatchReply', { unitId: LEAD }, handler(LEAD, '2025-06-12 10:00'));
    expect(deadlines(story)['reply:u-edu:1']).toMatchObject({ state: 'met', onTime: false, breachedAt: '2025-06-10T16:00:00.000Z' });
  });

  it('a step dated at the very instant the breach was recorded (the due instant) is back-dated: met late', () => {
    const story = signed();
    story.run('MarkDeadlineBreached', { deadlineId: 'reply:u-edu:1' }, system('2025-06-11 00:00'));
    story.run('DispatchReply', { unitId: LEAD }, { actor: actors.handler(LEAD), now: sh('2025-06-12 10:00'), occurredAt: sh('2025-06-11 00:00') });
    expect(deadlines(story)['reply:u-edu:1']).toMatchObject({ state: 'met', onTime: false, metAt: '2025-06-10T16:00:00.000Z', dueAt: '2025-06-10T16:00:00.000Z' });
  });
});

describe('ratings in the satisfaction figures', () => {
  const inFigures = (story: Story) => {
    const state = story.state as ExistingProposal;
    const handling = handlingOf(state)!;
    return ratingsInFigures(state, handling, handling.tracks[LEAD]!).map((e) => e.proposerId);
  };

  it('Chongqing (第二十九条): a rating after the evaluation window is left out; one within it counts', () => {
    // Dispatched 2025-05-22: the 20-working-day window ends on 2025-06-20.
    const onTime = dispatched();
    onTime.run('EvaluateReply', { satisfaction: 'satisfied' }, proposer('dep-tan', '2025-06-20 16:00'));
    expect(inFigures(onTime)).toEqual(['dep-tan']);
    const late = dispatched();
    late.run('EvaluateReply', { satisfaction: 'unsatisfied', comment: '迟到的回执' }, proposer('dep-tan', '2025-06-23 09:00'));
    expect(inFigures(late)).toEqual([]);
  });

  it('where the rule set says nothing of late feedback, a late rating counts', () => {
    const late = dispatched('cq-every-proposer');
    late.run('EvaluateReply', { satisfaction: 'satisfied' }, proposer('dep-tan', '2025-06-23 09:00'));
    expect(inFigures(late)).toEqual(['dep-tan']);
  });
});
