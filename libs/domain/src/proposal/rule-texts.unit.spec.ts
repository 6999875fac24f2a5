import cqNpc2017 from '../rule-sets/data/cq-npc-2017.json';
import { parseRuleSet } from '../rule-sets/rule-set';
import { actors, catalogWith, sh, Story, type When } from '../testing/decider-spec';
import { accepted, assigned, CO, dispatched, LEAD } from '../testing/lifecycle.fixture';
import type { CommandDataByType } from './proposal.commands';
import type { ExistingProposal, HandlingProposal } from './proposal.state';

/* What the regulations' texts ask of an item beyond the task list: complex items, receipt, consent, who rates, commitment receipts. */

const office = (now: string): When => ({ actor: actors.office, now: sh(now) });
const handler = (unit: string, now: string): When => ({ actor: actors.handler(unit), now: sh(now) });
const proposer = (id: string, now: string): When => ({ actor: actors.proposer(id), now: sh(now) });
type Rating = CommandDataByType['EvaluateReply'];
const deadline = (story: Story, id: string) => (story.state as ExistingProposal).deadlines[id];

/** Assigned Monday 2025-03-10 under the named rule set, lead u-edu, co-units u-health and u-civil. */
const under = (ruleSet: string, extra: { complex?: boolean } = {}) => assigned({ ruleSet, ...extra });

describe('complex items (涉及面广、处理难度大)', () => {
  it.each(['cq-npc-2017', 'national-npc-2025'])('%s: assigned complex on 2025-03-10, the reply is due six months on, 2025-09-10', (ruleSet) => {
    const story = under(ruleSet, { complex: true });
    expect(story.events.find((e) => e.type === 'ProposalAssigned')!.data).toMatchObject({ complex: true });
    expect(deadline(story, `reply:${LEAD}:1`)).toMatchObject({ startDate: '2025-03-10', dueDate: '2025-09-10' });
    expect((story.state as HandlingProposal).handling.complex).toEqual({});
  });

  it('cq-npc-2017: an ordinary item is due three months on (2025-06-10); declared complex later, the same deadline moves to 2025-09-10 with the reason and the article', () => {
    const story = under('cq-npc-2017');
    expect(deadline(story, `reply:${LEAD}:1`).dueDate).toBe('2025-06-10');
    const outcome = story.when('DeclareComplex', { reason: '涉及教育、卫健、民政三部门，需统筹经费' }, office('2025-04-01 10:00'));
    expect(outcome.types()).toEqual(['ComplexityDeclared', 'DeadlineExtended']);
    expect(outcome.events()[1].data).toMatchObject({ deadlineId: `reply:${LEAD}:1`, previousDueDate: '2025-06-10', dueDate: '2025-09-10' });
    expect(String((outcome.events()[1].data as { reason: string }).reason)).toContain('第二十一条');
    story.run('DeclareComplex', { reason: '涉及教育、卫健、民政三部门，需统筹经费' }, office('2025-04-01 10:00'));
    expect(story.when('DeclareComplex', { reason: 'again' }, office('2025-04-02 10:00')).types()).toEqual([]);
  });

  it('cq-npc-2017: the text has no extension (EXTENSION_NOT_ALLOWED, pointing at the complex period); only the office declares an item complex, with a reason', () => {
    under('cq-npc-2017').when('ExtendDeadline', { months: 3, reason: '情况复杂' }, office('2025-04-01 10:00')).thenRefuses('EXTENSION_NOT_ALLOWED', /declare it complex/);
    under('cq-npc-2017').when('DeclareComplex', { reason: '复杂' }, handler(LEAD, '2025-04-01 10:00')).thenRefuses('FORBIDDEN');
    under('cq-npc-2017').when('DeclareComplex', { reason: ' ' }, office('2025-04-01 10:00')).thenRefuses('VALIDATION_FAILED');
  });

  it('a reply period already run out cannot become the complex period (DEADLINE_NOT_OPEN)', () => {
    const story = under('cq-npc-2017');
    story.run('MarkDeadlineBreached', { deadlineId: `reply:${LEAD}:1` }, { actor: actors.system, now: sh('2025-06-11 00:05') });
    story.when('DeclareComplex', { reason: '复杂' }, office('2025-06-12 10:00')).thenRefuses('DEADLINE_NOT_OPEN');
  });

  it('sh-npc-2015 (第十九条): a complex item keeps three months; the extension of up to three more needs the consent of the 代表工作机构, recorded with who gave it', () => {
    const story = under('sh-npc-2015', { complex: true });
    expect(deadline(story, `reply:${LEAD}:1`).dueDate).toBe('2025-06-10');
    story.when('ExtendDeadline', { months: 3, reason: '涉及面广' }, office('2025-05-20 10:00')).thenRefuses('CONSENT_REQUIRED');
    const consentedBy = '市人大常委会代表工作机构（沪人大代函〔2025〕12号）';
    const extended = story.when('ExtendDeadline', { months: 3, reason: '涉及面广', consentedBy }, office('2025-05-20 10:00'));
    expect(extended.events()).toEqual([expect.objectContaining({ type: 'DeadlineExtended', data: expect.objectContaining({ consentedBy, dueDate: '2025-09-10' }) })]);
    story.when('ExtendDeadline', { months: 4, reason: '涉及面广', consentedBy }, office('2025-05-20 10:00')).thenRefuses('EXTENSION_EXCEEDS_LIMIT');
  });

  it('a rule set with neither a complex period nor an extension refuses a complex item (COMPLEX_NOT_PROVIDED)', () => {
    const plain = parseRuleSet({ ...cqNpc2017, id: 'plain', complexReply: undefined, extension: undefined }, 'plain.json');
    const story = new Story(catalogWith(plain));
    story.events.push(...accepted().events);
    story.state = accepted().state;
    story.when('AssignProposal', { mode: 'lead-with-co', leadUnits: [LEAD], ruleSet: 'plain', complex: true }, office('2025-03-10 10:00')).thenRefuses('COMPLEX_NOT_PROVIDED');
  });
});

