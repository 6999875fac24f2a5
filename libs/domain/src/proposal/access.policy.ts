import type { Actor, Role } from '../shared/actor';
import { assertNever, DomainError } from '../shared/domain-error';
import type { ProposalCommand } from './proposal.commands';
import { handlingOf, isAssignedUnit, isCoUnit, isLeadUnit, type ProposalState, trackOf } from './proposal.state';

export interface AccessDecision {
  readonly allowed: boolean;
  readonly reason?: string;
}

const ALLOW: AccessDecision = { allowed: true };
const deny = (reason: string): AccessDecision => ({ allowed: false, reason });

/** Roles that may record when a paper step really happened (back-dating). */
const BACKDATING_ROLES: readonly Role[] = ['office', 'handler', 'system'];

/**
 * Who may issue which command on this item in this state. Pure, so it is tested here and called
 * by the API layer before `decide`. Unit-bound roles act only for their own unit; a proposer only
 * on items that name them.
 */
export function canIssue(cmd: ProposalCommand, state: ProposalState, actor: Actor): AccessDecision {
  const has = (role: Role) => actor.roles.includes(role);
  const handling = handlingOf(state);
  const ownUnit = (unitId: string | undefined) => actor.unit !== undefined && actor.unit === unitId;
  const handlerOf = (unitId: string | undefined, scope: 'assigned' | 'lead' | 'co' = 'assigned'): AccessDecision => {
    if (!has('handler')) return deny('requires the handler role');
    if (!ownUnit(unitId)) return deny(`a handler acts only for its own unit (${actor.unit ?? 'none'})`);
    if (!handling || !isAssignedUnit(handling, unitId!)) return deny(`${unitId} is not assigned to this item`);
    if (scope === 'lead' && !isLeadUnit(handling, unitId!)) return deny(`${unitId} is not a lead unit of this item`);
    if (scope === 'co' && !isCoUnit(handling, unitId!)) return deny(`${unitId} is not a co-handling unit of this item`);
    return ALLOW;
  };
  const role = (r: Role): AccessDecision => (has(r) ? ALLOW : deny(`requires the ${r} role`));
  const namedProposer = (): AccessDecision => {
    if (!has('proposer')) return deny('requires the proposer role');
    if (state.status === 'empty' || !state.proposers.some((p) => p.id === actor.id)) return deny('the caller is not named on this item');
    return ALLOW;
  };

  switch (cmd.type) {
    case 'SubmitProposal':
    case 'RegisterProposal':
    case 'AssignProposal':
    case 'DeclareComplex':
    case 'DecideAdjustment':
    case 'OrderRehandling':
    case 'ExtendDeadline':
    case 'ConfirmDeadlineMetOnTime':
    case 'CloseProposal':
    case 'PublishReply':
      return role('office');
    case 'AbsorbMergedProposal':
      return has('office') || has('system') ? ALLOW : deny('requires the office role');
    case 'WithdrawProposal': {
      const named = namedProposer();
      if (!named.allowed) return named;
      return state.status !== 'empty' && state.proposers.some((p) => p.id === actor.id && p.lead)
        ? ALLOW
        : deny('only the lead proposer (领衔) may withdraw the item');
    }
    case 'AcknowledgeAssignment':
    case 'RequestAdjustment':
      return handlerOf(cmd.data.unitId);
    case 'RecordReceipt':
      // The office enters a paper delivery; the unit's own handler may record its receipt too.
      return has('office') ? ALLOW : handlerOf(cmd.data.unitId);
    case 'RecordContact':
      return handlerOf(cmd.data.unitId, 'lead');
    case 'SubmitCoOpinion':
      return handlerOf(cmd.data.unitId, 'co');
    case 'ReturnCoOpinion': {
      // The lead unit's handler returns a co-unit's opinion; the path names the co-unit.
      const lead = handling ? handling.units.find((u) => u.role === 'lead' && ownUnit(u.unitId)) : undefined;
      return lead ? handlerOf(lead.unitId, 'lead') : deny('only a handler of a lead unit may return a co-opinion');
    }
    case 'DraftReply':
    case 'DispatchReply':
      return handlerOf(cmd.data.unitId, 'lead');
    case 'FulfilCommitment': {
      const commitment = handling?.commitments[cmd.data.commitmentId];
      if (!commitment) return has('handler') ? ALLOW : deny('requires the handler role'); // the decider answers "not found"
      const track = handling ? trackOf(handling, commitment.unitId) : undefined;
      const committing = track?.signers.find((u) => ownUnit(u));
      return handlerOf(committing ?? commitment.unitId, 'lead');
    }
    case 'SignReply': {
      if (!has('signer')) return deny('requires the signer role');
      if (!ownUnit(cmd.data.unitId)) return deny(`a signer signs only for its own unit (${actor.unit ?? 'none'})`);
      if (!handling || !isLeadUnit(handling, cmd.data.unitId)) return deny(`${cmd.data.unitId} does not reply on this item`);
      return ALLOW;
    }
    case 'ReviewReply':
    case 'UrgeUnit': {
      if (!has('supervisor')) return deny('requires the supervisor role');
      const supervising = handling?.supervisingUnits ?? [];
      if (supervising.length > 0 && !supervising.includes(actor.unit ?? '')) return deny('the caller does not supervise this item');
      return ALLOW;
    }
    case 'EvaluateReply':
    case 'ReturnCommitmentReceipt':
      return namedProposer();
    case 'MarkDeadlineApproaching':
    case 'MarkDeadlineBreached':
    case 'EscalateDeadline':
      return role('system');
    default:
      return assertNever(cmd, 'command');
  }
}

/** Whether this caller may back-date (`occurredAt`) a command. */
export function canBackdate(actor: Actor): boolean {
  return actor.roles.some((r) => BACKDATING_ROLES.includes(r));
}

/** Throws `FORBIDDEN` (or `BACKDATING_NOT_ALLOWED`) when the caller may not issue the command. */
export function authorize(cmd: ProposalCommand, state: ProposalState, actor: Actor, options: { backdated?: boolean } = {}): void {
  const decision = canIssue(cmd, state, actor);
  if (!decision.allowed) throw new DomainError('FORBIDDEN', decision.reason ?? 'not allowed', { command: cmd.type });
  if (options.backdated && !canBackdate(actor)) {
    throw new DomainError('BACKDATING_NOT_ALLOWED', 'Only the office and handlers may record when a paper step happened', { command: cmd.type });
  }
}
