import { parseRuleSet } from '../rule-sets/rule-set';
import { actors, catalogWith, sh, Story } from '../testing/decider-spec';
import { accepted, assigned, CO, DRAFT, drafted, dispatched, ITEM, LEAD, signed, withCoOpinions } from '../testing/lifecycle.fixture';
import shNpc2015 from '../rule-sets/data/sh-npc-2015.json';
import { decisionWarnings } from './command-warnings';
import type { AssignedProposal } from './proposal.state';

const at = (actor: ReturnType<typeof actors.handler>, now: string, extra: object = {}) => ({ actor, now: sh(now), ...extra });
const handling = (state: unknown) => (state as AssignedProposal).handling;

describe('RecordContact', () => {
  const contact = { unitId: LEAD, stage: 'before' as const, channel: 'meeting' as const, summary: '登门走访谭理代表，听取意见' };

  it('records the contact and meets the first-contact deadline', () => {
    expect(assigned().when('RecordContact', contact, at(actors.handler(LEAD), '2025-03-20 15:00')).events()).toEqual([
      { type: 'ProposerContacted', schemaVersion: 1, data: contact },
      { type: 'DeadlineMet', schemaVersion: 1, data: { deadlineId: 'first-contact:u-edu:1', metAt: sh('2025-03-20 15:00'), onTime: true } },
    ]);
  });

  it('records each later contact as its own, meeting nothing twice', () => {
    const story = assigned();
    story.run('RecordContact', contact, at(actors.handler(LEAD), '2025-03-20 15:00'));
    expect(story.when('RecordContact', { ...contact, stage: 'during' }, at(actors.handler(LEAD), '2025-04-20 15:00')).types()).toEqual(['ProposerContacted']);
  });

  it('marks a late first contact as not on time', () => {
    const events = assigned().when('RecordContact', contact, at(actors.handler(LEAD), '2025-04-09 09:00')).events();
    expect(events[1].data).toMatchObject({ onTime: false });
  });

  it('accepts a back-dated contact from the handler', () => {
    const events = assigned().when('RecordContact', contact, at(actors.handler(LEAD), '2025-04-20 09:00', { occurredAt: sh('2025-03-18 15:00') })).events();
    expect(events[1].data).toMatchObject({ metAt: sh('2025-03-18 15:00'), onTime: true });
  });

  it.each`
    change                     | code
    ${{ stage: 'later' }}      | ${'VALIDATION_FAILED'}
    ${{ channel: 'letter' }}   | ${'VALIDATION_FAILED'}
    ${{ summary: '' }}         | ${'VALIDATION_FAILED'}
  `('refuses $change', ({ change, code }) => {
    assigned().when('RecordContact', { ...contact, ...change }, at(actors.handler(LEAD), '2025-03-20 15:00')).thenRefuses(code);
  });

  it('refuses a co-unit (NOT_A_LEAD_UNIT)', () => {
    assigned()
      .when('RecordContact', { ...contact, unitId: 'u-health' }, at(actors.handler('u-health'), '2025-03-20 15:00', { policy: false }))
      .thenRefuses('NOT_A_LEAD_UNIT');
  });
});