describe('receipt (收到) recorded later than assignment', () => {
  it('cq-npc-2017: first contact runs from receipt (第十八条), the adjustment window still from assignment (第十六条)', () => {
    const story = under('cq-npc-2017');
    // 20 working days from Mon 2025-03-10: … Apr 3 (18), Apr 4 清明 off, Apr 7 (19), Apr 8 (20).
    expect(deadline(story, `first-contact:${LEAD}:1`).dueDate).toBe('2025-04-08');
    const outcome = story.when('RecordReceipt', { unitId: LEAD, receivedOn: '2025-03-14' }, office('2025-03-17 09:00'));
    expect(outcome.types()).toEqual(['AssignmentReceived', 'DeadlineCancelled', 'DeadlineSet']);
    story.run('RecordReceipt', { unitId: LEAD, receivedOn: '2025-03-14' }, office('2025-03-17 09:00'));
    // 20 working days from Fri 2025-03-14: Mar 17–21 (5), 24–28 (10), 31, Apr 1–3 (14), Apr 4 off, Apr 7–11 (19), Apr 14 (20).
    expect(deadline(story, `first-contact:${LEAD}:2`)).toMatchObject({ startDate: '2025-03-14', dueDate: '2025-04-14', state: 'open' });
    expect(deadline(story, `first-contact:${LEAD}:1`)).toMatchObject({ state: 'cancelled', cancelReason: 'counted from receipt (收到) on 2025-03-14' });
    expect(deadline(story, `adjustment-window:${LEAD}:1`).state).toBe('open');
    expect((story.state as HandlingProposal).handling.units.find((u) => u.unitId === LEAD)?.receivedOn).toBe('2025-03-14');
  });

  it('sh-npc-2015: a co-unit that got the paper on Monday 2025-03-17 owes its co-opinion a month on (第十七条) and may ask to return it for seven working days (第十四条)', () => {
    const story = under('sh-npc-2015');
    story.run('RecordReceipt', { unitId: CO[0], receivedOn: '2025-03-17' }, handler(CO[0], '2025-03-17 15:00'));
    expect(deadline(story, `co-opinion:${CO[0]}:2`)).toMatchObject({ startDate: '2025-03-17', dueDate: '2025-04-17' });
    // 7 working days from Mon 2025-03-17: 18, 19, 20, 21, 24, 25, 26.
    expect(deadline(story, `adjustment-window:${CO[0]}:2`)).toMatchObject({ dueDate: '2025-03-26' });
    expect(deadline(story, `co-opinion:${CO[1]}:1`).state).toBe('open');
  });

  it('a breach already recorded stands: a receipt recorded after it re-times only the open deadlines (found by an attacker: a unit wiped its own breach)', () => {
    const story = under('cq-npc-2017');
    story.run('MarkDeadlineBreached', { deadlineId: `first-contact:${LEAD}:1` }, { actor: actors.system, now: sh('2025-04-09 00:00') });
    const outcome = story.when('RecordReceipt', { unitId: LEAD, receivedOn: '2025-04-01' }, handler(LEAD, '2025-04-10 09:00'));
    expect(outcome.types()).toEqual(['AssignmentReceived']);
    story.run('RecordReceipt', { unitId: LEAD, receivedOn: '2025-04-01' }, handler(LEAD, '2025-04-10 09:00'));
    expect(deadline(story, `first-contact:${LEAD}:1`)).toMatchObject({ state: 'breached', dueDate: '2025-04-08' });
  });

  it('a receipt is recorded once, never before assignment nor after today, for an assigned unit, by the office or that unit', () => {
    const story = under('cq-npc-2017');
    story.when('RecordReceipt', { unitId: LEAD, receivedOn: '2025-03-09' }, office('2025-03-17 09:00')).thenRefuses('VALIDATION_FAILED');
    story.when('RecordReceipt', { unitId: LEAD, receivedOn: '2025-03-18' }, office('2025-03-17 09:00')).thenRefuses('OCCURRED_IN_FUTURE');
    story.when('RecordReceipt', { unitId: LEAD, receivedOn: '2025-3-14' }, office('2025-03-17 09:00')).thenRefuses('VALIDATION_FAILED');
    story.when('RecordReceipt', { unitId: 'u-other', receivedOn: '2025-03-14' }, office('2025-03-17 09:00')).thenRefuses('UNIT_NOT_ASSIGNED');
    story.when('RecordReceipt', { unitId: LEAD, receivedOn: '2025-03-14' }, handler(CO[0], '2025-03-17 09:00')).thenRefuses('FORBIDDEN');
    expect(story.when('RecordReceipt', { unitId: LEAD, receivedOn: '2025-03-10' }, office('2025-03-17 09:00')).types()).toEqual(['AssignmentReceived']);
    story.run('RecordReceipt', { unitId: LEAD, receivedOn: '2025-03-14' }, handler(LEAD, '2025-03-17 09:00'));
    expect(story.when('RecordReceipt', { unitId: LEAD, receivedOn: '2025-03-14' }, office('2025-03-18 09:00')).types()).toEqual([]);
    story.when('RecordReceipt', { unitId: LEAD, receivedOn: '2025-03-13' }, office('2025-03-18 09:00')).thenRefuses('RECEIPT_ALREADY_RECORDED');
  });
});

