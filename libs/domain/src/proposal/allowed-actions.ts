import type { Actor } from '../shared/actor';
import { canIssue } from './access.policy';
import { command, type CommandDataByType, type ProposalCommand, type ProposalCommandType } from './proposal.commands';
import { compareInstants, type Instant } from '../shared/calendar-date';
import type { WorkingDayCalendar } from '../calendar/working-day-calendar.port';
import { calendarFor, extensionLimit } from './deadline-schedule';
import { adjustmentWindowClosed } from './assignment.decider';
import { withdrawalClosedByAssignment } from './registration.decider';
import { evaluationComplete, type ExistingProposal, type Handling, handlingOf, isHandling, type ProposalState, ratingCounts, type ReplyTrack } from './proposal.state';

/** A command the caller may issue on the item now, and the unit (or commitment, or request) it is for. */
export interface AllowedAction {
  readonly command: ProposalCommandType;
  readonly unitId?: string;
  readonly commitmentId?: string;
  readonly requestId?: string;
}

interface Candidate {
  readonly probe: ProposalCommand;
  readonly action: AllowedAction;
}

/**
 * What this caller may do on the item in its present state: the access policy (`canIssue`) asked of
 * every command the item's phase admits. The console shows these and hides the rest; the server still
 * decides each command when it comes (an input can be refused, a window can close in between).
 */
export function allowedActions(state: ProposalState, actor: Actor, now: Instant, calendar: WorkingDayCalendar): AllowedAction[] {
  if (state.status === 'empty') return [];
  return candidates(state, actor, now, calendar)
    .filter((c) => canIssue(c.probe, state, actor).allowed)
    .map((c) => c.action);
}