describe('SubmitCoOpinion and ReturnCoOpinion', () => {
  const opinion = { unitId: 'u-health', content: '市卫生健康委意见：加强精神卫生专业支持' };

  it('submits a co-opinion to the lead and meets the co-opinion deadline', () => {
    expect(assigned().when('SubmitCoOpinion', opinion, at(actors.handler('u-health'), '2025-04-01 10:00')).events()).toEqual([
      { type: 'CoOpinionSubmitted', schemaVersion: 1, data: { ...opinion, leadUnit: LEAD } },
      { type: 'DeadlineMet', schemaVersion: 1, data: { deadlineId: 'co-opinion:u-health:1', metAt: sh('2025-04-01 10:00'), onTime: true } },
    ]);
  });

  it('is a no-op when the same opinion is repeated; a changed one replaces it', () => {
    const story = assigned();
    story.run('SubmitCoOpinion', opinion, at(actors.handler('u-health'), '2025-04-01 10:00'));
    story.when('SubmitCoOpinion', opinion, at(actors.handler('u-health'), '2025-04-02 10:00')).thenNothing();
    expect(story.when('SubmitCoOpinion', { ...opinion, content: '修订意见' }, at(actors.handler('u-health'), '2025-04-02 10:00')).types()).toEqual([
      'CoOpinionSubmitted',
    ]);
  });

  it('refuses a lead unit, or empty content', () => {
    assigned().when('SubmitCoOpinion', { ...opinion, unitId: LEAD }, at(actors.handler(LEAD), '2025-04-01 10:00', { policy: false })).thenRefuses('NOT_A_CO_UNIT');
    assigned().when('SubmitCoOpinion', { ...opinion, content: ' ' }, at(actors.handler('u-health'), '2025-04-01 10:00')).thenRefuses('VALIDATION_FAILED');
  });

  it('refuses a co-opinion once the lead reply is signed', () => {
    signed().when('SubmitCoOpinion', { ...opinion, content: '补充' }, at(actors.handler('u-health'), '2025-05-21 11:00')).thenRefuses('REPLY_ALREADY_SIGNED');
  });

  it('lets the lead return an empty opinion, with a resubmission deadline of 5 working days', () => {
    const story = assigned();
    story.run('SubmitCoOpinion', { ...opinion, content: '无意见' }, at(actors.handler('u-health'), '2025-04-01 10:00'));
    const events = story.when('ReturnCoOpinion', { unitId: 'u-health', reason: '意见空泛，请补充具体措施' }, at(actors.handler(LEAD), '2025-04-02 10:00')).events();
    expect(events.map((e) => e.type)).toEqual(['CoOpinionReturned', 'DeadlineSet']);
    expect(events[1].data).toMatchObject({ deadlineId: 'co-opinion:u-health:2', kind: 'co-opinion', dueDate: '2025-04-10' }); // 04-04 is Qingming
  });

  it('refuses to return an opinion that was not submitted, and a second return', () => {
    assigned().when('ReturnCoOpinion', { unitId: 'u-health', reason: 'r' }, at(actors.handler(LEAD), '2025-04-02 10:00')).thenRefuses('CO_OPINION_NOT_SUBMITTED');
    const story = assigned();
    story.run('SubmitCoOpinion', opinion, at(actors.handler('u-health'), '2025-04-01 10:00'));
    story.run('ReturnCoOpinion', { unitId: 'u-health', reason: 'r' }, at(actors.handler(LEAD), '2025-04-02 10:00'));
    story.when('ReturnCoOpinion', { unitId: 'u-health', reason: 'r' }, at(actors.handler(LEAD), '2025-04-02 11:00')).thenRefuses('CO_OPINION_NOT_SUBMITTED');
  });

  it('refuses a return once the reply is signed', () => {
    signed().when('ReturnCoOpinion', { unitId: 'u-health', reason: 'r' }, at(actors.handler(LEAD), '2025-05-21 11:00')).thenRefuses('REPLY_ALREADY_SIGNED');
  });
});

