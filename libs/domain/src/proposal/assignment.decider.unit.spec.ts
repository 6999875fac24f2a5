import { actors, catalogWith, sh, Story } from '../testing/decider-spec';
import { accepted, assigned, CO, ITEM, LEAD, submitted } from '../testing/lifecycle.fixture';
import type { EventOf } from './proposal.events';
import type { AssignedProposal } from './proposal.state';

const office = (now: string, occurredAt?: string) => ({ actor: actors.office, now: sh(now), ...(occurredAt ? { occurredAt: sh(occurredAt) } : {}) });
const handler = (unit: string, now: string, occurredAt?: string) => ({ actor: actors.handler(unit), now: sh(now), ...(occurredAt ? { occurredAt: sh(occurredAt) } : {}) });
const assignment = { mode: 'lead-with-co' as const, leadUnits: [LEAD], coUnits: [...CO], supervisingUnits: ['u-gov-office'], leadingOfficial: '王副市长' };
const handling = (state: unknown) => (state as AssignedProposal).handling;

describe('AssignProposal', () => {
  it('emits ProposalAssigned with the rule set snapshot, and every deadline with its computed due date', () => {
    const events = accepted().when('AssignProposal', assignment, office('2025-03-10 10:00')).events();
    const [assignedEvent, ...deadlines] = events as [EventOf<'ProposalAssigned'>, ...EventOf<'DeadlineSet'>[]];
    expect(assignedEvent.type).toBe('ProposalAssigned');
    expect(assignedEvent.data).toMatchObject({
      mode: 'lead-with-co',
      leadUnits: [LEAD],
      coUnits: CO,
      key: false,
      supervisingUnits: ['u-gov-office'],
      leadingOfficial: '王副市长',
      ruleSet: { id: 'cq-npc-2017', version: 3, verification: 'verbatim' },
      calendarId: 'chinese-days@1.5.7',
    });
    expect(deadlines.map((d) => [d.data.deadlineId, d.data.dueDate])).toEqual([
      ['adjustment-window:u-edu:1', '2025-03-24'],
      ['adjustment-window:u-health:1', '2025-03-24'],
      ['adjustment-window:u-civil:1', '2025-03-24'],
      ['first-contact:u-edu:1', '2025-04-08'], // 20 working days, Qingming 04-04 skipped
      ['co-opinion:u-health:1', '2025-04-22'],
      ['co-opinion:u-civil:1', '2025-04-22'],
      ['reply:u-edu:1', '2025-06-10'],
    ]);
    expect(deadlines[6].data).toEqual({
      deadlineId: 'reply:u-edu:1',
      kind: 'reply',
      unitId: LEAD,
      startDate: '2025-03-10',
      period: { duration: 3, unit: 'months' },
      dueDate: '2025-06-10',
      dueAt: '2025-06-10T16:00:00.000Z',
      warnAt: '2025-06-03T16:00:00.000Z',
      escalations: [
        { rung: 1, at: '2025-06-10T16:00:00.000Z', to: 'supervising-units' },
        { rung: 2, at: '2025-06-24T16:00:00.000Z', to: 'leading-official' },
      ],
      provisional: false,
      source: '第二十一条：承办单位应当自代表建议、批评和意见交办之日起三个月内答复代表',
      calendarId: 'chinese-days@1.5.7',
    });
  });

  it('counts from the back-dated assignment meeting, not from when the clerk typed it in', () => {
    const events = accepted().when('AssignProposal', assignment, office('2025-03-20 10:00', '2025-03-10 10:00')).events();
    expect(events.find((e) => e.type === 'DeadlineSet' && e.data.kind === 'reply')?.data).toMatchObject({ dueDate: '2025-06-10' });
  });

  it('uses the default rule set when none is named, and honours a named one', () => {
    const sh15 = accepted().when('AssignProposal', { ...assignment, ruleSet: 'sh-npc-2015' }, office('2025-03-10 10:00')).events();
    expect(sh15[0].data).toMatchObject({ ruleSet: { id: 'sh-npc-2015' } });
    // Shanghai: 7 working days to ask for adjustment, co-opinion in one month, no first-contact step.
    expect(sh15.filter((e) => e.type === 'DeadlineSet').map((e) => (e as EventOf<'DeadlineSet'>).data.deadlineId)).toEqual([
      'adjustment-window:u-edu:1',
      'adjustment-window:u-health:1',
      'adjustment-window:u-civil:1',
      'co-opinion:u-health:1',
      'co-opinion:u-civil:1',
      'reply:u-edu:1',
    ]);
  });

  it('gives one reply track per unit in separate mode, and one joint track signed by every lead in joint mode', () => {
    const separate = accepted();
    separate.run('AssignProposal', { mode: 'separate', leadUnits: ['u-a', 'u-b'] }, office('2025-03-10 10:00'));
    expect(Object.values(handling(separate.state).tracks).map((t) => [t.unitId, t.signers])).toEqual([
      ['u-a', ['u-a']],
      ['u-b', ['u-b']],
    ]);
    const joint = accepted();
    joint.run('AssignProposal', { mode: 'joint', leadUnits: ['u-a', 'u-b'], coUnits: ['u-c'] }, office('2025-03-10 10:00'));
    expect(Object.values(handling(joint.state).tracks).map((t) => [t.unitId, t.signers])).toEqual([['u-a', ['u-a', 'u-b']]]);
    expect(Object.keys(joint.state.status === 'assigned' ? joint.state.deadlines : {}).filter((id) => id.startsWith('reply:'))).toEqual(['reply:u-a:1']);
  });

  it.each`
    data                                                                        | code
    ${{ ...assignment, mode: 'solo' }}                                          | ${'VALIDATION_FAILED'}
    ${{ ...assignment, leadUnits: [] }}                                         | ${'INVALID_ASSIGNMENT'}
    ${{ ...assignment, leadUnits: ['u-a', 'u-b'] }}                             | ${'INVALID_ASSIGNMENT'}
    ${{ mode: 'joint', leadUnits: ['u-a'] }}                                    | ${'INVALID_ASSIGNMENT'}
    ${{ mode: 'separate', leadUnits: ['u-a'], coUnits: ['u-b'] }}               | ${'INVALID_ASSIGNMENT'}
    ${{ ...assignment, coUnits: [LEAD] }}                                       | ${'INVALID_ASSIGNMENT'}
    ${{ ...assignment, coUnits: ['u-x', 'u-x'] }}                               | ${'INVALID_ASSIGNMENT'}
    ${{ ...assignment, leadUnits: 'u-edu' }}                                    | ${'VALIDATION_FAILED'}
    ${{ ...assignment, ruleSet: 'xx-2099' }}                                    | ${'RULE_SET_NOT_FOUND'}
  `('refuses $data.mode with $code', ({ data, code }) => {
    accepted().when('AssignProposal', data, office('2025-03-10 10:00')).thenRefuses(code);
  });

  it('refuses when no rule set is named and none is configured as the default', () => {
    const story = new Story(catalogWith(), '');
    story.events.push(...accepted().events);
    story.when('AssignProposal', { mode: 'lead-with-co', leadUnits: [LEAD] }, office('2025-03-10 10:00')).thenRefuses('RULE_SET_NOT_FOUND');
  });

  it('refuses a rule set that does not govern this kind of item', () => {
    // A CPPCC proposal cannot be timed by an NPC rule set.
    const cppcc = new Story();
    cppcc.run('SubmitProposal', { ...ITEM, kind: 'cppcc-proposal', proposers: [...ITEM.proposers] }, office('2025-03-03 09:00'));
    cppcc.run('RegisterProposal', { decision: 'accepted' }, office('2025-03-05 09:00'));
    cppcc.when('AssignProposal', assignment, office('2025-03-10 10:00')).thenRefuses('RULE_SET_KIND_MISMATCH');
  });

  it('refuses before registration and after assignment', () => {
    submitted().when('AssignProposal', assignment, office('2025-03-10 10:00')).thenRefuses('INVALID_TRANSITION');
    assigned().when('AssignProposal', assignment, office('2025-03-11 10:00')).thenRefuses('INVALID_TRANSITION');
  });
});