function candidates(state: ExistingProposal, actor: Actor, now: Instant, calendar: WorkingDayCalendar): Candidate[] {
  const list: Candidate[] = [];
  // Only the fields the access policy reads matter in a probe; the rest is never decided.
  const add = (probe: ProposalCommand, extra: Omit<AllowedAction, 'command'> = {}) => list.push({ probe, action: { command: probe.type, ...extra } });
  if (state.status === 'submitted') add(command('RegisterProposal', { decision: 'accepted' }));
  if (state.status === 'accepted') add(command('AssignProposal', { mode: 'lead-with-co', leadUnits: [] }));
  if (['submitted', 'accepted', 'assigned', 'replied', 'rehandling'].includes(state.status) && !withdrawalClosedByAssignment(state)) add(command('WithdrawProposal', { reason: '' }));
  const handling = handlingOf(state);
  if (!handling || !isHandling(state)) {
    commitmentActions(state, handling, add);
    publication(state, handling, add);
    return list;
  }
  const openReplies = Object.values(state.deadlines).filter((d) => d.kind === 'reply' && d.state === 'open');
  // As declareComplex decides: only while a reply period is still open can it become the complex one.
  if (handling.complex === undefined && openReplies.length > 0 && (handling.ruleSet.complexReply || handling.ruleSet.extension)) add(command('DeclareComplex', { reason: '' }));
  for (const unit of handling.units) {
    const unitId = unit.unitId;
    // A receipt is recorded once per unit.
    if (unit.receivedOn === undefined && (actor.roles.includes('office') || actor.unit === unitId)) add(command('RecordReceipt', { unitId, receivedOn: '' }), { unitId });
    if (!unit.acknowledged && !pendingAdjustment(handling, unitId)) {
      add(command('AcknowledgeAssignment', { unitId }), { unitId });
      if (state.status === 'assigned' && !adjustmentWindowClosed(state, unitId, now)) add(command('RequestAdjustment', { unitId, reason: '' }), { unitId });
    }
  }
  for (const request of handling.adjustmentRequests.filter((r) => !r.decision)) {
    add(command('DecideAdjustment', { requestId: request.requestId, approved: false }), { requestId: request.requestId, unitId: request.unitId });
  }
  const leadTrack = Object.values(handling.tracks)[0];
  const leadSigned = leadTrack !== undefined && (leadTrack.signatures.length > 0 || leadTrack.stage === 'dispatched');
  for (const unit of handling.units.filter((u) => u.role === 'co')) {
    const opinion = handling.coOpinions[unit.unitId];
    if (!leadSigned) add(command('SubmitCoOpinion', { unitId: unit.unitId, content: '' }), { unitId: unit.unitId });
    if (!leadSigned && opinion?.state === 'submitted') add(command('ReturnCoOpinion', { unitId: unit.unitId, reason: '' }), { unitId: unit.unitId });
  }
  for (const track of Object.values(handling.tracks)) {
    const unitId = track.unitId;
    // Contact with the proposers is recorded before, during and after the reply.
    for (const signer of track.signers) add(command('RecordContact', { unitId: signer, stage: 'before', channel: 'phone', summary: '' }), { unitId: signer });
    if (track.stage === 'dispatched') continue;
    // A unit waiting for the office's answer on its adjustment request drafts nothing yet.
    const drafting = track.signers.filter((u) => !pendingAdjustment(handling, u));
    if (track.signatures.length === 0) for (const signer of drafting) add(command('DraftReply', draftProbe(signer)), { unitId: signer });
    for (const signer of signersAwaited(handling, track)) add(command('SignReply', { unitId: signer }), { unitId: signer });
    if (awaitsReview(handling, track)) add(command('ReviewReply', { unitId, approved: true }), { unitId });
    if (readyToDispatch(handling, track)) for (const signer of track.signers) add(command('DispatchReply', { unitId: signer }), { unitId: signer });
  }
  for (const track of Object.values(handling.tracks).filter((t) => t.stage === 'dispatched')) {
    if (!hasRated(track, actor.id)) add(command('EvaluateReply', { unitId: track.unitId, satisfaction: 'satisfied' }), { unitId: track.unitId });
  }
  const unsatisfied = Object.values(handling.tracks).some(
    (t) => t.stage === 'dispatched' && t.evaluations.some((e) => e.round === t.round && e.counted && e.satisfaction === 'unsatisfied'),
  );
  if (unsatisfied) add(command('OrderRehandling', { reason: '' }));
  // An extension where the rule set has one, while an open reply deadline is short of its latest possible date.
  const extensible = Object.values(state.deadlines).filter((d) => d.state === 'open' && (d.kind === 'reply' || d.kind === 'rehandling-reply'));
  const setCalendar = calendarFor(handling.ruleSet, calendar);
  if (handling.ruleSet.extension && extensible.some((d) => d.dueDate < extensionLimit(handling.ruleSet, d, setCalendar)!.dueDate)) {
    add(command('ExtendDeadline', { reason: '' }));
  }
  add(command('UrgeUnit', { message: '' }));
  // As closure decides: every reply rated by those whose rating counts, or its evaluation window over.
  if (state.status === 'replied' && Object.values(handling.tracks).every((t) => evaluationComplete(state, handling, t) || evaluationWindowOver(state, t.unitId, now))) {
    add(command('CloseProposal', {}));
  }
  commitmentActions(state, handling, add);
  publication(state, handling, add);
  return list;
}

function commitmentActions(state: ExistingProposal, handling: Handling | undefined, add: (probe: ProposalCommand, extra?: Omit<AllowedAction, 'command'>) => void): void {
  if (!handling || state.status === 'withdrawn') return;
  for (const [commitmentId, c] of Object.entries(handling.commitments)) {
    if (!c.fulfilled) add(command('FulfilCommitment', { commitmentId, note: '' }), { commitmentId, unitId: c.unitId });
    else if (!c.receipt) add(command('ReturnCommitmentReceipt', { commitmentId }), { commitmentId, unitId: c.unitId });
  }
}

