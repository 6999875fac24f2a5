import type { WorkingDayCalendar } from '../calendar/working-day-calendar.port';
import { periodEnd } from '../periods/period';
import { PROPOSAL_KINDS, RESULT_CLASSES, type RuleSetCatalog } from '../rule-sets/rule-set';
import type { Actor } from '../shared/actor';
import { compareInstants, type Instant, isCalendarDate, normaliseInstant } from '../shared/calendar-date';
import { assertNever, refuse } from '../shared/domain-error';
import { publicVersion } from '../disclosure/public-text';
import { calendarFor, cancelDeadlines, DeadlinePlanner, meetDeadlines, scheduleFor } from './deadline-schedule';
import { type CommandOf, DEADLINE_COMMAND_TYPES, type ProposalCommand } from './proposal.commands';
import {
  ASSIGNMENT_MODES,
  type AssignmentMode,
  CONTACT_CHANNELS,
  CONTACT_STAGES,
  event,
  type ProposalEvent,
  type Proposer,
  SATISFACTIONS,
} from './proposal.events';
import {
  type ExistingProposal,
  evaluationComplete,
  type Handling,
  type HandlingProposal,
  handlingOf,
  isAssignedUnit,
  isCoUnit,
  isHandling,
  isLeadUnit,
  type ProposalState,
  type ReplyTrack,
  sameMembers,
  trackOf,
} from './proposal.state';

export interface DecisionContext {
  /** The system clock when the command arrived. */
  readonly now: Instant;
  readonly actor: Actor;
  /** When a paper step really happened, if the caller back-dates it; defaults to `now`. */
  readonly occurredAt?: Instant;
  readonly calendar: WorkingDayCalendar;
  readonly ruleSets: RuleSetCatalog;
  /** The rule set an assignment gets when it names none (`BANLI_RULE_SET`). */
  readonly defaultRuleSet?: string;
}

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
      return withdraw(cmd, existing(state), context.actor);
    case 'AssignProposal':
      return assign(cmd, existing(state), at, context);
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
      return fulfilCommitment(cmd, existing(state), at);
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

/* ---------- registration ---------- */

function submit(cmd: CommandOf<'SubmitProposal'>, state: ProposalState, at: Instant): ProposalEvent[] {
  const d = cmd.data;
  const data = {
    proposalId: text(d.proposalId, 'proposalId'),
    kind: oneOf(d.kind, 'kind', PROPOSAL_KINDS),
    session: text(d.session, 'session'),
    number: text(d.number, 'number'),
    title: text(d.title, 'title'),
    body: text(d.body, 'body'),
    proposers: proposers(d.proposers),
    submittedAt: at,
  };
  if (state.status !== 'empty') {
    const same =
      state.id === data.proposalId &&
      state.kind === data.kind &&
      state.session === data.session &&
      state.number === data.number &&
      state.title === data.title &&
      state.body === data.body &&
      sameValue(state.proposers.filter((p) => !p.mergedFrom), data.proposers);
    if (same) return [];
    refuse('PROPOSAL_EXISTS', `Proposal ${state.id} already exists`, { proposalId: state.id });
  }
  return [event('ProposalSubmitted', data)];
}

function proposers(value: unknown): Proposer[] {
  if (!Array.isArray(value) || value.length === 0) refuse('VALIDATION_FAILED', 'proposers must be a non-empty list', { field: 'proposers' });
  const list = value.map((p, i) => {
    if (typeof p !== 'object' || p === null) refuse('VALIDATION_FAILED', `proposers[${i}] must be an object`, { field: `proposers[${i}]` });
    const entry = p as Record<string, unknown>;
    if (typeof entry.lead !== 'boolean') refuse('VALIDATION_FAILED', `proposers[${i}].lead must be true or false`, { field: `proposers[${i}].lead` });
    return {
      id: text(entry.id, `proposers[${i}].id`),
      name: text(entry.name, `proposers[${i}].name`),
      lead: entry.lead,
      ...(entry.phone === undefined ? {} : { phone: text(entry.phone, `proposers[${i}].phone`) }),
    };
  });
  if (list.filter((p) => p.lead).length !== 1) refuse('VALIDATION_FAILED', 'exactly one proposer must be the lead (领衔)', { field: 'proposers' });
  if (new Set(list.map((p) => p.id)).size !== list.length) refuse('VALIDATION_FAILED', 'proposer ids must be distinct', { field: 'proposers' });
  return list;
}