describe('AcknowledgeAssignment', () => {
  it('records the acknowledgement and meets the unit’s adjustment window', () => {
    const events = assigned().when('AcknowledgeAssignment', { unitId: LEAD }, handler(LEAD, '2025-03-11 09:00')).events();
    expect(events).toEqual([
      { type: 'AssignmentAcknowledged', schemaVersion: 1, data: { unitId: LEAD } },
      { type: 'DeadlineMet', schemaVersion: 1, data: { deadlineId: 'adjustment-window:u-edu:1', metAt: sh('2025-03-11 09:00'), onTime: true } },
    ]);
  });

  it('is a no-op when repeated', () => {
    const story = assigned();
    story.run('AcknowledgeAssignment', { unitId: LEAD }, handler(LEAD, '2025-03-11 09:00'));
    story.when('AcknowledgeAssignment', { unitId: LEAD }, handler(LEAD, '2025-03-11 10:00')).thenNothing();
  });

  it('refuses a unit that is not assigned', () => {
    assigned().when('AcknowledgeAssignment', { unitId: 'u-other' }, { ...handler('u-other', '2025-03-11 09:00'), policy: false }).thenRefuses('UNIT_NOT_ASSIGNED');
  });

  it('refuses while the unit’s adjustment request awaits the office', () => {
    const story = assigned();
    story.run('RequestAdjustment', { unitId: 'u-civil', reason: '不属于本单位职责' }, handler('u-civil', '2025-03-12 09:00'));
    story.when('AcknowledgeAssignment', { unitId: 'u-civil' }, handler('u-civil', '2025-03-12 10:00')).thenRefuses('ADJUSTMENT_PENDING');
  });

  it('refuses before assignment', () => {
    accepted().when('AcknowledgeAssignment', { unitId: LEAD }, { ...handler(LEAD, '2025-03-11 09:00'), policy: false }).thenRefuses('INVALID_TRANSITION');
  });
});

