import { periodEnd } from '../periods/period';
import { type RuleSet, sourceText, STEP_NAMES, type StepName } from '../rule-sets/rule-set';
import { compareInstants, type Instant, isCalendarDate, shanghaiDate, startOfShanghaiDay } from '../shared/calendar-date';
import { refuse } from '../shared/domain-error';
import { calendarFor, cancelDeadlines, DeadlinePlanner, meetDeadlines, scheduleFor } from './deadline-schedule';
import { type CommandOf } from './proposal.commands';
import { ASSIGNMENT_MODES, type AssignmentMode, event, type ProposalEvent } from './proposal.events';
import { type Deadline, type ExistingProposal, type HandlingProposal, sameMembers } from './proposal.state';
import { pendingRequest, assignedUnit, text, optionalText, oneOf, units } from './decider.guards';
import type { DecisionContext } from './decision-context';

/* Assignment (交办), acknowledgement (签收) and adjustment (申请调整): who handles the item. */

export function assign(cmd: CommandOf<'AssignProposal'>, state: ExistingProposal, at: Instant, context: DecisionContext): ProposalEvent[] {
  if (state.status !== 'accepted') {
    refuse('INVALID_TRANSITION', state.status === 'submitted' ? 'Register the item before assigning it' : `The item is already ${state.status}`, {
      status: state.status,
    });
  }
  const d = cmd.data;
  const mode = oneOf(d.mode, 'mode', ASSIGNMENT_MODES);
  const { leadUnits, coUnits } = unitLists(mode, d.leadUnits, d.coUnits ?? []);
  const ruleSetId = d.ruleSet ?? context.defaultRuleSet;
  if (!ruleSetId) refuse('RULE_SET_NOT_FOUND', 'No rule set named and no default configured', { field: 'ruleSet' });
  const ruleSet = context.ruleSets.get(ruleSetId);
  if (!ruleSet) refuse('RULE_SET_NOT_FOUND', `Unknown rule set ${ruleSetId}`, { ruleSet: ruleSetId, known: context.ruleSets.ids() });
  if (!ruleSet.kinds.includes(state.kind)) {
    refuse('RULE_SET_KIND_MISMATCH', `Rule set ${ruleSet.id} does not govern ${state.kind} items`, { ruleSet: ruleSet.id, kind: state.kind });
  }
  const supervisingUnits = units(d.supervisingUnits ?? [], 'supervisingUnits', 0);
  if (d.complex !== undefined && typeof d.complex !== 'boolean') refuse('VALIDATION_FAILED', 'complex must be true or false', { field: 'complex' });
  const complex = d.complex === true;
  if (complex) complexPath(ruleSet);
  const planner = new DeadlinePlanner(state, ruleSet, context.calendar);
  return [
    event('ProposalAssigned', {
      mode,
      leadUnits,
      coUnits,
      key: d.key === true,
      supervisingUnits,
      ...optionalText(d.leadingOfficial, 'leadingOfficial'),
      ruleSet,
      calendarId: planner.calendar.id,
      ...(complex ? { complex } : {}),
    }),
    ...unitDeadlines(planner, leadUnits, coUnits, at, () => true),
    ...replyingUnits(mode, leadUnits).flatMap((u) => planner.forReply(at, u, complex)),
  ];
}

/**
 * How the rule set treats a complex item (涉及面广、处理难度大): a reply period of its own, or the
 * extension path (with the consent the text asks for). Refused where the text gives neither.
 */
function complexPath(ruleSet: RuleSet): 'complex-period' | 'extension' {
  if (ruleSet.complexReply) return 'complex-period';
  if (ruleSet.extension) return 'extension';
  return refuse('COMPLEX_NOT_PROVIDED', `Rule set ${ruleSet.id} gives complex items no reply period of their own and allows no extension`, { ruleSet: ruleSet.id });
}

