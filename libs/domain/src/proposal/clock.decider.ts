import { compareInstants, type Instant } from '../shared/calendar-date';
import { refuse } from '../shared/domain-error';
import { type CommandOf } from './proposal.commands';
import { event, type ProposalEvent } from './proposal.events';
import { type ExistingProposal, handlingOf } from './proposal.state';
import { deadline } from './decider.guards';

/* The clock: deadlines approaching, breached and escalated, as the scheduler records them. */


export function markApproaching(cmd: CommandOf<'MarkDeadlineApproaching'>, state: ExistingProposal, now: Instant): ProposalEvent[] {
  const d = deadline(state, cmd.data.deadlineId);
  if (d.state !== 'open' || d.approachingAt !== undefined || d.warnAt === undefined) return [];
  if (compareInstants(now, d.warnAt) < 0) refuse('DEADLINE_NOT_DUE', `${d.id} starts approaching at ${d.warnAt}`, { warnAt: d.warnAt });
  return [event('DeadlineApproaching', { deadlineId: d.id, dueAt: d.dueAt })];
}

export function markBreached(cmd: CommandOf<'MarkDeadlineBreached'>, state: ExistingProposal, now: Instant): ProposalEvent[] {
  const d = deadline(state, cmd.data.deadlineId);
  if (d.state !== 'open') return [];
  if (compareInstants(now, d.dueAt) < 0) refuse('DEADLINE_NOT_DUE', `${d.id} falls due at ${d.dueAt}`, { dueAt: d.dueAt });
  return [event('DeadlineBreached', { deadlineId: d.id, dueAt: d.dueAt })];
}

export function escalate(cmd: CommandOf<'EscalateDeadline'>, state: ExistingProposal, now: Instant): ProposalEvent[] {
  const d = deadline(state, cmd.data.deadlineId);
  const point = d.escalations.find((e) => e.rung === cmd.data.rung);
  if (!point) refuse('ESCALATION_RUNG_NOT_FOUND', `${d.id} has no escalation rung ${cmd.data.rung}`, { rungs: d.escalations.map((e) => e.rung) });
  if (d.state === 'met' || d.state === 'cancelled' || d.escalatedRungs.includes(point.rung)) return [];
  if (d.state !== 'breached') refuse('INVALID_TRANSITION', `Record the breach of ${d.id} before escalating it`, { deadlineId: d.id });
  if (compareInstants(now, point.at) < 0) refuse('DEADLINE_NOT_DUE', `Rung ${point.rung} of ${d.id} is due at ${point.at}`, { at: point.at });
  const handling = handlingOf(state);
  const recipients =
    point.to === 'supervising-units'
      ? [...(handling?.supervisingUnits ?? [])]
      : point.to === 'leading-official'
        ? handling?.leadingOfficial === undefined
          ? []
          : [handling.leadingOfficial]
        : ['assigning-office'];
  return [event('Escalated', { deadlineId: d.id, rung: point.rung, to: point.to, recipients })];
}