describe('RequestAdjustment', () => {
  it('records the request within the window and meets the window', () => {
    const events = assigned().when('RequestAdjustment', { unitId: 'u-civil', reason: '不属于本单位职责' }, handler('u-civil', '2025-03-24 17:00')).types();
    expect(events).toEqual(['AdjustmentRequested', 'DeadlineMet']);
  });

  it('refuses once the window has closed: the unit keeps the item (ADJUSTMENT_WINDOW_CLOSED)', () => {
    // The window ends at 24:00 on 2025-03-24.
    const error = assigned()
      .when('RequestAdjustment', { unitId: 'u-civil', reason: '不属于本单位职责' }, handler('u-civil', '2025-03-25 00:00'))
      .thenRefuses('ADJUSTMENT_WINDOW_CLOSED');
    expect(error.details).toMatchObject({ dueDate: '2025-03-24' });
  });

  it('allows a request any time before acknowledgement when the rule set has no window', () => {
    const story = accepted();
    story.run('AssignProposal', { ...assignment, ruleSet: 'national-npc-2025' }, office('2025-03-10 10:00'));
    expect(story.when('RequestAdjustment', { unitId: 'u-civil', reason: 'r' }, handler('u-civil', '2025-05-01 10:00')).types()).toEqual(['AdjustmentRequested']);
  });

  it('is a no-op when the same request is repeated, and refuses a second one', () => {
    const story = assigned();
    story.run('RequestAdjustment', { unitId: 'u-civil', reason: 'r' }, handler('u-civil', '2025-03-12 09:00'));
    story.when('RequestAdjustment', { unitId: 'u-civil', reason: 'r' }, handler('u-civil', '2025-03-12 10:00')).thenNothing();
    story.when('RequestAdjustment', { unitId: 'u-civil', reason: 'other' }, handler('u-civil', '2025-03-12 10:00')).thenRefuses('ADJUSTMENT_PENDING');
  });

  it('refuses after acknowledgement, and without a reason', () => {
    const story = assigned();
    story.run('AcknowledgeAssignment', { unitId: LEAD }, handler(LEAD, '2025-03-11 09:00'));
    story.when('RequestAdjustment', { unitId: LEAD, reason: 'r' }, handler(LEAD, '2025-03-12 09:00')).thenRefuses('ALREADY_ACKNOWLEDGED');
    assigned().when('RequestAdjustment', { unitId: LEAD, reason: ' ' }, handler(LEAD, '2025-03-12 09:00')).thenRefuses('VALIDATION_FAILED');
  });
});