function publication(state: ExistingProposal, handling: Handling | undefined, add: (probe: ProposalCommand, extra?: Omit<AllowedAction, 'command'>) => void): void {
  if (!handling || state.status === 'withdrawn') return;
  for (const track of Object.values(handling.tracks)) {
    if (track.stage === 'dispatched' && track.draft?.disclose && !track.published) add(command('PublishReply', { unitId: track.unitId }), { unitId: track.unitId });
  }
}

/** As closure reads it: the unit's evaluation window, neither cancelled nor met, has run out. */
function evaluationWindowOver(state: ExistingProposal, unitId: string, now: Instant): boolean {
  const window = Object.values(state.deadlines).find((d) => d.kind === 'evaluation' && d.unitId === unitId && d.state !== 'cancelled' && d.state !== 'met');
  return window !== undefined && compareInstants(now, window.dueAt) >= 0;
}

function draftProbe(unitId: string): CommandDataByType['DraftReply'] {
  return { unitId } as CommandDataByType['DraftReply'];
}

/* ---------- what an item waits for (the workbench queues): the same predicates the actions use ---------- */

function pendingAdjustment(handling: Handling, unitId: string): boolean {
  return handling.adjustmentRequests.some((r) => r.unitId === unitId && !r.decision);
}

/** The signers a drafted reply waits for: only once every co-opinion is in (协办未会签), and not after dispatch. */
function signersAwaited(handling: Handling, track: ReplyTrack): string[] {
  const coOpinionsIn = Object.values(handling.coOpinions).every((o) => o.state === 'submitted');
  if (!track.draft || !coOpinionsIn || track.stage === 'dispatched') return [];
  return track.signers.filter((u) => !track.signatures.includes(u));
}

function awaitsReview(handling: Handling, track: ReplyTrack): boolean {
  return track.stage === 'signed' && handling.ruleSet.review !== 'none';
}

/** Signed, and reviewed where the rule set requires it (督办审核). */
function readyToDispatch(handling: Handling, track: ReplyTrack): boolean {
  return handling.ruleSet.review === 'required' ? track.stage === 'reviewed' : track.stage === 'signed' || track.stage === 'reviewed';
}

function hasRated(track: ReplyTrack, proposerId: string): boolean {
  return track.evaluations.some((e) => e.proposerId === proposerId && e.round === track.round);
}

export type UnitAwaiting = 'acknowledgement' | 'adjustment' | 'signature' | 'review' | 'dispatch';

/**
 * What the item waits for, as the workbenches count it: per unit, its acknowledgement (签收), the office's
 * decision on its adjustment request, its signature, a supervisor's review of its reply, its dispatch; and
 * the proposers whose counted rating of a dispatched reply is still to come. The list's projection stores
 * these, so a queue and the item's buttons agree.
 */
export function awaitingOf(state: ProposalState): { units: Record<string, UnitAwaiting[]>; raters: string[] } {
  const handling = handlingOf(state);
  if (state.status === 'empty' || !handling || !isHandling(state)) return { units: {}, raters: [] };
  const units: Record<string, UnitAwaiting[]> = {};
  const mark = (unitId: string, what: UnitAwaiting) => (units[unitId] = [...(units[unitId] ?? []), what]);
  for (const unit of handling.units) {
    if (pendingAdjustment(handling, unit.unitId)) mark(unit.unitId, 'adjustment');
    else if (!unit.acknowledged && state.status !== 'replied') mark(unit.unitId, 'acknowledgement');
  }
  const raters = new Set<string>();
  for (const track of Object.values(handling.tracks)) {
    for (const signer of signersAwaited(handling, track)) mark(signer, 'signature');
    if (track.stage !== 'dispatched' && awaitsReview(handling, track)) mark(track.unitId, 'review');
    if (track.stage !== 'dispatched' && readyToDispatch(handling, track)) mark(track.unitId, 'dispatch');
    if (track.stage === 'dispatched') for (const p of state.proposers) if (ratingCounts(handling.ruleSet, p) && !hasRated(track, p.id)) raters.add(p.id);
  }
  return { units, raters: [...raters] };
}
