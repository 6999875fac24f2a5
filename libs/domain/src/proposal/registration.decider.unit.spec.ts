import { actors, sh, Story } from '../testing/decider-spec';
import { accepted, assigned, dispatched, ITEM, submitted } from '../testing/lifecycle.fixture';

const office = (now: string, occurredAt?: string) => ({ actor: actors.office, now: sh(now), ...(occurredAt ? { occurredAt: sh(occurredAt) } : {}) });
const submitData = () => ({ ...ITEM, proposers: [...ITEM.proposers] });

describe('SubmitProposal', () => {
  it('emits ProposalSubmitted with the submission time', () => {
    const events = new Story().when('SubmitProposal', submitData(), office('2025-03-03 09:00')).events();
    expect(events).toEqual([
      {
        type: 'ProposalSubmitted',
        schemaVersion: 1,
        data: { ...submitData(), submittedAt: '2025-03-03T01:00:00.000Z' },
      },
    ]);
  });

  it('accepts a back-dated paper submission', () => {
    const [e] = new Story().when('SubmitProposal', submitData(), office('2025-03-03 09:00', '2025-02-20 15:00')).events();
    expect(e.data).toMatchObject({ submittedAt: '2025-02-20T07:00:00.000Z' });
  });

  it.each`
    change                                                                                | field
    ${{ title: '  ' }}                                                                    | ${'title'}
    ${{ kind: 'motion' }}                                                                 | ${'kind'}
    ${{ proposers: [] }}                                                                  | ${'proposers'}
    ${{ proposers: [{ id: 'a', name: 'A', lead: false }] }}                               | ${'proposers'}
    ${{ proposers: [{ id: 'a', name: 'A', lead: true }, { id: 'b', name: 'B', lead: true }] }} | ${'proposers'}
    ${{ proposers: [{ id: 'a', name: 'A', lead: true }, { id: 'a', name: 'B', lead: false }] }} | ${'proposers'}
    ${{ proposers: [{ id: 'a', name: 'A', lead: 'yes' }] }}                               | ${'proposers[0].lead'}
    ${{ proposers: ['a'] }}                                                               | ${'proposers[0]'}
    ${{ number: 26 }}                                                                     | ${'number'}
  `('refuses $field when invalid (VALIDATION_FAILED)', ({ change, field }) => {
    const error = new Story().when('SubmitProposal', { ...submitData(), ...change }, office('2025-03-03 09:00')).thenRefuses('VALIDATION_FAILED');
    expect(error.details).toMatchObject({ field });
  });

  it('refuses a submission dated in the future', () => {
    new Story().when('SubmitProposal', submitData(), office('2025-03-03 09:00', '2025-03-04 09:00')).thenRefuses('OCCURRED_IN_FUTURE');
  });

  it('refuses an occurredAt that is not an instant', () => {
    new Story()
      .when('SubmitProposal', submitData(), { actor: actors.office, now: sh('2025-03-03 09:00'), occurredAt: 'yesterday' })
      .thenRefuses('VALIDATION_FAILED');
  });

  it('is a no-op when the same submission is repeated', () => {
    submitted().when('SubmitProposal', submitData(), office('2025-03-03 10:00')).thenNothing();
  });

  it('refuses a different item under an existing id (PROPOSAL_EXISTS)', () => {
    submitted().when('SubmitProposal', { ...submitData(), title: '另一件' }, office('2025-03-03 10:00')).thenRefuses('PROPOSAL_EXISTS');
  });
});

describe('RegisterProposal', () => {
  it('accepts (立案)', () => {
    expect(submitted().when('RegisterProposal', { decision: 'accepted' }, office('2025-03-05 09:00')).events()).toEqual([
      { type: 'ProposalAccepted', schemaVersion: 1, data: {} },
    ]);
  });

  it('rejects with a reason (不予立案)', () => {
    const story = submitted();
    story.run('RegisterProposal', { decision: 'rejected', reason: '涉及具体司法案件' }, office('2025-03-05 09:00'));
    expect(story.state).toMatchObject({ status: 'rejected', rejectionReason: '涉及具体司法案件' });
  });

  it('refuses a rejection without a reason', () => {
    submitted().when('RegisterProposal', { decision: 'rejected' }, office('2025-03-05 09:00')).thenRefuses('VALIDATION_FAILED');
  });

  it('merges into another item (并案)', () => {
    const story = submitted();
    story.run('RegisterProposal', { decision: 'merged', mergedInto: 'cq-2025-0031' }, office('2025-03-05 09:00'));
    expect(story.state).toMatchObject({ status: 'merged', mergedInto: 'cq-2025-0031' });
  });

  it('refuses a merge into itself or into nothing', () => {
    submitted().when('RegisterProposal', { decision: 'merged', mergedInto: ITEM.proposalId }, office('2025-03-05 09:00')).thenRefuses('VALIDATION_FAILED');
    submitted().when('RegisterProposal', { decision: 'merged' }, office('2025-03-05 09:00')).thenRefuses('VALIDATION_FAILED');
  });

  it('refuses an unknown decision', () => {
    submitted().when('RegisterProposal', { decision: 'maybe' as never }, office('2025-03-05 09:00')).thenRefuses('VALIDATION_FAILED');
  });

  it('is a no-op when the same decision is repeated', () => {
    accepted().when('RegisterProposal', { decision: 'accepted' }, office('2025-03-06 09:00')).thenNothing();
    assigned().when('RegisterProposal', { decision: 'accepted' }, office('2025-03-11 09:00')).thenNothing();
    const rejected = submitted();
    rejected.run('RegisterProposal', { decision: 'rejected', reason: 'r' }, office('2025-03-05 09:00'));
    rejected.when('RegisterProposal', { decision: 'rejected', reason: 'r' }, office('2025-03-06 09:00')).thenNothing();
  });

  it('refuses a different decision once one is made (INVALID_TRANSITION)', () => {
    accepted().when('RegisterProposal', { decision: 'rejected', reason: 'r' }, office('2025-03-06 09:00')).thenRefuses('INVALID_TRANSITION');
    const rejected = submitted();
    rejected.run('RegisterProposal', { decision: 'rejected', reason: 'r' }, office('2025-03-05 09:00'));
    rejected.when('RegisterProposal', { decision: 'accepted' }, office('2025-03-06 09:00')).thenRefuses('INVALID_TRANSITION');
  });

  it('refuses commands on an item that does not exist (NOT_FOUND)', () => {
    new Story().when('RegisterProposal', { decision: 'accepted' }, office('2025-03-05 09:00')).thenRefuses('NOT_FOUND');
  });

  it('refuses a step dated before the previous one', () => {
    submitted().when('RegisterProposal', { decision: 'accepted' }, office('2025-03-05 09:00', '2025-03-02 09:00')).thenRefuses('OCCURRED_BEFORE_PREVIOUS_STEP');
  });
});

