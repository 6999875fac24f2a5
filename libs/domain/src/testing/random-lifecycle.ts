import fc from 'fast-check';
import { parseRuleSet } from '../rule-sets/rule-set';
import shNpc2015 from '../rule-sets/data/sh-npc-2015.json';
import type { Actor } from '../shared/actor';
import type { CommandDataByType, ProposalCommandType } from '../proposal/proposal.commands';
import { handlingOf, type ProposalState } from '../proposal/proposal.state';
import { actors } from './decider-spec';

/**
 * Random but plausible lifecycles: a random step becomes the command the item's state makes likely,
 * with the actor who would issue it. The decider's property test and the read paths' property test
 * both walk items through them.
 */
export const UNITS = ['u1', 'u2', 'u3', 'u4'];
export const PROPOSERS = [
  { id: 'p1', name: '甲', lead: true },
  { id: 'p2', name: '乙', lead: false },
];
export const reviewed = parseRuleSet({ ...shNpc2015, id: 'review-required', review: 'required', evaluation: { counts: 'lead-only' } }, 'review-required.json');
const RULE_SETS = ['cq-npc-2017', 'sh-npc-2015', 'national-npc-2025', 'review-required'];
/** Weighted so that most runs get deep into the lifecycle instead of ending at registration. */
const WEIGHTS: [ProposalCommandType, number][] = [
  ['RegisterProposal', 3],
  ['AbsorbMergedProposal', 1],
  ['WithdrawProposal', 1],
  ['AssignProposal', 3],
  ['AcknowledgeAssignment', 2],
  ['RequestAdjustment', 1],
  ['DecideAdjustment', 1],
  ['RecordContact', 2],
  ['SubmitCoOpinion', 5],
  ['ReturnCoOpinion', 1],
  ['DraftReply', 4],
  ['SignReply', 5],
  ['ReviewReply', 3],
  ['DispatchReply', 4],
  ['EvaluateReply', 6],
  ['OrderRehandling', 2],
  ['ExtendDeadline', 1],
  ['FulfilCommitment', 1],
  ['UrgeUnit', 1],
  ['CloseProposal', 3],
  ['PublishReply', 1],
  ['MarkDeadlineApproaching', 2],
  ['MarkDeadlineBreached', 2],
  ['EscalateDeadline', 2],
];
const COMMAND_TYPES: ProposalCommandType[] = WEIGHTS.flatMap(([type, weight]) => Array<ProposalCommandType>(weight).fill(type));

export const step = fc.record({
  type: fc.constantFrom(...COMMAND_TYPES),
  a: fc.nat(100),
  b: fc.nat(100),
  flag: fc.boolean(),
  advanceHours: fc.integer({ min: 0, max: 24 * 20 }),
  backdateHours: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 24 * 30 })),
});

export type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;
export type Planned = { [T in ProposalCommandType]: { type: T; data: CommandDataByType[T]; actor: Actor } }[ProposalCommandType];

const pick = <T>(list: readonly T[], n: number): T => list[n % list.length];