describe('who rates, and how', () => {
  it('sh-npc-2015 (第二十一条): the deputy rates the attitude and the result each', () => {
    const story = dispatched('sh-npc-2015');
    story.when('EvaluateReply', { satisfaction: 'satisfied' }, proposer('dep-tan', '2025-05-26 09:00')).thenRefuses('VALIDATION_FAILED', /attitude/);
    story.when('EvaluateReply', { satisfaction: 'satisfied', attitude: 'satisfied' }, proposer('dep-tan', '2025-05-26 09:00')).thenRefuses('VALIDATION_FAILED', /result/);
    expect(story.when('EvaluateReply', { satisfaction: 'satisfied', attitude: 'satisfied', result: 'basically-satisfied' }, proposer('dep-tan', '2025-05-26 09:00')).events()[0].data).toMatchObject({ counted: true });
  });

  it('sh-npc-2015: every deputy rates (the text does not restrict it): the item closes once both have', () => {
    const story = dispatched('sh-npc-2015');
    story.run('EvaluateReply', { satisfaction: 'satisfied', attitude: 'satisfied', result: 'satisfied' }, proposer('dep-tan', '2025-05-26 09:00'));
    story.when('CloseProposal', {}, office('2025-05-27 09:00')).thenRefuses('EVALUATION_PENDING');
    story.run('EvaluateReply', { satisfaction: 'satisfied', attitude: 'satisfied', result: 'satisfied' }, proposer('dep-li', '2025-05-26 10:00'));
    expect(story.when('CloseProposal', {}, office('2025-05-27 09:00')).types()).toContain('ProposalClosed');
  });

  it('sd-npc-2017 (第二十三条): the lead rates attitude and result after consulting the co-signers; a co-signer’s rating is recorded, not counted', () => {
    const story = dispatched('sd-npc-2017');
    story.when('EvaluateReply', { satisfaction: 'satisfied' }, proposer('dep-tan', '2025-05-26 09:00')).thenRefuses('VALIDATION_FAILED', /attitude/);
    const coSigner = { satisfaction: 'unsatisfied', attitude: 'satisfied', result: 'unsatisfied', comment: '未采纳' } as const;
    expect(story.when('EvaluateReply', coSigner, proposer('dep-li', '2025-05-26 09:00')).events()[0].data).toMatchObject({ counted: false });
    story.run('EvaluateReply', { satisfaction: 'satisfied', attitude: 'satisfied', result: 'satisfied' }, proposer('dep-tan', '2025-05-26 10:00'));
    expect(story.when('CloseProposal', {}, office('2025-05-27 09:00')).types()).toContain('ProposalClosed');
  });

  it('cq-npc-2017 (第二十六条): closure after the lead deputy’s rating alone', () => {
    const story = dispatched('cq-npc-2017');
    story.when('CloseProposal', {}, office('2025-05-27 09:00')).thenRefuses('EVALUATION_PENDING');
    story.run('EvaluateReply', { satisfaction: 'basically-satisfied' }, proposer('dep-tan', '2025-05-26 10:00'));
    expect(story.when('CloseProposal', {}, office('2025-05-27 09:00')).types()).toContain('ProposalClosed');
  });
});

