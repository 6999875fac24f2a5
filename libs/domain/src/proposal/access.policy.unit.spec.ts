import type { Actor } from '../shared/actor';
import { DomainError } from '../shared/domain-error';
import { actors } from '../testing/decider-spec';
import { accepted, assigned, dispatched, LEAD, submitted } from '../testing/lifecycle.fixture';
import { authorize, canBackdate, canIssue } from './access.policy';
import { command, type CommandDataByType, type ProposalCommandType } from './proposal.commands';
import type { ProposalState } from './proposal.state';

const may = <T extends ProposalCommandType>(actor: Actor, type: T, data: CommandDataByType[T], state: ProposalState = assigned().state) =>
  canIssue(command(type, data), state, actor).allowed;

describe('access policy', () => {
  describe('office commands', () => {
    it.each(['SubmitProposal', 'RegisterProposal', 'AssignProposal', 'DecideAdjustment', 'OrderRehandling', 'ExtendDeadline', 'CloseProposal', 'PublishReply'] as const)(
      '%s: the office may, a handler may not',
      (type) => {
        const data = {} as never;
        expect(may(actors.office, type, data)).toBe(true);
        expect(may(actors.handler(LEAD), type, data)).toBe(false);
        expect(may({ id: 'x', roles: ['admin', 'auditor'] }, type, data)).toBe(false);
      },
    );

    it('a merge can be absorbed by the office or the system’s process manager', () => {
      const data = { sourceProposalId: 'x', proposers: [] };
      expect(may(actors.office, 'AbsorbMergedProposal', data)).toBe(true);
      expect(may(actors.system, 'AbsorbMergedProposal', data)).toBe(true);
      expect(may(actors.proposer('dep-tan'), 'AbsorbMergedProposal', data)).toBe(false);
    });
  });

  describe('handlers act only for units assigned to the item', () => {
    it('acknowledges and requests adjustment for its own assigned unit', () => {
      expect(may(actors.handler(LEAD), 'AcknowledgeAssignment', { unitId: LEAD })).toBe(true);
      expect(may(actors.handler('u-health'), 'RequestAdjustment', { unitId: 'u-health', reason: 'r' })).toBe(true);
    });

    it('not for another unit, nor for a unit the item is not assigned to', () => {
      expect(may(actors.handler('u-health'), 'AcknowledgeAssignment', { unitId: LEAD })).toBe(false);
      expect(may(actors.handler('u-other'), 'AcknowledgeAssignment', { unitId: 'u-other' })).toBe(false);
      expect(may({ id: 'h', roles: ['handler'] }, 'AcknowledgeAssignment', { unitId: LEAD })).toBe(false);
      expect(may(actors.signer(LEAD), 'AcknowledgeAssignment', { unitId: LEAD })).toBe(false);
    });

    it('not before the item is assigned', () => {
      expect(may(actors.handler(LEAD), 'AcknowledgeAssignment', { unitId: LEAD }, accepted().state)).toBe(false);
    });

    it('contacts and replies only from a lead unit; co-opinions only from a co-unit', () => {
      const contact = { unitId: LEAD, stage: 'before' as const, channel: 'phone' as const, summary: 's' };
      expect(may(actors.handler(LEAD), 'RecordContact', contact)).toBe(true);
      expect(may(actors.handler('u-health'), 'RecordContact', { ...contact, unitId: 'u-health' })).toBe(false);
      expect(may(actors.handler('u-health'), 'SubmitCoOpinion', { unitId: 'u-health', content: 'c' })).toBe(true);
      expect(may(actors.handler(LEAD), 'SubmitCoOpinion', { unitId: LEAD, content: 'c' })).toBe(false);
      expect(may(actors.handler('u-health'), 'DraftReply', { unitId: 'u-health' } as never)).toBe(false);
      expect(may(actors.handler(LEAD), 'DispatchReply', { unitId: LEAD })).toBe(true);
    });

    it('the lead’s handler returns a co-unit’s opinion; the co-unit cannot return its own', () => {
      expect(may(actors.handler(LEAD), 'ReturnCoOpinion', { unitId: 'u-health', reason: 'r' })).toBe(true);
      expect(may(actors.handler('u-health'), 'ReturnCoOpinion', { unitId: 'u-health', reason: 'r' })).toBe(false);
    });

    it('fulfils only its own unit’s commitments', () => {
      const state = dispatched().state;
      expect(may(actors.handler(LEAD), 'FulfilCommitment', { commitmentId: 'u-edu-r1-c1', note: 'n' }, state)).toBe(true);
      expect(may(actors.handler('u-health'), 'FulfilCommitment', { commitmentId: 'u-edu-r1-c1', note: 'n' }, state)).toBe(false);
      // An unknown commitment is the decider's "not found", not a permission question.
      expect(may(actors.handler(LEAD), 'FulfilCommitment', { commitmentId: 'nope', note: 'n' }, state)).toBe(true);
      expect(may(actors.office, 'FulfilCommitment', { commitmentId: 'nope', note: 'n' }, state)).toBe(false);
    });
  });

  describe('signers sign only for their own unit', () => {
    it.each`
      actor                         | unitId        | allowed
      ${actors.signer(LEAD)}        | ${LEAD}       | ${true}
      ${actors.signer('u-health')}  | ${LEAD}       | ${false}
      ${actors.signer('u-health')}  | ${'u-health'} | ${false}
      ${actors.handler(LEAD)}       | ${LEAD}       | ${false}
    `('$actor.id signing for $unitId: $allowed', ({ actor, unitId, allowed }) => {
      expect(may(actor, 'SignReply', { unitId })).toBe(allowed);
    });
  });

  describe('supervisors review and urge items they supervise', () => {
    it('a supervising unit may; another supervisor may not', () => {
      expect(may(actors.supervisor('u-gov-office'), 'ReviewReply', { unitId: LEAD, approved: true })).toBe(true);
      expect(may(actors.supervisor('u-elsewhere'), 'UrgeUnit', { message: 'm' })).toBe(false);
      expect(may(actors.office, 'UrgeUnit', { message: 'm' })).toBe(false);
    });

    it('any supervisor may where the item names no supervising unit', () => {
      const story = accepted();
      story.run('AssignProposal', { mode: 'lead-with-co', leadUnits: [LEAD] }, { actor: actors.office, now: '2025-03-10T02:00:00.000Z' });
      expect(may(actors.supervisor('u-elsewhere'), 'UrgeUnit', { message: 'm' }, story.state)).toBe(true);
    });
  });

  describe('proposers act only on items that name them', () => {
    it('a named proposer rates; a stranger does not', () => {
      const state = dispatched().state;
      expect(may(actors.proposer('dep-li'), 'EvaluateReply', { satisfaction: 'satisfied' }, state)).toBe(true);
      expect(may(actors.proposer('dep-stranger'), 'EvaluateReply', { satisfaction: 'satisfied' }, state)).toBe(false);
      expect(may({ id: 'dep-li', roles: ['handler'] }, 'EvaluateReply', { satisfaction: 'satisfied' }, state)).toBe(false);
    });

    it('only the lead proposer withdraws', () => {
      expect(may(actors.proposer('dep-tan'), 'WithdrawProposal', { reason: 'r' }, submitted().state)).toBe(true);
      expect(may(actors.proposer('dep-li'), 'WithdrawProposal', { reason: 'r' }, submitted().state)).toBe(false);
      expect(may(actors.proposer('dep-x'), 'WithdrawProposal', { reason: 'r' }, submitted().state)).toBe(false);
    });
  });

  it('only the system clock marks deadlines', () => {
    for (const type of ['MarkDeadlineApproaching', 'MarkDeadlineBreached', 'EscalateDeadline'] as const) {
      expect(may(actors.system, type, { deadlineId: 'd', rung: 1 })).toBe(true);
      expect(may(actors.office, type, { deadlineId: 'd', rung: 1 })).toBe(false);
    }
  });

  it('an auditor issues nothing', () => {
    expect(may(actors.auditor, 'CloseProposal', {})).toBe(false);
    expect(may(actors.auditor, 'EvaluateReply', { satisfaction: 'satisfied' })).toBe(false);
  });

  describe('back-dating', () => {
    it('is for the office, handlers and the clock only', () => {
      expect(canBackdate(actors.office)).toBe(true);
      expect(canBackdate(actors.handler(LEAD))).toBe(true);
      expect(canBackdate(actors.system)).toBe(true);
      expect(canBackdate(actors.signer(LEAD))).toBe(false);
      expect(canBackdate(actors.proposer('dep-tan'))).toBe(false);
    });

    it('authorize refuses with stable codes', () => {
      const sign = command('SignReply', { unitId: LEAD });
      expect(() => authorize(sign, assigned().state, actors.signer(LEAD), { backdated: true })).toThrow(
        expect.objectContaining({ code: 'BACKDATING_NOT_ALLOWED' }),
      );
      expect(() => authorize(sign, assigned().state, actors.signer('u-health'))).toThrow(DomainError);
      expect(() => authorize(sign, assigned().state, actors.signer('u-health'))).toThrow(expect.objectContaining({ code: 'FORBIDDEN', category: 'forbidden' }));
      expect(() => authorize(sign, assigned().state, actors.signer(LEAD))).not.toThrow();
    });
  });
});