/**
 * The office finds the item complex after assignment, with its reason. Where the rule set has a
 * complex period, the open first-round reply deadlines move to it, counted from their own start; where
 * it has the extension path instead, the flag is recorded and the extension (with its consent) follows.
 */
export function declareComplex(cmd: CommandOf<'DeclareComplex'>, state: HandlingProposal, context: DecisionContext): ProposalEvent[] {
  const reason = text(cmd.data.reason, 'reason');
  const h = state.handling;
  if (h.complex) return [];
  const ruleSet = h.ruleSet;
  const declared = event('ComplexityDeclared', { reason });
  if (complexPath(ruleSet) === 'extension') return [declared];
  const replies = Object.values(state.deadlines).filter((d) => d.kind === 'reply' && d.state !== 'cancelled');
  const open = replies.filter((d) => d.state === 'open');
  if (replies.length > 0 && open.length === 0) {
    refuse('DEADLINE_NOT_OPEN', 'The reply period is no longer open (met or breached): it cannot become the complex period', {
      deadlines: replies.map((d) => ({ deadlineId: d.id, state: d.state })),
    });
  }
  const calendar = calendarFor(ruleSet, context.calendar);
  const moved = open.flatMap((d) => {
    const end = periodEnd(d.startDate, ruleSet.complexReply!, calendar);
    if (end.dueDate <= d.dueDate) return [];
    return [event('DeadlineExtended', { deadlineId: d.id, previousDueDate: d.dueDate, reason: `complex item (${sourceText(ruleSet.complexReply!.source)}): ${reason}`, ...scheduleFor(end, ruleSet, calendar) })];
  });
  return [declared, ...moved];
}

/**
 * A unit's receipt (收到) recorded later than its assignment (a paper delivery). Through Banli a unit
 * receives the item the moment it is assigned; the steps the rule set counts from receipt then run
 * again from the day recorded: each still pending and never extended is cancelled and set anew.
 */
export function recordReceipt(cmd: CommandOf<'RecordReceipt'>, state: HandlingProposal, at: Instant, context: DecisionContext): ProposalEvent[] {
  const h = state.handling;
  const unitId = assignedUnit(h, cmd.data.unitId);
  const receivedOn = cmd.data.receivedOn;
  if (!isCalendarDate(receivedOn)) refuse('VALIDATION_FAILED', 'receivedOn must be a date YYYY-MM-DD', { field: 'receivedOn' });
  const unit = h.units.find((u) => u.unitId === unitId)!;
  if (unit.receivedOn !== undefined) {
    if (unit.receivedOn === receivedOn) return [];
    refuse('RECEIPT_ALREADY_RECORDED', `${unitId} received the item on ${unit.receivedOn}`, { unitId, receivedOn: unit.receivedOn });
  }
  const assignedOn = shanghaiDate(unit.assignedAt);
  if (receivedOn < assignedOn) refuse('VALIDATION_FAILED', `receivedOn must not be before the assignment (${assignedOn})`, { field: 'receivedOn', assignedOn });
  if (receivedOn > shanghaiDate(at)) refuse('OCCURRED_IN_FUTURE', `receivedOn ${receivedOn} is after the day of the step (${shanghaiDate(at)})`, { field: 'receivedOn' });
  const recorded = event('AssignmentReceived', { unitId, receivedOn });
  if (receivedOn === assignedOn) return [recorded];
  const fromReceipt = (kind: string): kind is StepName => (STEP_NAMES as string[]).includes(kind) && h.ruleSet.steps[kind as StepName]?.from === 'AssignmentReceived';
  // A breach already recorded stands (as for any step dated before it): only open deadlines are re-timed.
  const retimed = (d: Deadline) => d.state === 'open' && d.unitId === unitId && fromReceipt(d.kind) && d.extensions === 0 && (d.kind !== 'reply' || h.round === 1);
  const planner = new DeadlinePlanner(state, h.ruleSet, context.calendar);
  const received = startOfShanghaiDay(receivedOn);
  const cancelled = cancelDeadlines(state, `counted from receipt (收到) on ${receivedOn}`, retimed);
  const again = cancelled.flatMap(({ data }) => {
    const kind = state.deadlines[data.deadlineId].kind;
    return kind === 'reply' ? planner.forReply(received, unitId, h.complex !== undefined) : planner.forStep(kind as StepName, kind, received, unitId);
  });
  return [recorded, ...cancelled, ...again];
}