describe('AbsorbMergedProposal', () => {
  const incoming = [
    { id: 'dep-zhou', name: '周敏', lead: true },
    { id: 'dep-tan', name: '谭理', lead: false },
  ];

  it('adds the merged item’s proposers, so each still gets the reply', () => {
    const story = accepted();
    story.run('AbsorbMergedProposal', { sourceProposalId: 'cq-2025-0040', proposers: incoming }, office('2025-03-06 09:00'));
    expect(story.state).toMatchObject({
      mergedProposals: ['cq-2025-0040'],
      proposers: [
        ...ITEM.proposers,
        { id: 'dep-zhou', name: '周敏', lead: false, mergedFrom: 'cq-2025-0040', leadOfMerged: true },
      ],
    });
  });

  it('is a no-op when repeated', () => {
    const story = accepted();
    story.run('AbsorbMergedProposal', { sourceProposalId: 'cq-2025-0040', proposers: incoming }, office('2025-03-06 09:00'));
    story.when('AbsorbMergedProposal', { sourceProposalId: 'cq-2025-0040', proposers: incoming }, office('2025-03-06 10:00')).thenNothing();
  });

  it('refuses to absorb itself, or into an item that has ended', () => {
    accepted().when('AbsorbMergedProposal', { sourceProposalId: ITEM.proposalId, proposers: incoming }, office('2025-03-06 09:00')).thenRefuses('VALIDATION_FAILED');
    const rejected = submitted();
    rejected.run('RegisterProposal', { decision: 'rejected', reason: 'r' }, office('2025-03-05 09:00'));
    rejected.when('AbsorbMergedProposal', { sourceProposalId: 'x', proposers: incoming }, office('2025-03-06 09:00')).thenRefuses('INVALID_TRANSITION');
  });
});

describe('WithdrawProposal', () => {
  const lead = (now: string) => ({ actor: actors.proposer('dep-tan'), now: sh(now) });

  it('ends handling at any point before closure and cancels every pending deadline', () => {
    const story = assigned();
    const events = story.when('WithdrawProposal', { reason: '问题已解决' }, lead('2025-03-20 09:00')).events();
    expect(events[0]).toEqual({ type: 'ProposalWithdrawn', schemaVersion: 1, data: { reason: '问题已解决', proposerId: 'dep-tan' } });
    // 3 adjustment windows, 1 first contact, 2 co-opinions and the reply.
    expect(events.slice(1).map((e) => e.type)).toEqual(Array(7).fill('DeadlineCancelled'));
  });

  it('works before assignment too', () => {
    const story = submitted();
    story.run('WithdrawProposal', { reason: '撤回' }, lead('2025-03-04 09:00'));
    expect(story.state.status).toBe('withdrawn');
  });

  it('is a no-op when repeated', () => {
    const story = submitted();
    story.run('WithdrawProposal', { reason: '撤回' }, lead('2025-03-04 09:00'));
    story.when('WithdrawProposal', { reason: '撤回' }, lead('2025-03-04 10:00')).thenNothing();
  });

  it('refuses without a reason, and after closure', () => {
    submitted().when('WithdrawProposal', { reason: '' }, lead('2025-03-04 09:00')).thenRefuses('VALIDATION_FAILED');
    const closed = dispatched();
    closed.run('EvaluateReply', { satisfaction: 'satisfied' }, { actor: actors.proposer('dep-tan'), now: sh('2025-05-26 09:00') });
    closed.run('EvaluateReply', { satisfaction: 'satisfied' }, { actor: actors.proposer('dep-li'), now: sh('2025-05-26 09:00') });
    closed.run('CloseProposal', {}, office('2025-05-27 09:00'));
    closed.when('WithdrawProposal', { reason: '撤回' }, lead('2025-05-28 09:00')).thenRefuses('INVALID_TRANSITION');
  });
});