function register(cmd: CommandOf<'RegisterProposal'>, state: ExistingProposal): ProposalEvent[] {
  const { decision } = cmd.data;
  oneOf(decision, 'decision', ['accepted', 'rejected', 'merged'] as const);
  const repeated =
    (decision === 'accepted' && state.status !== 'submitted' && state.status !== 'rejected' && state.status !== 'merged' && state.status !== 'withdrawn') ||
    (decision === 'rejected' && state.status === 'rejected') ||
    (decision === 'merged' && state.status === 'merged' && state.mergedInto === cmd.data.mergedInto);
  if (repeated) return [];
  if (state.status !== 'submitted') {
    refuse('INVALID_TRANSITION', `Registration was already decided (status ${state.status})`, { status: state.status });
  }
  switch (decision) {
    case 'accepted':
      return [event('ProposalAccepted', {})];
    case 'rejected':
      return [event('ProposalRejected', { reason: text(cmd.data.reason, 'reason') })];
    case 'merged': {
      const mergedInto = text(cmd.data.mergedInto, 'mergedInto');
      if (mergedInto === state.id) refuse('VALIDATION_FAILED', 'an item cannot be merged into itself', { field: 'mergedInto' });
      return [event('ProposalMerged', { mergedInto, ...optionalText(cmd.data.reason, 'reason') })];
    }
    default:
      return assertNever(decision, 'registration decision');
  }
}

function absorb(cmd: CommandOf<'AbsorbMergedProposal'>, state: ExistingProposal): ProposalEvent[] {
  const source = text(cmd.data.sourceProposalId, 'sourceProposalId');
  if (state.mergedProposals.includes(source)) return [];
  if (source === state.id) refuse('VALIDATION_FAILED', 'an item cannot absorb itself', { field: 'sourceProposalId' });
  if (['rejected', 'merged', 'withdrawn', 'closed'].includes(state.status)) {
    refuse('INVALID_TRANSITION', `A ${state.status} item cannot take in a merged one`, { status: state.status });
  }
  const incoming = proposers(cmd.data.proposers);
  return [
    event('MergedProposalAbsorbed', {
      sourceProposalId: source,
      proposers: incoming.map((p) => ({ id: p.id, name: p.name, lead: false, mergedFrom: source, ...(p.lead ? { leadOfMerged: true } : {}) })),
    }),
  ];
}

function withdraw(cmd: CommandOf<'WithdrawProposal'>, state: ExistingProposal, actor: Actor): ProposalEvent[] {
  if (state.status === 'withdrawn') return [];
  if (['rejected', 'merged', 'closed'].includes(state.status)) {
    refuse('INVALID_TRANSITION', `A ${state.status} item cannot be withdrawn`, { status: state.status });
  }
  const reason = text(cmd.data.reason, 'reason');
  return [
    event('ProposalWithdrawn', { reason, proposerId: actor.id }),
    ...cancelDeadlines(state, 'withdrawn', () => true),
  ];
}

/* ---------- assignment ---------- */

function assign(cmd: CommandOf<'AssignProposal'>, state: ExistingProposal, at: Instant, context: DecisionContext): ProposalEvent[] {
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
    }),
    ...unitDeadlines(planner, leadUnits, coUnits, at, () => true),
    ...replyingUnits(mode, leadUnits).flatMap((u) => planner.forStep('reply', 'reply', at, u)),
  ];
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

function acknowledge(cmd: CommandOf<'AcknowledgeAssignment'>, state: HandlingProposal, at: Instant): ProposalEvent[] {
  const unitId = assignedUnit(state.handling, cmd.data.unitId);
  const unit = state.handling.units.find((u) => u.unitId === unitId)!;
  if (unit.acknowledged) return [];
  if (pendingRequest(state.handling, unitId)) refuse('ADJUSTMENT_PENDING', `${unitId} has an adjustment request awaiting the office`, { unitId });
  return [
    event('AssignmentAcknowledged', { unitId }),
    ...meetDeadlines(state, at, (d) => d.kind === 'adjustment-window' && d.unitId === unitId),
  ];
}