describe('DraftReply', () => {
  it('records the draft with numbered commitments', () => {
    const [e] = withCoOpinions().when('DraftReply', DRAFT, at(actors.handler(LEAD), '2025-05-20 10:00')).events();
    const { contactPerson, contactPhone, ...rest } = DRAFT;
    expect(e).toEqual({
      type: 'ReplyDrafted',
      schemaVersion: 2,
      data: {
        ...rest,
        contact: { name: contactPerson, phone: contactPhone },
        round: 1,
        commitments: [{ commitmentId: 'u-edu-r1-c1', description: '年内建成心理辅导站20个', dueDate: '2025-12-31' }],
      },
    });
  });

  it('can be drafted while co-opinions are still outstanding', () => {
    expect(assigned().when('DraftReply', DRAFT, at(actors.handler(LEAD), '2025-05-20 10:00')).types()).toEqual(['ReplyDrafted']);
  });

  it('is replaceable until signed, and a no-op when the same draft is repeated', () => {
    drafted().when('DraftReply', DRAFT, at(actors.handler(LEAD), '2025-05-20 11:00')).thenNothing();
    expect(drafted().when('DraftReply', { ...DRAFT, resultClass: 'A' }, at(actors.handler(LEAD), '2025-05-20 11:00')).types()).toEqual(['ReplyDrafted']);
    signed().when('DraftReply', DRAFT, at(actors.handler(LEAD), '2025-05-21 11:00')).thenNothing();
    signed().when('DraftReply', { ...DRAFT, body: '改稿' }, at(actors.handler(LEAD), '2025-05-21 11:00')).thenRefuses('REPLY_ALREADY_SIGNED');
    dispatched().when('DraftReply', { ...DRAFT, body: '改稿' }, at(actors.handler(LEAD), '2025-05-23 11:00')).thenRefuses('REPLY_ALREADY_DISPATCHED');
  });

  it.each`
    change                                                         | code
    ${{ resultClass: 'E' }}                                        | ${'VALIDATION_FAILED'}
    ${{ documentNumber: '' }}                                      | ${'VALIDATION_FAILED'}
    ${{ contactPhone: undefined }}                                 | ${'VALIDATION_FAILED'}
    ${{ disclose: 'yes' }}                                         | ${'VALIDATION_FAILED'}
    ${{ cc: [''] }}                                                | ${'VALIDATION_FAILED'}
    ${{ commitments: [{ description: 'x', dueDate: '2025-13-01' }] }} | ${'VALIDATION_FAILED'}
    ${{ commitments: [{ description: '', dueDate: '2025-12-01' }] }}  | ${'VALIDATION_FAILED'}
  `('refuses $change with $code', ({ change, code }) => {
    withCoOpinions().when('DraftReply', { ...DRAFT, ...change }, at(actors.handler(LEAD), '2025-05-20 10:00')).thenRefuses(code);
  });

  it('refuses a result class the rule set does not use', () => {
    const abc = parseRuleSet({ ...shNpc2015, id: 'abc-only', resultClasses: ['A', 'B', 'C'] }, 'abc-only.json');
    const story = new Story(catalogWith(abc));
    story.events.push(...accepted().events);
    story.state = accepted().state;
    story.run('AssignProposal', { mode: 'lead-with-co', leadUnits: [LEAD], ruleSet: 'abc-only' }, { actor: actors.office, now: sh('2025-03-10 10:00') });
    story.when('DraftReply', { ...DRAFT, resultClass: 'D' }, at(actors.handler(LEAD), '2025-05-20 10:00')).thenRefuses('RESULT_CLASS_NOT_ALLOWED');
  });

  it('refuses a co-unit, and a unit whose adjustment request is pending', () => {
    assigned().when('DraftReply', { ...DRAFT, unitId: 'u-health' }, at(actors.handler('u-health'), '2025-05-20 10:00', { policy: false })).thenRefuses('NOT_A_LEAD_UNIT');
    const story = assigned();
    story.run('RequestAdjustment', { unitId: LEAD, reason: '不属于本单位' }, at(actors.handler(LEAD), '2025-03-12 10:00'));
    story.when('DraftReply', DRAFT, at(actors.handler(LEAD), '2025-03-13 10:00')).thenRefuses('ADJUSTMENT_PENDING');
  });
});