describe('DecideAdjustment', () => {
  const requested = () => {
    const story = assigned();
    story.run('RequestAdjustment', { unitId: 'u-civil', reason: '应由区民政局办理' }, handler('u-civil', '2025-03-12 09:00'));
    return story;
  };

  it('refuses: the unit keeps the item', () => {
    const story = requested();
    const events = story.when('DecideAdjustment', { requestId: 'adjustment-1', approved: false, reason: '属于本单位职责' }, office('2025-03-13 09:00')).events();
    expect(events).toEqual([{ type: 'AdjustmentRefused', schemaVersion: 1, data: { requestId: 'adjustment-1', reason: '属于本单位职责' } }]);
  });

  it('approves with a re-assignment: the leaving unit’s deadlines are cancelled, the new unit’s set from the decision', () => {
    const story = requested();
    const events = story
      .when('DecideAdjustment', { requestId: 'adjustment-1', approved: true, leadUnits: [LEAD], coUnits: ['u-health', 'u-minzheng'] }, office('2025-03-14 09:00'))
      .events();
    expect(events.map((e) => [e.type, 'deadlineId' in e.data ? e.data.deadlineId : undefined])).toEqual([
      ['AdjustmentApproved', undefined],
      ['DeadlineCancelled', 'co-opinion:u-civil:1'],
      ['DeadlineSet', 'adjustment-window:u-minzheng:1'],
      ['DeadlineSet', 'co-opinion:u-minzheng:1'],
    ]);
    // The window for u-civil was met when it asked; only its open co-opinion deadline is cancelled.
    story.record(events, office('2025-03-14 09:00'));
    expect(handling(story.state).units.map((u) => [u.unitId, u.role])).toEqual([
      [LEAD, 'lead'],
      ['u-health', 'co'],
      ['u-minzheng', 'co'],
    ]);
    expect(Object.keys(handling(story.state).coOpinions)).toEqual(['u-health', 'u-minzheng']);
  });

  it('moves the reply deadline when the lead unit changes', () => {
    const story = assigned();
    story.run('RequestAdjustment', { unitId: LEAD, reason: '应由卫健委主办' }, handler(LEAD, '2025-03-12 09:00'));
    const types = story
      .when('DecideAdjustment', { requestId: 'adjustment-1', approved: true, leadUnits: ['u-health'], coUnits: [LEAD, 'u-civil'] }, office('2025-03-14 09:00'))
      .events()
      .filter((e) => e.type !== 'AdjustmentApproved')
      .map((e) => `${e.type} ${'deadlineId' in e.data ? e.data.deadlineId : ''}`);
    expect(types).toEqual([
      'DeadlineCancelled adjustment-window:u-health:1', // it changes role, so its window starts again
      'DeadlineCancelled first-contact:u-edu:1',
      'DeadlineCancelled co-opinion:u-health:1',
      'DeadlineCancelled reply:u-edu:1',
      'DeadlineSet adjustment-window:u-health:2',
      'DeadlineSet adjustment-window:u-edu:2',
      'DeadlineSet first-contact:u-health:1',
      'DeadlineSet co-opinion:u-edu:1',
      'DeadlineSet reply:u-health:1',
    ]);
  });

  it('is a no-op when the same decision is repeated, and refuses a contrary one', () => {
    const story = requested();
    story.run('DecideAdjustment', { requestId: 'adjustment-1', approved: false }, office('2025-03-13 09:00'));
    story.when('DecideAdjustment', { requestId: 'adjustment-1', approved: false }, office('2025-03-13 10:00')).thenNothing();
    story.when('DecideAdjustment', { requestId: 'adjustment-1', approved: true, leadUnits: [LEAD] }, office('2025-03-13 10:00')).thenRefuses('ADJUSTMENT_ALREADY_DECIDED');
  });

  it('refuses an unknown request, a missing decision, and an invalid re-assignment', () => {
    requested().when('DecideAdjustment', { requestId: 'adjustment-9', approved: false }, office('2025-03-13 09:00')).thenRefuses('ADJUSTMENT_NOT_FOUND');
    requested().when('DecideAdjustment', { requestId: 'adjustment-1', approved: 'yes' as never }, office('2025-03-13 09:00')).thenRefuses('VALIDATION_FAILED');
    requested().when('DecideAdjustment', { requestId: 'adjustment-1', approved: true }, office('2025-03-13 09:00')).thenRefuses('VALIDATION_FAILED');
    requested()
      .when('DecideAdjustment', { requestId: 'adjustment-1', approved: true, leadUnits: ['u-a', 'u-b'] }, office('2025-03-13 09:00'))
      .thenRefuses('INVALID_ASSIGNMENT');
  });
});