/** Turns a random step into a plausible command for the item as it stands, with the actor who would issue it. */
export function plan(s: Step, state: ProposalState): Planned {
  const h = handlingOf(state);
  const lead = h ? h.units.filter((u) => u.role === 'lead').map((u) => u.unitId) : UNITS;
  const co = h ? h.units.filter((u) => u.role === 'co').map((u) => u.unitId) : UNITS;
  const all = h ? h.units.map((u) => u.unitId) : UNITS;
  const deadlines = state.status === 'empty' ? ['none'] : Object.keys(state.deadlines).concat('none');
  const commitments = h ? Object.keys(h.commitments).concat('none') : ['none'];
  const mode = pick(['lead-with-co', 'separate', 'joint'] as const, s.a);
  const leadCount = mode === 'lead-with-co' ? 1 : 2;
  const leadUnits = UNITS.slice(0, leadCount);
  const coUnits = mode === 'separate' ? [] : UNITS.slice(leadCount, leadCount + (s.b % 3));
  const unit = (list: string[]) => pick(list.length ? list : UNITS, s.b);
  switch (s.type) {
    case 'RegisterProposal':
      return {
        type: s.type,
        actor: actors.office,
        data: s.a % 10 === 0 ? { decision: 'rejected', reason: 'r' } : s.a % 10 === 1 ? { decision: 'merged', mergedInto: 'other' } : { decision: 'accepted' },
      };
    case 'AbsorbMergedProposal':
      return { type: s.type, actor: actors.office, data: { sourceProposalId: `m${s.a % 3}`, proposers: [{ id: `p${3 + (s.a % 3)}`, name: '丙', lead: true }] } };
    case 'WithdrawProposal':
      // Withdrawal ends everything, so it is rarer still.
      return { type: s.type, actor: actors.proposer(s.a % 3 === 0 ? 'p1' : 'p2'), data: { reason: 'r' } };
    case 'AssignProposal':
      return { type: s.type, actor: actors.office, data: { mode, leadUnits, coUnits, supervisingUnits: s.flag ? ['sup'] : [], leadingOfficial: 'L', ruleSet: pick(RULE_SETS, s.b) } };
    case 'AcknowledgeAssignment':
      return { type: s.type, actor: actors.handler(unit(all)), data: { unitId: unit(all) } };
    case 'RequestAdjustment':
      return { type: s.type, actor: actors.handler(unit(all)), data: { unitId: unit(all), reason: s.flag ? 'r' : 'r2' } };
    case 'DecideAdjustment':
      return { type: s.type, actor: actors.office, data: { requestId: `adjustment-${1 + (s.a % 3)}`, approved: s.flag, leadUnits: h ? UNITS.slice(1, 1 + (h.mode === 'lead-with-co' ? 1 : 2)) : leadUnits, coUnits: h?.mode === 'separate' ? [] : ['u4'] } };
    case 'RecordContact':
      return { type: s.type, actor: actors.handler(unit(lead)), data: { unitId: unit(lead), stage: 'before', channel: 'phone', summary: 's' } };
    case 'SubmitCoOpinion':
      return { type: s.type, actor: actors.handler(unit(co)), data: { unitId: unit(co), content: s.flag ? 'c' : 'c2' } };
    case 'ReturnCoOpinion':
      return { type: s.type, actor: actors.handler(unit(lead)), data: { unitId: unit(co), reason: 'r' } };
    case 'DraftReply':
      return {
        type: s.type,
        actor: actors.handler(unit(lead)),
        data: {
          unitId: unit(lead),
          documentNumber: `N${s.a % 2}`,
          resultClass: pick(['A', 'B', 'C'] as const, s.a),
          body: 'b',
          contactPerson: 'c',
          contactPhone: '1',
          disclose: s.flag,
          commitments: s.a % 2 ? [{ description: 'd', dueDate: '2026-06-30' }] : [],
        },
      };
    case 'SignReply':
      return { type: s.type, actor: actors.signer(unit(lead)), data: { unitId: unit(lead) } };
    case 'ReviewReply':
      return { type: s.type, actor: actors.supervisor('sup'), data: { unitId: unit(lead), approved: s.a % 4 !== 0, comment: 'c' } };
    case 'DispatchReply':
      return { type: s.type, actor: actors.handler(unit(lead)), data: { unitId: unit(lead) } };
    case 'EvaluateReply':
      return {
        type: s.type,
        actor: actors.proposer(pick(['p1', 'p2', 'p3'], s.a)),
        data: { unitId: unit(lead), satisfaction: pick(['satisfied', 'basically-satisfied', 'unsatisfied'] as const, s.b), comment: 'c' },
      };
    case 'OrderRehandling':
      return { type: s.type, actor: actors.office, data: { reason: 'r' } };
    case 'ExtendDeadline':
      return { type: s.type, actor: actors.office, data: { unitId: unit(lead), months: 1 + (s.a % 2), reason: 'r' } };
    case 'FulfilCommitment':
      return { type: s.type, actor: actors.handler(unit(lead)), data: { commitmentId: pick(commitments, s.a), note: 'n' } };
    case 'UrgeUnit':
      return { type: s.type, actor: actors.supervisor('sup'), data: { message: 'm' } };
    case 'CloseProposal':
      return { type: s.type, actor: actors.office, data: {} };
    case 'PublishReply':
      return { type: s.type, actor: actors.office, data: { unitId: unit(lead) } };
    case 'MarkDeadlineApproaching':
    case 'MarkDeadlineBreached':
      return { type: s.type, actor: actors.system, data: { deadlineId: pick(deadlines, s.a) } };
    case 'EscalateDeadline':
      return { type: s.type, actor: actors.system, data: { deadlineId: pick(deadlines, s.a), rung: 1 + (s.b % 2) } };
    default:
      throw new Error(`no plan for ${s.type}`);
  }
}