function unitLists(mode: AssignmentMode, lead: unknown, co: unknown): { leadUnits: string[]; coUnits: string[] } {
  const leadUnits = units(lead, 'leadUnits', 1);
  const coUnits = units(co, 'coUnits', 0);
  if (mode === 'lead-with-co' && leadUnits.length !== 1) refuse('INVALID_ASSIGNMENT', 'lead-with-co takes exactly one lead unit', { field: 'leadUnits' });
  if (mode === 'joint' && leadUnits.length < 2) refuse('INVALID_ASSIGNMENT', 'joint handling takes two or more lead units', { field: 'leadUnits' });
  if (mode === 'separate' && coUnits.length > 0) {
    refuse('INVALID_ASSIGNMENT', 'in separate handling every unit replies for its part: name them all as lead units', { field: 'coUnits' });
  }
  if (coUnits.some((u) => leadUnits.includes(u))) refuse('INVALID_ASSIGNMENT', 'a unit cannot be both lead and co-unit', { field: 'coUnits' });
  return { leadUnits, coUnits };
}

/** The deadlines each newly assigned unit owes, counted from the (re-)assignment; replies are timed per track. */
function unitDeadlines(planner: DeadlinePlanner, leadUnits: string[], coUnits: string[], at: Instant, include: (unitId: string) => boolean): ProposalEvent[] {
  return [
    ...[...leadUnits, ...coUnits].filter(include).flatMap((u) => planner.forStep('adjustment-window', 'adjustment-window', at, u)),
    ...leadUnits.filter(include).flatMap((u) => planner.forStep('first-contact', 'first-contact', at, u)),
    ...coUnits.filter(include).flatMap((u) => planner.forStep('co-opinion', 'co-opinion', at, u)),
  ];
}

/** The units that reply: each lead unit in separate mode, otherwise the first lead unit for all. */
function replyingUnits(mode: AssignmentMode, leadUnits: readonly string[]): string[] {
  return mode === 'separate' ? [...leadUnits] : [leadUnits[0]];
}

export function acknowledge(cmd: CommandOf<'AcknowledgeAssignment'>, state: HandlingProposal, at: Instant): ProposalEvent[] {
  const unitId = assignedUnit(state.handling, cmd.data.unitId);
  const unit = state.handling.units.find((u) => u.unitId === unitId)!;
  if (unit.acknowledged) return [];
  if (pendingRequest(state.handling, unitId)) refuse('ADJUSTMENT_PENDING', `${unitId} has an adjustment request awaiting the office`, { unitId });
  return [
    event('AssignmentAcknowledged', { unitId }),
    ...meetDeadlines(state, at, (d) => d.kind === 'adjustment-window' && d.unitId === unitId),
  ];
}

export function requestAdjustment(cmd: CommandOf<'RequestAdjustment'>, state: HandlingProposal, at: Instant): ProposalEvent[] {
  const unitId = assignedUnit(state.handling, cmd.data.unitId);
  const reason = text(cmd.data.reason, 'reason');
  const pending = pendingRequest(state.handling, unitId);
  if (pending) {
    if (pending.reason === reason) return [];
    refuse('ADJUSTMENT_PENDING', `${unitId} already has an adjustment request awaiting the office`, { unitId, requestId: pending.requestId });
  }
  if (state.handling.units.find((u) => u.unitId === unitId)!.acknowledged) {
    refuse('ALREADY_ACKNOWLEDGED', `${unitId} has acknowledged the item and keeps it`, { unitId });
  }
  const window = adjustmentWindowClosed(state, unitId, at);
  if (window) {
    refuse('ADJUSTMENT_WINDOW_CLOSED', `The adjustment window for ${unitId} closed at ${window.dueAt}; the unit keeps the item`, {
      unitId,
      dueDate: window.dueDate,
    });
  }
  const requestId = `adjustment-${state.handling.adjustmentRequests.length + 1}`;
  return [
    event('AdjustmentRequested', { requestId, unitId, reason }),
    ...meetDeadlines(state, at, (d) => d.kind === 'adjustment-window' && d.unitId === unitId),
  ];
}