function requestAdjustment(cmd: CommandOf<'RequestAdjustment'>, state: HandlingProposal, at: Instant): ProposalEvent[] {
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
  const window = Object.values(state.deadlines).find((d) => d.kind === 'adjustment-window' && d.unitId === unitId && d.state !== 'cancelled');
  if (window && compareInstants(at, window.dueAt) >= 0) {
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

function decideAdjustment(cmd: CommandOf<'DecideAdjustment'>, state: HandlingProposal, at: Instant, context: DecisionContext): ProposalEvent[] {
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
    .flatMap((unitId) => planner.forStep(h.round > 1 ? 'rehandling-reply' : 'reply', h.round > 1 ? 'rehandling-reply' : 'reply', at, unitId));
  return [
    event('AdjustmentApproved', { requestId: request.requestId, ...optionalText(d.reason, 'reason'), leadUnits, coUnits }),
    ...cancelled,
    ...newUnitDeadlines,
    ...newReplyDeadlines,
  ];
}

/* ---------- handling ---------- */

function recordContact(cmd: CommandOf<'RecordContact'>, state: HandlingProposal, at: Instant): ProposalEvent[] {
  const unitId = leadUnit(state.handling, cmd.data.unitId);
  return [
    event('ProposerContacted', {
      unitId,
      stage: oneOf(cmd.data.stage, 'stage', CONTACT_STAGES),
      channel: oneOf(cmd.data.channel, 'channel', CONTACT_CHANNELS),
      summary: text(cmd.data.summary, 'summary'),
    }),
    ...meetDeadlines(state, at, (d) => d.kind === 'first-contact' && d.unitId === unitId),
  ];
}

function submitCoOpinion(cmd: CommandOf<'SubmitCoOpinion'>, state: HandlingProposal, at: Instant): ProposalEvent[] {
  const unitId = coUnit(state.handling, cmd.data.unitId);
  const content = text(cmd.data.content, 'content');
  const current = state.handling.coOpinions[unitId];
  if (current?.state === 'submitted' && current.content === content) return [];
  const leadTrack = Object.values(state.handling.tracks)[0];
  if (leadTrack.signatures.length > 0 || leadTrack.stage === 'dispatched') {
    refuse('REPLY_ALREADY_SIGNED', 'The lead reply is already signed; a co-opinion can no longer change it', { unitId });
  }
  return [
    event('CoOpinionSubmitted', { unitId, leadUnit: leadTrack.unitId, content }),
    ...meetDeadlines(state, at, (d) => d.kind === 'co-opinion' && d.unitId === unitId),
  ];
}

function returnCoOpinion(cmd: CommandOf<'ReturnCoOpinion'>, state: HandlingProposal, at: Instant, context: DecisionContext): ProposalEvent[] {
  const unitId = coUnit(state.handling, cmd.data.unitId);
  const reason = text(cmd.data.reason, 'reason');
  const opinion = state.handling.coOpinions[unitId];
  if (opinion?.state !== 'submitted') refuse('CO_OPINION_NOT_SUBMITTED', `${unitId} has no submitted co-opinion to return`, { unitId });
  const leadTrack = Object.values(state.handling.tracks)[0];
  if (leadTrack.signatures.length > 0 || leadTrack.stage === 'dispatched') {
    refuse('REPLY_ALREADY_SIGNED', 'The lead reply is already signed', { unitId });
  }
  const planner = new DeadlinePlanner(state, state.handling.ruleSet, context.calendar);
  return [event('CoOpinionReturned', { unitId, reason }), ...planner.forStep('co-opinion-resubmission', 'co-opinion', at, unitId)];
}

/* ---------- the reply ---------- */

function draftReply(cmd: CommandOf<'DraftReply'>, state: HandlingProposal): ProposalEvent[] {
  const d = cmd.data;
  const track = replyTrack(state.handling, d.unitId);
  const resultClass = oneOf(d.resultClass, 'resultClass', RESULT_CLASSES);
  if (!state.handling.ruleSet.resultClasses.includes(resultClass)) {
    refuse('RESULT_CLASS_NOT_ALLOWED', `Rule set ${state.handling.ruleSet.id} uses classes ${state.handling.ruleSet.resultClasses.join('/')}`, {
      resultClass,
    });
  }
  if (typeof d.disclose !== 'boolean') refuse('VALIDATION_FAILED', 'disclose must be true or false', { field: 'disclose' });
  const commitments = (d.commitments ?? []).map((c, i) => {
    if (!isCalendarDate(c?.dueDate)) refuse('VALIDATION_FAILED', `commitments[${i}].dueDate must be YYYY-MM-DD`, { field: `commitments[${i}].dueDate` });
    return {
      commitmentId: `${track.unitId}-r${track.round}-c${i + 1}`,
      description: text(c.description, `commitments[${i}].description`),
      dueDate: c.dueDate,
    };
  });
  const draft = {
    documentNumber: text(d.documentNumber, 'documentNumber'),
    resultClass,
    body: text(d.body, 'body'),
    contact: { name: text(d.contactPerson, 'contactPerson'), phone: text(d.contactPhone, 'contactPhone') },
    cc: (d.cc ?? []).map((entry, i) => text(entry, `cc[${i}]`)),
    disclose: d.disclose,
    commitments,
  };
  if (track.stage === 'dispatched') refuse('REPLY_ALREADY_DISPATCHED', 'The reply has been dispatched', { unitId: track.unitId });
  if (track.signatures.length > 0) {
    if (sameValue(track.draft, draft)) return [];
    refuse('REPLY_ALREADY_SIGNED', 'A signed reply cannot be replaced; ask the supervisor to return it', { unitId: track.unitId });
  }
  if (sameValue(track.draft, draft)) return [];
  const pending = track.signers.map((u) => pendingRequest(state.handling, u)).find(Boolean);
  if (pending) refuse('ADJUSTMENT_PENDING', `${pending.unitId} has an adjustment request awaiting the office`, { unitId: pending.unitId });
  return [event('ReplyDrafted', { unitId: track.unitId, round: track.round, ...draft })];
}

function signReply(cmd: CommandOf<'SignReply'>, state: HandlingProposal, actor: Actor): ProposalEvent[] {
  const track = replyTrack(state.handling, cmd.data.unitId);
  const signerUnit = cmd.data.unitId;
  if (track.stage === 'dispatched') refuse('REPLY_ALREADY_DISPATCHED', 'The reply has been dispatched', { unitId: track.unitId });
  if (!track.draft) refuse('REPLY_NOT_DRAFTED', 'There is no reply draft to sign', { unitId: track.unitId });
  if (track.signatures.includes(signerUnit)) return [];
  const outstanding = Object.values(state.handling.coOpinions).filter((o) => o.state !== 'submitted').map((o) => o.unitId);
  if (outstanding.length > 0) {
    refuse('CO_OPINIONS_PENDING', `Co-opinions outstanding from ${outstanding.join(', ')} (协办未会签)`, { units: outstanding });
  }
  return [
    event('ReplySigned', {
      unitId: track.unitId,
      signerUnit,
      signerId: actor.id,
      ...(actor.name === undefined ? {} : { signerName: actor.name }),
    }),
  ];
}

function reviewReply(cmd: CommandOf<'ReviewReply'>, state: HandlingProposal): ProposalEvent[] {
  const d = cmd.data;
  const track = replyTrack(state.handling, d.unitId);
  if (state.handling.ruleSet.review === 'none') refuse('REVIEW_NOT_APPLICABLE', `Rule set ${state.handling.ruleSet.id} has no supervisory review`);
  if (typeof d.approved !== 'boolean') refuse('VALIDATION_FAILED', 'approved must be true or false', { field: 'approved' });
  if (track.stage === 'dispatched') refuse('REPLY_ALREADY_DISPATCHED', 'The reply has been dispatched', { unitId: track.unitId });
  const current = track.draft?.resultClass;
  const resultClass = d.resultClass === undefined ? current : oneOf(d.resultClass, 'resultClass', RESULT_CLASSES);
  if (track.stage === 'reviewed' && d.approved && resultClass === current) return [];
  if (track.stage !== 'signed' || !track.draft || !current || !resultClass) {
    refuse('REPLY_NOT_SIGNED', 'Only a signed reply can be reviewed', { unitId: track.unitId, stage: track.stage });
  }
  if (!state.handling.ruleSet.resultClasses.includes(resultClass)) refuse('RESULT_CLASS_NOT_ALLOWED', `Class ${resultClass} is not used here`, { resultClass });
  if (!d.approved && (d.comment === undefined || d.comment.trim() === '')) {
    refuse('COMMENT_REQUIRED', 'Say why the reply is returned', { field: 'comment' });
  }
  return [
    event('ReplyReviewed', {
      unitId: track.unitId,
      approved: d.approved,
      ...optionalText(d.comment, 'comment'),
      previousResultClass: current,
      resultClass: d.approved ? resultClass : current,
    }),
  ];
}

function dispatchReply(cmd: CommandOf<'DispatchReply'>, state: HandlingProposal, at: Instant, context: DecisionContext): ProposalEvent[] {
  const track = replyTrack(state.handling, cmd.data.unitId);
  if (track.stage === 'dispatched') return [];
  if (track.stage !== 'signed' && track.stage !== 'reviewed') {
    refuse('REPLY_NOT_SIGNED', 'The reply must be signed before it is dispatched', { unitId: track.unitId, stage: track.stage });
  }
  const ruleSet = state.handling.ruleSet;
  if (ruleSet.review === 'required' && track.stage !== 'reviewed') {
    refuse('REVIEW_REQUIRED', `Rule set ${ruleSet.id} requires a supervising unit to review the reply first (督办审核)`, { unitId: track.unitId });
  }
  const draft = track.draft!;
  const planner = new DeadlinePlanner(state, ruleSet, context.calendar);
  return [
    event('ReplyDispatched', {
      unitId: track.unitId,
      round: track.round,
      resultClass: draft.resultClass,
      recipients: state.proposers.map((p) => p.id),
    }),
    ...meetDeadlines(state, at, (d) => (d.kind === 'reply' || d.kind === 'rehandling-reply') && d.unitId === track.unitId),
    ...planner.forStep('evaluation', 'evaluation', at, track.unitId),
    ...(draft.disclose ? planner.forStep('disclosure', 'disclosure', at, track.unitId) : []),
    ...draft.commitments.map((c) => planner.forDate('commitment', at, c.dueDate, track.unitId, c.commitmentId, `Commitment in reply ${draft.documentNumber}`)),
  ];
}

/* ---------- evaluation, re-handling, closure ---------- */

function evaluateReply(cmd: CommandOf<'EvaluateReply'>, state: HandlingProposal, at: Instant, actor: Actor): ProposalEvent[] {
  const d = cmd.data;
  const tracks = Object.values(state.handling.tracks);
  let track: ReplyTrack;
  if (d.unitId === undefined) {
    if (tracks.length !== 1) refuse('UNIT_REQUIRED', 'This item has several replies: say which unit you are rating', { units: tracks.map((t) => t.unitId) });
    track = tracks[0];
  } else {
    track = replyTrack(state.handling, d.unitId);
  }
  if (track.stage !== 'dispatched') refuse('REPLY_NOT_DISPATCHED', 'There is no dispatched reply to rate yet', { unitId: track.unitId });
  const proposer = state.proposers.find((p) => p.id === actor.id);
  if (!proposer) refuse('VALIDATION_FAILED', 'Only a proposer named on the item can rate it', { proposerId: actor.id });
  const satisfaction = oneOf(d.satisfaction, 'satisfaction', SATISFACTIONS);
  const attitude = d.attitude === undefined ? undefined : oneOf(d.attitude, 'attitude', SATISFACTIONS);
  const result = d.result === undefined ? undefined : oneOf(d.result, 'result', SATISFACTIONS);
  const unsatisfied = [satisfaction, attitude, result].includes('unsatisfied');
  if (unsatisfied && (d.comment === undefined || String(d.comment).trim() === '')) {
    refuse('COMMENT_REQUIRED', 'An unsatisfied rating must give its reasons', { field: 'comment' });
  }
  const rating = {
    satisfaction,
    ...(attitude === undefined ? {} : { attitude }),
    ...(result === undefined ? {} : { result }),
    ...optionalText(d.comment, 'comment'),
  };
  const previous = track.evaluations.find((e) => e.proposerId === proposer.id && e.round === track.round);
  if (previous) {
    const same =
      previous.satisfaction === rating.satisfaction &&
      previous.attitude === rating.attitude &&
      previous.result === rating.result &&
      previous.comment === rating.comment;
    if (same) return [];
    refuse('ALREADY_EVALUATED', 'You have already rated this reply', { unitId: track.unitId, round: track.round });
  }
  const counted = state.handling.ruleSet.evaluation.counts === 'every-proposer' || proposer.lead || proposer.leadOfMerged === true;
  const evaluated = event('ReplyEvaluated', { unitId: track.unitId, round: track.round, proposerId: proposer.id, ...rating, counted });
  const after = { ...track, evaluations: [...track.evaluations, { ...rating, proposerId: proposer.id, round: track.round, counted, at }] };
  return [
    evaluated,
    ...(evaluationComplete(state, state.handling, after)
      ? meetDeadlines(state, at, (dl) => dl.kind === 'evaluation' && dl.unitId === track.unitId)
      : []),
  ];
}

function orderRehandling(cmd: CommandOf<'OrderRehandling'>, state: HandlingProposal, at: Instant, context: DecisionContext): ProposalEvent[] {
  const reason = text(cmd.data.reason, 'reason');
  const h = state.handling;
  const unsatisfiedTracks = Object.values(h.tracks).filter(
    (t) => t.stage === 'dispatched' && t.evaluations.some((e) => e.round === t.round && e.counted && e.satisfaction === 'unsatisfied'),
  );
  const chosen =
    cmd.data.unitIds === undefined
      ? unsatisfiedTracks
      : units(cmd.data.unitIds, 'unitIds', 1).map((u) => {
          const track = replyTrack(h, u);
          if (!unsatisfiedTracks.includes(track)) refuse('NOT_UNSATISFIED', `The reply of ${u} was not rated unsatisfied`, { unitId: u });
          return track;
        });
  if (chosen.length === 0) refuse('NOT_UNSATISFIED', 'No dispatched reply was rated unsatisfied in this round');
  const round = h.round + 1;
  const unitIds = [...new Set(chosen.map((t) => t.unitId))];
  const planner = new DeadlinePlanner(state, h.ruleSet, context.calendar);
  return [
    event('RehandlingOrdered', { round, unitIds, reason }),
    ...cancelDeadlines(state, 'superseded by re-handling', (d) => d.kind === 'evaluation' && unitIds.includes(d.unitId ?? '')),
    ...unitIds.flatMap((u) => planner.forStep('rehandling-reply', 'rehandling-reply', at, u)),
  ];
}

function extendDeadline(cmd: CommandOf<'ExtendDeadline'>, state: HandlingProposal, context: DecisionContext): ProposalEvent[] {
  const d = cmd.data;
  const reason = text(d.reason, 'reason');
  const ruleSet = state.handling.ruleSet;
  const replyDeadlines = Object.values(state.deadlines).filter(
    (dl) => (dl.kind === 'reply' || dl.kind === 'rehandling-reply') && (d.unitId === undefined || dl.unitId === trackOf(state.handling, d.unitId)?.unitId),
  );
  const open = replyDeadlines.filter((dl) => dl.state === 'open');
  if (d.unitId !== undefined && replyDeadlines.length === 0) replyTrack(state.handling, d.unitId);
  if (open.length === 0) refuse('DEADLINE_NOT_OPEN', 'There is no open reply deadline to extend', { unitId: d.unitId });
  if (open.length > 1) refuse('UNIT_REQUIRED', 'Several reply deadlines are open: say which unit', { units: open.map((dl) => dl.unitId) });
  const target = open[0];
  if (!ruleSet.extension) refuse('EXTENSION_NOT_ALLOWED', `Rule set ${ruleSet.id} provides no extension of the reply period`);
  if ((d.until === undefined) === (d.months === undefined)) {
    refuse('VALIDATION_FAILED', 'Give either until (a date) or months', { field: d.until === undefined ? 'until' : 'months' });
  }
  const calendar = calendarFor(ruleSet, context.calendar);
  let end;
  if (d.months !== undefined) {
    if (!Number.isInteger(d.months) || d.months < 1) refuse('VALIDATION_FAILED', 'months must be a whole number ≥ 1', { field: 'months' });
    end = periodEnd(target.dueDate, { duration: d.months, unit: 'months' }, calendar);
  } else {
    if (!isCalendarDate(d.until)) refuse('VALIDATION_FAILED', 'until must be a date YYYY-MM-DD', { field: 'until' });
    end = periodEnd(d.until, { duration: 0, unit: 'days' }, calendar);
  }
  if (end.dueDate <= target.dueDate) {
    refuse('VALIDATION_FAILED', `The new due date must be after ${target.dueDate}`, { field: d.until === undefined ? 'months' : 'until' });
  }
  const limit = periodEnd(target.originalDueDate, ruleSet.extension.max, calendar);
  if (end.dueDate > limit.dueDate) {
    refuse('EXTENSION_EXCEEDS_LIMIT', `${ruleSet.extension.source}: the latest possible due date is ${limit.dueDate}`, {
      latest: limit.dueDate,
    });
  }
  return [
    event('DeadlineExtended', {
      deadlineId: target.id,
      previousDueDate: target.dueDate,
      reason,
      ...scheduleFor(end, ruleSet, calendar),
    }),
  ];
}

/**
 * The office confirms on time a deadline met by a step entered after the system had recorded its breach,
 * dated before it (a paper step entered late), with the reason it saw: nothing else can be confirmed so.
 */
function confirmOnTime(cmd: CommandOf<'ConfirmDeadlineMetOnTime'>, state: ExistingProposal): ProposalEvent[] {
  const target = deadline(state, text(cmd.data.deadlineId, 'deadlineId'));
  const reason = text(cmd.data.reason, 'reason');
  if (target.state === 'met' && target.onTime && target.onTimeConfirmation !== undefined) return [];
  const confirmable = target.state === 'met' && target.onTime === false && target.metAt !== undefined && compareInstants(target.metAt, target.dueAt) <= 0 && target.breachedAt !== undefined;
  if (!confirmable) {
    refuse('NOT_CONFIRMABLE', 'Only a deadline met by a step dated on time, but entered after its breach was recorded, can be confirmed on time', { deadlineId: target.id });
  }
  return [event('DeadlineMetOnTimeConfirmed', { deadlineId: target.id, reason })];
}

function fulfilCommitment(cmd: CommandOf<'FulfilCommitment'>, state: ExistingProposal, at: Instant): ProposalEvent[] {
  const handling = handlingOf(state);
  const commitment = handling?.commitments[cmd.data.commitmentId];
  if (!commitment) refuse('COMMITMENT_NOT_FOUND', `No commitment ${cmd.data.commitmentId}`, { commitmentId: cmd.data.commitmentId });
  if (state.status === 'withdrawn') refuse('INVALID_TRANSITION', 'The item was withdrawn', { status: state.status });
  if (commitment.fulfilled) return [];
  return [
    event('CommitmentFulfilled', { commitmentId: commitment.commitmentId, unitId: commitment.unitId, note: text(cmd.data.note, 'note') }),
    ...meetDeadlines(state, at, (d) => d.kind === 'commitment' && d.commitmentId === commitment.commitmentId),
  ];
}

function urge(cmd: CommandOf<'UrgeUnit'>, state: HandlingProposal): ProposalEvent[] {
  const message = text(cmd.data.message, 'message');
  const unitId = cmd.data.unitId === undefined ? undefined : assignedUnit(state.handling, cmd.data.unitId);
  return [event('Urged', { urgeId: `urge-${state.handling.urges.length + 1}`, ...(unitId === undefined ? {} : { unitId }), message })];
}

function close(state: ExistingProposal, now: Instant): ProposalEvent[] {
  if (state.status === 'closed') return [];
  if (state.status !== 'replied') {
    refuse('INVALID_TRANSITION', `Only an item whose replies are all dispatched can be closed (status ${state.status})`, { status: state.status });
  }
  const waiting = Object.values(state.handling.tracks).filter((track) => {
    if (evaluationComplete(state, state.handling, track)) return false;
    const window = Object.values(state.deadlines).find((d) => d.kind === 'evaluation' && d.unitId === track.unitId && d.state !== 'cancelled' && d.state !== 'met');
    // No answer within the evaluation window: the item closes and is left out of satisfaction figures.
    return !(window && compareInstants(now, window.dueAt) >= 0);
  });
  if (waiting.length > 0) {
    refuse('EVALUATION_PENDING', `The proposers have not yet rated the reply of ${waiting.map((t) => t.unitId).join(', ')}`, {
      units: waiting.map((t) => t.unitId),
    });
  }
  return [
    event('ProposalClosed', {}),
    // Commitments and disclosure are followed up after closure (跟踪落实); everything else ends here.
    ...cancelDeadlines(state, 'closed', (d) => d.kind !== 'commitment' && d.kind !== 'disclosure' && d.state === 'open'),
  ];
}

function publish(cmd: CommandOf<'PublishReply'>, state: ExistingProposal, at: Instant): ProposalEvent[] {
  const handling = handlingOf(state);
  if (!handling || state.status === 'withdrawn') refuse('INVALID_TRANSITION', 'Nothing to publish', { status: state.status });
  const track = replyTrack(handling, cmd.data.unitId);
  if (track.stage !== 'dispatched') refuse('REPLY_NOT_DISPATCHED', 'Only a dispatched reply can be published', { unitId: track.unitId });
  if (!track.draft?.disclose) refuse('NOT_DISCLOSABLE', 'The reply was marked not to be disclosed', { unitId: track.unitId });
  const edited = cmd.data.publicText !== undefined;
  // Published once, the same request again is a repeat; the office may still correct the public text.
  if (track.published && !edited) return [];
  const { text: publicText, found } = publicVersion(edited ? text(cmd.data.publicText, 'publicText') : track.draft.body);
  if (track.published && publicText === track.publicText) return [];
  return [
    event('ReplyPublished', { unitId: track.unitId, round: track.round, publicText, edited, redactions: found.length }),
    ...meetDeadlines(state, at, (d) => d.kind === 'disclosure' && d.unitId === track.unitId),
  ];
}

/* ---------- the clock ---------- */

function deadline(state: ExistingProposal, id: string) {
  const found = state.deadlines[id];
  if (!found) refuse('DEADLINE_NOT_FOUND', `No deadline ${id}`, { deadlineId: id });
  return found;
}

function markApproaching(cmd: CommandOf<'MarkDeadlineApproaching'>, state: ExistingProposal, now: Instant): ProposalEvent[] {
  const d = deadline(state, cmd.data.deadlineId);
  if (d.state !== 'open' || d.approachingAt !== undefined || d.warnAt === undefined) return [];
  if (compareInstants(now, d.warnAt) < 0) refuse('DEADLINE_NOT_DUE', `${d.id} starts approaching at ${d.warnAt}`, { warnAt: d.warnAt });
  return [event('DeadlineApproaching', { deadlineId: d.id, dueAt: d.dueAt })];
}

function markBreached(cmd: CommandOf<'MarkDeadlineBreached'>, state: ExistingProposal, now: Instant): ProposalEvent[] {
  const d = deadline(state, cmd.data.deadlineId);
  if (d.state !== 'open') return [];
  if (compareInstants(now, d.dueAt) < 0) refuse('DEADLINE_NOT_DUE', `${d.id} falls due at ${d.dueAt}`, { dueAt: d.dueAt });
  return [event('DeadlineBreached', { deadlineId: d.id, dueAt: d.dueAt })];
}

function escalate(cmd: CommandOf<'EscalateDeadline'>, state: ExistingProposal, now: Instant): ProposalEvent[] {
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

/* ---------- guards and validation ---------- */

function existing(state: ProposalState): ExistingProposal {
  if (state.status === 'empty') refuse('NOT_FOUND', 'No such proposal');
  return state;
}

function handlingState(state: ProposalState, commandType: string): HandlingProposal {
  const s = existing(state);
  if (!isHandling(s)) {
    refuse('INVALID_TRANSITION', `${commandType} needs an item under handling; this one is ${s.status}`, { status: s.status });
  }
  return s;
}

function pendingRequest(handling: Handling, unitId: string) {
  return handling.adjustmentRequests.find((r) => r.unitId === unitId && !r.decision);
}

function assignedUnit(handling: Handling, unitId: unknown): string {
  const id = text(unitId, 'unitId');
  if (!isAssignedUnit(handling, id)) refuse('UNIT_NOT_ASSIGNED', `${id} is not assigned to this item`, { unitId: id });
  return id;
}

function leadUnit(handling: Handling, unitId: unknown): string {
  const id = assignedUnit(handling, unitId);
  if (!isLeadUnit(handling, id)) refuse('NOT_A_LEAD_UNIT', `${id} is not a lead unit of this item`, { unitId: id });
  return id;
}

function coUnit(handling: Handling, unitId: unknown): string {
  const id = assignedUnit(handling, unitId);
  if (!isCoUnit(handling, id)) refuse('NOT_A_CO_UNIT', `${id} is not a co-handling unit of this item`, { unitId: id });
  return id;
}

function replyTrack(handling: Handling, unitId: unknown): ReplyTrack {
  const id = leadUnit(handling, unitId);
  return trackOf(handling, id)!;
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') refuse('VALIDATION_FAILED', `${field} must be a non-empty string`, { field });
  return value;
}

function optionalText<K extends string>(value: unknown, field: K): { [P in K]?: string } {
  if (value === undefined) return {};
  return { [field]: text(value, field) } as { [P in K]?: string };
}

function oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) refuse('VALIDATION_FAILED', `${field} must be one of ${allowed.join(', ')}`, { field, allowed });
  return value as T;
}

function units(value: unknown, field: string, min: number): string[] {
  if (!Array.isArray(value)) refuse('VALIDATION_FAILED', `${field} must be a list of unit ids`, { field });
  const list = value.map((u, i) => text(u, `${field}[${i}]`));
  if (list.length < min) refuse('INVALID_ASSIGNMENT', `${field} needs at least ${min} unit`, { field });
  if (new Set(list).size !== list.length) refuse('INVALID_ASSIGNMENT', `${field} names a unit twice`, { field });
  return list;
}


/** Deep equality of plain data, whatever the order of keys (a stored event's data comes back with its keys sorted). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((v, i) => sameValue(v, (b as unknown[])[i]));
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