describe('SignReply', () => {
  it('records the signature of the unit’s signer', () => {
    expect(drafted().when('SignReply', { unitId: LEAD }, at(actors.signer(LEAD), '2025-05-21 10:00')).events()).toEqual([
      { type: 'ReplySigned', schemaVersion: 1, data: { unitId: LEAD, signerUnit: LEAD, signerId: `signer@${LEAD}`, signerName: `${LEAD} 签发人` } },
    ]);
  });

  it('refuses while a co-opinion is outstanding (CO_OPINIONS_PENDING, 协办未会签)', () => {
    const story = assigned();
    story.run('SubmitCoOpinion', { unitId: 'u-health', content: '意见' }, at(actors.handler('u-health'), '2025-04-01 10:00'));
    story.run('DraftReply', DRAFT, at(actors.handler(LEAD), '2025-05-20 10:00'));
    const error = story.when('SignReply', { unitId: LEAD }, at(actors.signer(LEAD), '2025-05-21 10:00')).thenRefuses('CO_OPINIONS_PENDING');
    expect(error.details).toEqual({ units: ['u-civil'] });
  });

  it('refuses while a returned co-opinion awaits resubmission', () => {
    const story = withCoOpinions();
    story.run('ReturnCoOpinion', { unitId: 'u-civil', reason: '请补充' }, at(actors.handler(LEAD), '2025-04-02 10:00'));
    story.run('DraftReply', DRAFT, at(actors.handler(LEAD), '2025-05-20 10:00'));
    story.when('SignReply', { unitId: LEAD }, at(actors.signer(LEAD), '2025-05-21 10:00')).thenRefuses('CO_OPINIONS_PENDING');
  });

  it('is a no-op when repeated', () => {
    signed().when('SignReply', { unitId: LEAD }, at(actors.signer(LEAD), '2025-05-21 11:00')).thenNothing();
  });

  it('refuses without a draft, and after dispatch', () => {
    withCoOpinions().when('SignReply', { unitId: LEAD }, at(actors.signer(LEAD), '2025-05-21 10:00')).thenRefuses('REPLY_NOT_DRAFTED');
    dispatched().when('SignReply', { unitId: LEAD }, at(actors.signer(LEAD), '2025-05-23 10:00')).thenRefuses('REPLY_ALREADY_DISPATCHED');
  });

  it('in joint mode needs every lead unit’s signature on the one reply', () => {
    const story = accepted();
    story.run('AssignProposal', { mode: 'joint', leadUnits: ['u-a', 'u-b'] }, { actor: actors.office, now: sh('2025-03-10 10:00') });
    story.run('DraftReply', { ...DRAFT, unitId: 'u-b' }, at(actors.handler('u-b'), '2025-05-20 10:00'));
    story.run('SignReply', { unitId: 'u-a' }, at(actors.signer('u-a'), '2025-05-21 10:00'));
    expect(handling(story.state).tracks['u-a']).toMatchObject({ stage: 'drafted', signatures: ['u-a'] });
    story.when('DispatchReply', { unitId: 'u-a' }, at(actors.handler('u-a'), '2025-05-21 11:00')).thenRefuses('REPLY_NOT_SIGNED');
    story.run('SignReply', { unitId: 'u-b' }, at(actors.signer('u-b'), '2025-05-21 12:00'));
    expect(handling(story.state).tracks['u-a']).toMatchObject({ stage: 'signed', signatures: ['u-a', 'u-b'] });
    story.run('DispatchReply', { unitId: 'u-b' }, at(actors.handler('u-b'), '2025-05-22 10:00'));
    expect(story.state.status).toBe('replied');
  });
});

describe('ReviewReply (督办审核)', () => {
  const supervisor = (now: string) => ({ actor: actors.supervisor('u-gov-office'), now: sh(now) });

  it('approves a signed reply, optionally changing its class', () => {
    expect(signed().when('ReviewReply', { unitId: LEAD, approved: true, resultClass: 'A' }, supervisor('2025-05-21 15:00')).events()).toEqual([
      { type: 'ReplyReviewed', schemaVersion: 1, data: { unitId: LEAD, approved: true, previousResultClass: 'B', resultClass: 'A' } },
    ]);
  });

  it('returns a reply with a comment: it goes back to draft and must be signed again', () => {
    const story = signed();
    story.run('ReviewReply', { unitId: LEAD, approved: false, comment: '答复过于笼统' }, supervisor('2025-05-21 15:00'));
    expect(handling(story.state).tracks[LEAD]).toMatchObject({ stage: 'drafted', signatures: [] });
    expect(story.when('DraftReply', { ...DRAFT, body: '补充具体措施' }, at(actors.handler(LEAD), '2025-05-22 10:00')).types()).toEqual(['ReplyDrafted']);
  });

  it('is a no-op when the same approval is repeated', () => {
    const story = signed();
    story.run('ReviewReply', { unitId: LEAD, approved: true }, supervisor('2025-05-21 15:00'));
    story.when('ReviewReply', { unitId: LEAD, approved: true }, supervisor('2025-05-21 16:00')).thenNothing();
  });

  it('refuses a return without a comment, an unsigned reply, and a dispatched one', () => {
    signed().when('ReviewReply', { unitId: LEAD, approved: false }, supervisor('2025-05-21 15:00')).thenRefuses('COMMENT_REQUIRED');
    drafted().when('ReviewReply', { unitId: LEAD, approved: true }, supervisor('2025-05-21 15:00')).thenRefuses('REPLY_NOT_SIGNED');
    dispatched().when('ReviewReply', { unitId: LEAD, approved: true }, supervisor('2025-05-23 15:00')).thenRefuses('REPLY_ALREADY_DISPATCHED');
    signed().when('ReviewReply', { unitId: LEAD, approved: 1 as never }, supervisor('2025-05-21 15:00')).thenRefuses('VALIDATION_FAILED');
  });

  it('refuses where the rule set has no review', () => {
    const none = parseRuleSet({ ...shNpc2015, id: 'no-review', review: 'none' }, 'no-review.json');
    const story = new Story(catalogWith(none));
    story.events.push(...accepted().events);
    story.state = accepted().state;
    story.run('AssignProposal', { mode: 'lead-with-co', leadUnits: [LEAD], ruleSet: 'no-review' }, { actor: actors.office, now: sh('2025-03-10 10:00') });
    story.when('ReviewReply', { unitId: LEAD, approved: true }, { actor: actors.supervisor('x'), now: sh('2025-05-21 15:00') }).thenRefuses('REVIEW_NOT_APPLICABLE');
  });
});