describe('the rating and closure rule of each NPC rule set (the lead deputy 谭理, co-signer 李明)', () => {
  // Who rates, as each text says (written here from the texts, not read from the sets): Chongqing 第二十六条 and
  // Zhejiang 第二十三条 the lead; Shandong 第二十三条 the lead after consulting the co-signers; the others do not restrict it.
  it.each`
    ruleSet                | coSignerCounts | both
    ${'cq-npc-2017'}       | ${false}       | ${false}
    ${'zj-npc-2016'}       | ${false}       | ${false}
    ${'sd-npc-2017'}       | ${false}       | ${true}
    ${'sh-npc-2015'}       | ${true}        | ${true}
    ${'bj-npc-2014'}       | ${true}        | ${false}
    ${'qd-npc-2021'}       | ${true}        | ${false}
    ${'ha-npc-2017'}       | ${true}        | ${false}
    ${'national-npc-2025'} | ${true}        | ${false}
  `('$ruleSet: a co-signer’s rating counts: $coSignerCounts; attitude and result each: $both', ({ ruleSet, coSignerCounts, both }) => {
    const rating: Rating = both ? { satisfaction: 'satisfied', attitude: 'satisfied', result: 'basically-satisfied' } : { satisfaction: 'satisfied' };
    const story = dispatched(ruleSet);
    if (both) story.when('EvaluateReply', { satisfaction: 'satisfied' }, proposer('dep-tan', '2025-05-26 09:00')).thenRefuses('VALIDATION_FAILED');
    story.run('EvaluateReply', rating, proposer('dep-tan', '2025-05-26 09:00'));
    if (coSignerCounts) {
      story.when('CloseProposal', {}, office('2025-05-27 09:00')).thenRefuses('EVALUATION_PENDING');
    } else {
      expect(story.when('CloseProposal', {}, office('2025-05-27 09:00')).types()).toContain('ProposalClosed');
    }
    expect(story.when('EvaluateReply', rating, proposer('dep-li', '2025-05-26 10:00')).events()[0].data).toMatchObject({ counted: coSignerCounts });
    story.run('EvaluateReply', rating, proposer('dep-li', '2025-05-26 10:00'));
    expect(story.when('CloseProposal', {}, office('2025-05-27 09:00')).types()).toContain('ProposalClosed');
  });
});

