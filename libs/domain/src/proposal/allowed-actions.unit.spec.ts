import { actors, calendar, sh } from '../testing/decider-spec';
import { accepted, assigned, CO, dispatched, drafted, LEAD, signed, submitted, SUPERVISOR, withCoOpinions } from '../testing/lifecycle.fixture';
import { allowedActions } from './allowed-actions';
import type { ProposalState } from './proposal.state';
import type { Actor } from '../shared/actor';

const NOW = sh('2025-06-01 10:00');
const names = (state: ProposalState, actor: Actor, now = NOW) => allowedActions(state, actor, now, calendar).map((a) => (a.unitId === undefined ? a.command : `${a.command}:${a.unitId}`));

describe('allowed actions: what the caller may do on the item now', () => {
  it('the office registers a submitted item, assigns an accepted one; nobody else does', () => {
    expect(names(submitted().state, actors.office)).toEqual(['RegisterProposal']);
    expect(names(accepted().state, actors.office)).toEqual(['AssignProposal']);
    expect(names(accepted().state, actors.handler(LEAD))).toEqual([]);
    expect(names(submitted().state, actors.auditor)).toEqual([]);
  });

  it('the lead proposer may withdraw, a co-signer may not', () => {
    expect(names(submitted().state, actors.proposer('dep-tan'))).toEqual(['WithdrawProposal']);
    expect(names(submitted().state, actors.proposer('dep-li'))).toEqual([]);
  });

  it('a newly assigned unit’s handler acknowledges or asks for adjustment, for its own unit only', () => {
    const state = assigned().state;
    expect(names(state, actors.handler(LEAD), sh('2025-03-11 10:00'))).toEqual(
      expect.arrayContaining([`AcknowledgeAssignment:${LEAD}`, `RequestAdjustment:${LEAD}`, `RecordReceipt:${LEAD}`, `RecordContact:${LEAD}`, `DraftReply:${LEAD}`]),
    );
    const coActions = names(state, actors.handler(CO[0]), sh('2025-03-11 10:00'));
    expect(coActions).toEqual(expect.arrayContaining([`AcknowledgeAssignment:${CO[0]}`, `SubmitCoOpinion:${CO[0]}`]));
    expect(coActions.some((a) => a.endsWith(`:${LEAD}`) || a.startsWith('DraftReply'))).toBe(false);
  });

  it('adjustment is no longer offered once the unit’s window has closed', () => {
    const state = assigned().state;
    expect(names(state, actors.handler(LEAD), sh('2025-03-11 10:00'))).toContain(`RequestAdjustment:${LEAD}`);
    expect(names(state, actors.handler(LEAD), sh('2025-05-30 10:00'))).not.toContain(`RequestAdjustment:${LEAD}`);
  });

  it('a pending adjustment request is the office’s to decide, and the unit waits', () => {
    const story = assigned();
    story.run('RequestAdjustment', { unitId: CO[1], reason: '不属于本单位职责' }, { actor: actors.handler(CO[1]), now: sh('2025-03-11 10:00') });
    const office = allowedActions(story.state, actors.office, sh('2025-03-11 11:00'), calendar);
    expect(office).toContainEqual({ command: 'DecideAdjustment', requestId: 'adjustment-1', unitId: CO[1] });
    expect(names(story.state, actors.handler(CO[1]), sh('2025-03-11 11:00'))).not.toContain(`AcknowledgeAssignment:${CO[1]}`);
  });

  it('the signer signs only once the draft is there and every co-opinion is in (协办未会签)', () => {
    const noOpinions = assigned().state;
    expect(names(noOpinions, actors.signer(LEAD))).not.toContain(`SignReply:${LEAD}`);
    expect(names(withCoOpinions().state, actors.signer(LEAD))).not.toContain(`SignReply:${LEAD}`);
    expect(names(drafted().state, actors.signer(LEAD))).toEqual([`SignReply:${LEAD}`]);
    expect(names(drafted().state, actors.signer(CO[0]))).toEqual([]);
  });

  it('a signed reply is dispatched by the lead’s handler and reviewed by the supervisor; the draft is frozen', () => {
    const state = signed().state;
    const handler = names(state, actors.handler(LEAD));
    expect(handler).toContain(`DispatchReply:${LEAD}`);
    expect(handler).not.toContain(`DraftReply:${LEAD}`);
    expect(names(state, actors.supervisor(SUPERVISOR))).toEqual(expect.arrayContaining([`ReviewReply:${LEAD}`, 'UrgeUnit']));
    expect(names(state, actors.supervisor('u-elsewhere'))).toEqual([]);
  });

  it('after dispatch the proposers rate, the office publishes and closes once the counted rating is in', () => {
    const story = dispatched();
    expect(names(story.state, actors.proposer('dep-tan'))).toContain(`EvaluateReply:${LEAD}`);
    expect(names(story.state, actors.office)).toContain(`PublishReply:${LEAD}`);
    expect(names(story.state, actors.office)).not.toContain('CloseProposal');
    story.run('EvaluateReply', { unitId: LEAD, satisfaction: 'satisfied' }, { actor: actors.proposer('dep-tan'), now: sh('2025-05-23 10:00') });
    expect(names(story.state, actors.proposer('dep-tan'))).not.toContain(`EvaluateReply:${LEAD}`);
    expect(names(story.state, actors.office)).toContain('CloseProposal');
    expect(names(story.state, actors.office)).not.toContain('OrderRehandling');
  });

  it('an unsatisfied counted rating offers re-handling to the office', () => {
    const story = dispatched();
    story.run('EvaluateReply', { unitId: LEAD, satisfaction: 'unsatisfied', comment: '未解决' }, { actor: actors.proposer('dep-tan'), now: sh('2025-05-23 10:00') });
    expect(names(story.state, actors.office)).toContain('OrderRehandling');
  });

  it('a closed item offers nothing but what follows closure (commitments, publication)', () => {
    const story = dispatched();
    story.run('EvaluateReply', { unitId: LEAD, satisfaction: 'satisfied' }, { actor: actors.proposer('dep-tan'), now: sh('2025-05-23 10:00') });
    story.run('CloseProposal', {}, { actor: actors.office, now: sh('2025-05-24 10:00') });
    expect(names(story.state, actors.office)).toEqual([`PublishReply:${LEAD}`]);
    expect(names(story.state, actors.handler(LEAD))).toEqual([`FulfilCommitment:${LEAD}`]);
    expect(names(story.state, actors.auditor)).toEqual([]);
  });

  it('what the decider would refuse is not offered: a second receipt, a complex period once the reply is in, an extension past the limit', () => {
    const story = assigned();
    expect(names(story.state, actors.office)).toEqual(expect.arrayContaining([`RecordReceipt:${LEAD}`, 'DeclareComplex']));
    // Chongqing has a complex period, not an extension (第二十一条).
    expect(names(story.state, actors.office)).not.toContain('ExtendDeadline');
    story.run('RecordReceipt', { unitId: LEAD, receivedOn: '2025-03-12' }, { actor: actors.office, now: sh('2025-03-12 10:00') });
    expect(names(story.state, actors.office)).not.toContain(`RecordReceipt:${LEAD}`);
    expect(names(story.state, actors.office)).toContain(`RecordReceipt:${CO[0]}`);
    const replied = dispatched();
    expect(names(replied.state, actors.office)).not.toContain('DeclareComplex');
    expect(names(replied.state, actors.office)).not.toContain('ExtendDeadline');
    // The lead's handler still records a contact after the reply (答复后).
    expect(names(replied.state, actors.handler(LEAD))).toContain(`RecordContact:${LEAD}`);
    // Beijing extends up to six months from assignment (第二十一条): offered until the reply is due then.
    const beijing = assigned({ ruleSet: 'bj-npc-2014' });
    expect(names(beijing.state, actors.office)).toContain('ExtendDeadline');
    beijing.run('ExtendDeadline', { months: 3, reason: '涉及多部门协调', consentedBy: '市人大常委会' }, { actor: actors.office, now: sh('2025-04-01 10:00') });
    expect(names(beijing.state, actors.office)).not.toContain('ExtendDeadline');
  });

  it('withdrawal is not offered once assigned where the rule set closes it then (Beijing 第十三条)', () => {
    expect(names(assigned().state, actors.proposer('dep-tan'))).toContain('WithdrawProposal');
    expect(names(assigned({ ruleSet: 'bj-npc-2014' }).state, actors.proposer('dep-tan'))).not.toContain('WithdrawProposal');
  });

  it('after a refused adjustment request the window still closes at its due instant; a unit awaiting the office drafts nothing', () => {
    const story = assigned();
    story.run('RequestAdjustment', { unitId: LEAD, reason: '不属于本单位职责' }, { actor: actors.handler(LEAD), now: sh('2025-03-11 10:00') });
    expect(names(story.state, actors.handler(LEAD), sh('2025-03-11 11:00'))).not.toContain(`DraftReply:${LEAD}`);
    story.run('DecideAdjustment', { requestId: 'adjustment-1', approved: false, reason: '仍由本单位办理' }, { actor: actors.office, now: sh('2025-03-12 10:00') });
    expect(names(story.state, actors.handler(LEAD), sh('2025-03-12 11:00'))).toContain(`DraftReply:${LEAD}`);
    expect(names(story.state, actors.handler(LEAD), sh('2025-05-30 10:00'))).not.toContain(`RequestAdjustment:${LEAD}`);
  });
});