describe('DispatchReply', () => {
  it('dispatches to every proposer, meets the reply deadline and sets evaluation and commitment deadlines', () => {
    const events = signed().when('DispatchReply', { unitId: LEAD }, at(actors.handler(LEAD), '2025-05-22 10:00')).events();
    expect(events[0]).toEqual({
      type: 'ReplyDispatched',
      schemaVersion: 1,
      data: { unitId: LEAD, round: 1, resultClass: 'B', recipients: ITEM.proposers.map((p) => p.id) },
    });
    expect(events.slice(1).map((e) => [e.type, (e.data as { deadlineId: string }).deadlineId])).toEqual([
      ['DeadlineMet', 'reply:u-edu:1'],
      ['DeadlineSet', 'evaluation:u-edu:1'],
      ['DeadlineSet', 'commitment:u-edu:1'],
    ]);
    expect(events[1].data).toMatchObject({ onTime: true });
    expect(events[3].data).toMatchObject({ commitmentId: 'u-edu-r1-c1', dueDate: '2025-12-31' });
  });

  describe('back-dated past a breach the system had recorded', () => {
    // reply:u-edu:1 was due 2025-06-10; the scheduler recorded its breach at 24:00. Forty days later the
    // handler enters a dispatch dated 2025-06-05.
    const breached = () => {
      const story = signed();
      story.run('MarkDeadlineBreached', { deadlineId: 'reply:u-edu:1' }, at(actors.system, '2025-06-11 00:00'));
      return story;
    };
    const lateEntry = at(actors.handler(LEAD), '2025-07-20 09:00', { occurredAt: sh('2025-06-05 10:00') });

    it('meets the deadline late: a back-dated step does not undo a recorded breach', () => {
      const met = breached().when('DispatchReply', { unitId: LEAD }, lateEntry).events().find((e) => e.type === 'DeadlineMet');
      expect(met?.data).toEqual({ deadlineId: 'reply:u-edu:1', metAt: sh('2025-06-05 10:00'), onTime: false });
      expect(decisionWarnings(breached().state, breached().when('DispatchReply', { unitId: LEAD }, lateEntry).events())).toEqual([
        expect.objectContaining({ code: 'BACKDATED_BEFORE_RECORDED_BREACH', deadlineIds: ['reply:u-edu:1'] }),
      ]);
    });

    it('still counts a back-dated step on time when no breach had been recorded yet', () => {
      const met = signed().when('DispatchReply', { unitId: LEAD }, lateEntry).events().find((e) => e.type === 'DeadlineMet');
      expect(met?.data).toMatchObject({ onTime: true });
    });

    it('lets the office confirm it on time with what it saw, once; nothing else can be confirmed so', () => {
      const story = breached();
      story.run('DispatchReply', { unitId: LEAD }, lateEntry);
      const office = at(actors.office, '2025-07-21 09:00');
      story.when('ConfirmDeadlineMetOnTime', { deadlineId: 'reply:u-edu:1', reason: '' }, office).thenRefuses('VALIDATION_FAILED');
      story.when('ConfirmDeadlineMetOnTime', { deadlineId: 'reply:u-edu:1', reason: '发文登记簿' }, at(actors.handler(LEAD), '2025-07-21 09:00')).thenRefuses('FORBIDDEN');
      expect(story.run('ConfirmDeadlineMetOnTime', { deadlineId: 'reply:u-edu:1', reason: '纸质发文登记簿：2025-06-05 发出' }, office)).toEqual([
        { type: 'DeadlineMetOnTimeConfirmed', schemaVersion: 1, data: { deadlineId: 'reply:u-edu:1', reason: '纸质发文登记簿：2025-06-05 发出' } },
      ]);
      expect(story.state.status !== 'empty' && story.state.deadlines['reply:u-edu:1']).toMatchObject({ state: 'met', onTime: true, onTimeConfirmation: '纸质发文登记簿：2025-06-05 发出' });
      story.when('ConfirmDeadlineMetOnTime', { deadlineId: 'reply:u-edu:1', reason: '再次' }, office).thenNothing();
      // A deadline met late in fact, or met on time anyway, or not met at all, is not for confirming.
      const late = breached();
      late.run('DispatchReply', { unitId: LEAD }, at(actors.handler(LEAD), '2025-06-12 09:00'));
      late.when('ConfirmDeadlineMetOnTime', { deadlineId: 'reply:u-edu:1', reason: 'r' }, office).thenRefuses('NOT_CONFIRMABLE');
      dispatched().when('ConfirmDeadlineMetOnTime', { deadlineId: 'reply:u-edu:1', reason: 'r' }, office).thenRefuses('NOT_CONFIRMABLE');
      breached().when('ConfirmDeadlineMetOnTime', { deadlineId: 'reply:u-edu:1', reason: 'r' }, office).thenRefuses('NOT_CONFIRMABLE');
      breached().when('ConfirmDeadlineMetOnTime', { deadlineId: 'reply:u-x:1', reason: 'r' }, office).thenRefuses('DEADLINE_NOT_FOUND');
    });
  });

  it('moves the item to replied once every replying unit has dispatched', () => {
    expect(dispatched().state.status).toBe('replied');
    const story = accepted();
    story.run('AssignProposal', { mode: 'separate', leadUnits: ['u-a', 'u-b'] }, { actor: actors.office, now: sh('2025-03-10 10:00') });
    for (const unit of ['u-a', 'u-b']) {
      story.run('DraftReply', { ...DRAFT, unitId: unit }, at(actors.handler(unit), '2025-05-20 10:00'));
      story.run('SignReply', { unitId: unit }, at(actors.signer(unit), '2025-05-20 11:00'));
    }
    story.run('DispatchReply', { unitId: 'u-a' }, at(actors.handler('u-a'), '2025-05-21 10:00'));
    expect(story.state.status).toBe('assigned');
    story.run('DispatchReply', { unitId: 'u-b' }, at(actors.handler('u-b'), '2025-05-21 10:00'));
    expect(story.state.status).toBe('replied');
  });

  it('records a late reply as met late', () => {
    const events = signed().when('DispatchReply', { unitId: LEAD }, at(actors.handler(LEAD), '2025-06-11 10:00')).events();
    expect(events[1].data).toMatchObject({ deadlineId: 'reply:u-edu:1', onTime: false });
  });

  it('is a no-op when repeated', () => {
    dispatched().when('DispatchReply', { unitId: LEAD }, at(actors.handler(LEAD), '2025-05-23 10:00')).thenNothing();
  });

  it('refuses an unsigned reply, and an unreviewed one where review is required', () => {
    drafted().when('DispatchReply', { unitId: LEAD }, at(actors.handler(LEAD), '2025-05-21 10:00')).thenRefuses('REPLY_NOT_SIGNED');
    const required = parseRuleSet({ ...shNpc2015, id: 'reviewed', review: 'required' }, 'reviewed.json');
    const story = new Story(catalogWith(required));
    story.events.push(...accepted().events);
    story.state = accepted().state;
    story.run('AssignProposal', { mode: 'lead-with-co', leadUnits: [LEAD], ruleSet: 'reviewed' }, { actor: actors.office, now: sh('2025-03-10 10:00') });
    story.run('DraftReply', DRAFT, at(actors.handler(LEAD), '2025-05-20 10:00'));
    story.run('SignReply', { unitId: LEAD }, at(actors.signer(LEAD), '2025-05-20 11:00'));
    story.when('DispatchReply', { unitId: LEAD }, at(actors.handler(LEAD), '2025-05-21 10:00')).thenRefuses('REVIEW_REQUIRED');
  });

  it('refuses a unit that does not reply on the item', () => {
    signed().when('DispatchReply', { unitId: CO[0] }, at(actors.handler(CO[0]), '2025-05-22 10:00', { policy: false })).thenRefuses('NOT_A_LEAD_UNIT');
  });
});