/** The unit's adjustment window, once it has closed at `at` (a request or an acknowledgement meets it, and it still closes at its due instant). */
export function adjustmentWindowClosed(state: HandlingProposal, unitId: string, at: Instant): Deadline | undefined {
  const window = Object.values(state.deadlines).find((d) => d.kind === 'adjustment-window' && d.unitId === unitId && d.state !== 'cancelled');
  return window && compareInstants(at, window.dueAt) >= 0 ? window : undefined;
}

export function decideAdjustment(cmd: CommandOf<'DecideAdjustment'>, state: HandlingProposal, at: Instant, context: DecisionContext): ProposalEvent[] {
  const d = cmd.data;
  const request = state.handling.adjustmentRequests.find((r) => r.requestId === d.requestId);
  if (!request) refuse('ADJUSTMENT_NOT_FOUND', `No adjustment request ${d.requestId}`, { requestId: d.requestId });
  if (typeof d.approved !== 'boolean') refuse('VALIDATION_FAILED', 'approved must be true or false', { field: 'approved' });
  if (request.decision) {
    if (request.decision.approved === d.approved) return [];
    refuse('ADJUSTMENT_ALREADY_DECIDED', `Request ${request.requestId} was already ${request.decision.approved ? 'approved' : 'refused'}`, {
      requestId: request.requestId,
    });
  }
  if (!d.approved) return [event('AdjustmentRefused', { requestId: request.requestId, ...optionalText(d.reason, 'reason') })];

  const h = state.handling;
  const { leadUnits, coUnits } = unitLists(h.mode, d.leadUnits, d.coUnits ?? []);
  const roleOf = (unitId: string): 'lead' | 'co' | undefined => (leadUnits.includes(unitId) ? 'lead' : coUnits.includes(unitId) ? 'co' : undefined);
  const previousRole = (unitId: string) => h.units.find((u) => u.unitId === unitId)?.role;
  const changed = (unitId: string) => roleOf(unitId) !== previousRole(unitId);
  const newTrackKeys = replyingUnits(h.mode, leadUnits);
  const trackKept = (unitId: string) => {
    const track = h.tracks[unitId];
    return track !== undefined && newTrackKeys.includes(unitId) && (h.mode === 'separate' || sameMembers(track.signers, leadUnits));
  };

  const cancelled = cancelDeadlines(state, `re-assigned by adjustment ${request.requestId}`, (dl) => {
    if (dl.unitId === undefined || dl.kind === 'commitment') return false;
    if (dl.kind === 'reply' || dl.kind === 'rehandling-reply') return !trackKept(dl.unitId);
    return changed(dl.unitId);
  });
  const planner = new DeadlinePlanner(state, h.ruleSet, context.calendar);
  const newUnitDeadlines = unitDeadlines(planner, leadUnits, coUnits, at, changed);
  const newReplyDeadlines = newTrackKeys
    .filter((unitId) => !trackKept(unitId))
    .flatMap((unitId) => (h.round > 1 ? planner.forStep('rehandling-reply', 'rehandling-reply', at, unitId) : planner.forReply(at, unitId, h.complex !== undefined)));
  return [
    event('AdjustmentApproved', { requestId: request.requestId, ...optionalText(d.reason, 'reason'), leadUnits, coUnits }),
    ...cancelled,
    ...newUnitDeadlines,
    ...newReplyDeadlines,
  ];
}
