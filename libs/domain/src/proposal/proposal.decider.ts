import type { DecisionContext } from './decision-context';
import { compareInstants, type Instant, normaliseInstant } from '../shared/calendar-date';
import { assertNever, refuse } from '../shared/domain-error';
import { DEADLINE_COMMAND_TYPES, type ProposalCommand } from './proposal.commands';
import { type ProposalEvent } from './proposal.events';
import { type ProposalState } from './proposal.state';
import { submit, register, absorb, withdraw } from './registration.decider';
import { assign, acknowledge, declareComplex, recordReceipt, requestAdjustment, decideAdjustment } from './assignment.decider';
import { recordContact, submitCoOpinion, returnCoOpinion, draftReply, signReply, reviewReply, dispatchReply } from './handling.decider';
import { evaluateReply, orderRehandling, extendDeadline, confirmOnTime, fulfilCommitment, returnCommitmentReceipt, urge, close, publish } from './follow-up.decider';
import { markApproaching, markBreached, escalate } from './clock.decider';
import { existing, handlingState } from './decider.guards';

export type { DecisionContext } from './decision-context';

/**
 * Decides what a command means for one item: the events to record, `[]` when it changes nothing
 * (a repeat), or a `DomainError` with a stable code. Pure: time, ids and calendar come from `context`.
 * Who may issue the command is the access policy's question (`authorize`), asked before this.
 */
export function decide(cmd: ProposalCommand, state: ProposalState, context: DecisionContext): ProposalEvent[] {
  const at = resolveOccurredAt(cmd, state, context);
  switch (cmd.type) {
    case 'SubmitProposal':
      return submit(cmd, state, at);
    case 'RegisterProposal':
      return register(cmd, existing(state));
    case 'AbsorbMergedProposal':
      return absorb(cmd, existing(state));
    case 'WithdrawProposal':
      return withdraw(cmd, existing(state), context);
    case 'AssignProposal':
      return assign(cmd, existing(state), at, context);
    case 'DeclareComplex':
      return declareComplex(cmd, handlingState(state, cmd.type), context);
    case 'RecordReceipt':
      return recordReceipt(cmd, handlingState(state, cmd.type), at, context);
    case 'AcknowledgeAssignment':
      return acknowledge(cmd, handlingState(state, cmd.type), at);
    case 'RequestAdjustment':
      return requestAdjustment(cmd, handlingState(state, cmd.type), at);
    case 'DecideAdjustment':
      return decideAdjustment(cmd, handlingState(state, cmd.type), at, context);
    case 'RecordContact':
      return recordContact(cmd, handlingState(state, cmd.type), at);
    case 'SubmitCoOpinion':
      return submitCoOpinion(cmd, handlingState(state, cmd.type), at);
    case 'ReturnCoOpinion':
      return returnCoOpinion(cmd, handlingState(state, cmd.type), at, context);
    case 'DraftReply':
      return draftReply(cmd, handlingState(state, cmd.type));
    case 'SignReply':
      return signReply(cmd, handlingState(state, cmd.type), context.actor);
    case 'ReviewReply':
      return reviewReply(cmd, handlingState(state, cmd.type));
    case 'DispatchReply':
      return dispatchReply(cmd, handlingState(state, cmd.type), at, context);
    case 'EvaluateReply':
      return evaluateReply(cmd, handlingState(state, cmd.type), at, context.actor);
    case 'OrderRehandling':
      return orderRehandling(cmd, handlingState(state, cmd.type), at, context);
    case 'ExtendDeadline':
      return extendDeadline(cmd, handlingState(state, cmd.type), context);
    case 'ConfirmDeadlineMetOnTime':
      return confirmOnTime(cmd, existing(state));
    case 'FulfilCommitment':
      return fulfilCommitment(cmd, existing(state), at, context);
    case 'ReturnCommitmentReceipt':
      return returnCommitmentReceipt(cmd, existing(state), at, context.actor);
    case 'UrgeUnit':
      return urge(cmd, handlingState(state, cmd.type));
    case 'CloseProposal':
      return close(existing(state), context.now);
    case 'PublishReply':
      return publish(cmd, existing(state), at);
    case 'MarkDeadlineApproaching':
      return markApproaching(cmd, existing(state), context.now);
    case 'MarkDeadlineBreached':
      return markBreached(cmd, existing(state), context.now);
    case 'EscalateDeadline':
      return escalate(cmd, existing(state), context.now);
    default:
      return assertNever(cmd, 'command');
  }
}

/* ---------- time ---------- */

function resolveOccurredAt(cmd: ProposalCommand, state: ProposalState, context: DecisionContext): Instant {
  const now = normaliseInstant(context.now);
  if (context.occurredAt === undefined) return now;
  if (Number.isNaN(Date.parse(context.occurredAt))) {
    refuse('VALIDATION_FAILED', 'occurredAt is not an instant', { field: 'occurredAt' });
  }
  const at = normaliseInstant(context.occurredAt);
  if (compareInstants(at, now) > 0) refuse('OCCURRED_IN_FUTURE', `occurredAt ${at} is after now (${now})`, { occurredAt: at, now });
  const isClockCommand = (DEADLINE_COMMAND_TYPES as readonly string[]).includes(cmd.type);
  if (!isClockCommand && state.status !== 'empty' && compareInstants(at, state.lastStepAt) < 0) {
    refuse('OCCURRED_BEFORE_PREVIOUS_STEP', `occurredAt ${at} is before the previous step (${state.lastStepAt})`, {
      occurredAt: at,
      previousStepAt: state.lastStepAt,
    });
  }
  return at;
}