describe('withdrawal (撤回) of a co-signed item', () => {
  it('sh-npc-2015 (第十条): withdrawn only when every deputy asks, each named', () => {
    const story = under('sh-npc-2015');
    story.when('WithdrawProposal', { reason: '问题已解决' }, proposer('dep-tan', '2025-04-01 09:00')).thenRefuses('CO_SIGNERS_AGREEMENT_REQUIRED');
    story.when('WithdrawProposal', { reason: '问题已解决', agreedBy: ['dep-x'] }, proposer('dep-tan', '2025-04-01 09:00')).thenRefuses('VALIDATION_FAILED');
    const withdrawn = story.when('WithdrawProposal', { reason: '问题已解决', agreedBy: ['dep-li'] }, proposer('dep-tan', '2025-04-01 09:00'));
    expect(withdrawn.events()[0]).toMatchObject({ type: 'ProposalWithdrawn', data: { proposerId: 'dep-tan', agreedBy: ['dep-li'] } });
  });

  it('cq-npc-2017 (第十二条): the lead withdraws alone', () => {
    expect(under('cq-npc-2017').when('WithdrawProposal', { reason: '问题已解决' }, proposer('dep-tan', '2025-04-01 09:00')).types()[0]).toBe('ProposalWithdrawn');
  });

  it('bj-npc-2014 (第十三条): withdrawn only before assignment; before it, the default rule set of the kind decides', () => {
    under('bj-npc-2014').when('WithdrawProposal', { reason: '问题已解决' }, proposer('dep-tan', '2025-04-01 09:00')).thenRefuses('WITHDRAWAL_CLOSED');
    const beforeAssignment = new Story(catalogWith(), 'bj-npc-2014');
    beforeAssignment.events.push(...accepted().events);
    beforeAssignment.state = accepted().state;
    expect(beforeAssignment.when('WithdrawProposal', { reason: '问题已解决' }, proposer('dep-tan', '2025-03-06 09:00')).types()).toEqual(['ProposalWithdrawn']);
  });
});

describe('commitment receipt (第二十八条)', () => {
  const fulfilled = () => {
    const story = dispatched('cq-npc-2017');
    story.run('FulfilCommitment', { commitmentId: 'u-edu-r1-c1', note: '已建成22个' }, handler(LEAD, '2025-11-03 09:00'));
    return story;
  };

  it('the fulfilment report starts the deputy’s twenty working days to return the receipt', () => {
    const story = dispatched('cq-npc-2017');
    const outcome = story.when('FulfilCommitment', { commitmentId: 'u-edu-r1-c1', note: '已建成22个' }, handler(LEAD, '2025-11-03 09:00'));
    // 20 working days from Mon 2025-11-03: Nov 4–7 (4), 10–14 (9), 17–21 (14), 24–28 (19), Dec 1 (20).
    expect(outcome.events().find((e) => e.type === 'DeadlineSet')!.data).toMatchObject({
      deadlineId: 'commitment-receipt:u-edu:1',
      kind: 'commitment-receipt',
      commitmentId: 'u-edu-r1-c1',
      dueDate: '2025-12-01',
    });
  });

  it('a proposer returns it once; it meets the window; a handler cannot, nor before fulfilment', () => {
    dispatched('cq-npc-2017').when('ReturnCommitmentReceipt', { commitmentId: 'u-edu-r1-c1' }, proposer('dep-tan', '2025-11-04 09:00')).thenRefuses('COMMITMENT_NOT_FULFILLED');
    fulfilled().when('ReturnCommitmentReceipt', { commitmentId: 'u-edu-r1-c1' }, handler(LEAD, '2025-11-04 09:00')).thenRefuses('FORBIDDEN');
    const story = fulfilled();
    expect(story.when('ReturnCommitmentReceipt', { commitmentId: 'u-edu-r1-c1', comment: '已落实' }, proposer('dep-tan', '2025-11-10 09:00')).types()).toEqual(['CommitmentReceiptReturned', 'DeadlineMet']);
    story.run('ReturnCommitmentReceipt', { commitmentId: 'u-edu-r1-c1', comment: '已落实' }, proposer('dep-tan', '2025-11-10 09:00'));
    expect(story.when('ReturnCommitmentReceipt', { commitmentId: 'u-edu-r1-c1', comment: '已落实' }, proposer('dep-tan', '2025-11-11 09:00')).types()).toEqual([]);
    story.when('ReturnCommitmentReceipt', { commitmentId: 'u-edu-r1-c1' }, proposer('dep-li', '2025-11-11 09:00')).thenRefuses('RECEIPT_ALREADY_RETURNED');
    expect(deadline(story, 'commitment-receipt:u-edu:1')).toMatchObject({ state: 'met', onTime: true });
  });
});
