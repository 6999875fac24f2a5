import { periodEnd } from '../periods/period';
import type { Actor } from '../shared/actor';
import { compareInstants, type Instant, isCalendarDate } from '../shared/calendar-date';
import { refuse } from '../shared/domain-error';
import { publicVersion } from '../disclosure/public-text';
import { sourceText } from '../rule-sets/rule-set';
import { calendarFor, cancelDeadlines, DeadlinePlanner, extensionLimit, meetDeadlines, scheduleFor } from './deadline-schedule';
import { type CommandOf } from './proposal.commands';
import { type DeadlineKind, event, type ProposalEvent, SATISFACTIONS } from './proposal.events';
import { type ExistingProposal, evaluationComplete, type HandlingProposal, handlingOf, ratingCounts, type ReplyTrack, trackOf } from './proposal.state';
import { assignedUnit, deadline, replyTrack, text, optionalText, oneOf, units } from './decider.guards';
import type { DecisionContext } from './decision-context';

/* Follow-up: evaluation, re-handling, extensions, commitments, urging, closure and publication. */

export function evaluateReply(cmd: CommandOf<'EvaluateReply'>, state: HandlingProposal, at: Instant, actor: Actor): ProposalEvent[] {
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
  if (state.handling.ruleSet.evaluation.attitudeAndResult === true) {
    // Shanghai 第二十一条: the deputy gives an opinion on the handling's attitude and on its result.
    if (attitude === undefined) refuse('VALIDATION_FAILED', `Rule set ${state.handling.ruleSet.id} rates the attitude (办理态度) and the result (办理结果) each: give attitude`, { field: 'attitude' });
    if (result === undefined) refuse('VALIDATION_FAILED', `Rule set ${state.handling.ruleSet.id} rates the attitude (办理态度) and the result (办理结果) each: give result`, { field: 'result' });
  }
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
  const counted = ratingCounts(state.handling.ruleSet, proposer);
  const evaluated = event('ReplyEvaluated', { unitId: track.unitId, round: track.round, proposerId: proposer.id, ...rating, counted });
  const after = { ...track, evaluations: [...track.evaluations, { ...rating, proposerId: proposer.id, round: track.round, counted, at }] };
  return [
    evaluated,
    ...(evaluationComplete(state, state.handling, after)
      ? meetDeadlines(state, at, (dl) => dl.kind === 'evaluation' && dl.unitId === track.unitId)
      : []),
  ];
}

export function orderRehandling(cmd: CommandOf<'OrderRehandling'>, state: HandlingProposal, at: Instant, context: DecisionContext): ProposalEvent[] {
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

export function extendDeadline(cmd: CommandOf<'ExtendDeadline'>, state: HandlingProposal, context: DecisionContext): ProposalEvent[] {
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
  if (!ruleSet.extension) {
    refuse(
      'EXTENSION_NOT_ALLOWED',
      ruleSet.complexReply
        ? `Rule set ${ruleSet.id} provides no extension of the reply period; a complex item (涉及面广、处理难度大) has its own period: declare it complex`
        : `Rule set ${ruleSet.id} provides no extension of the reply period`,
    );
  }
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
  const limit = extensionLimit(ruleSet, target, calendar)!;
  if (end.dueDate > limit.dueDate) {
    refuse('EXTENSION_EXCEEDS_LIMIT', `${sourceText(ruleSet.extension.source)}: the latest possible due date is ${limit.dueDate}`, {
      latest: limit.dueDate,
    });
  }
  // Input, then the cap, then the consent the text requires (Shanghai 第十九条: 经同意).
  const consent = ruleSet.extension.consent;
  const consentedBy = d.consentedBy === undefined ? undefined : text(d.consentedBy, 'consentedBy');
  if (consent && consentedBy === undefined) {
    refuse('CONSENT_REQUIRED', `Rule set ${ruleSet.id} extends the reply period only with the consent of ${consent.by}: say who consented (consentedBy)`, {
      field: 'consentedBy',
      by: consent.by,
    });
  }
  return [
    event('DeadlineExtended', {
      deadlineId: target.id,
      previousDueDate: target.dueDate,
      reason,
      ...(consentedBy === undefined ? {} : { consentedBy }),
      ...scheduleFor(end, ruleSet, calendar),
    }),
  ];
}

/**
 * The office confirms on time a deadline met by a step entered after the system had recorded its breach,
 * dated before it (a paper step entered late), with the reason it saw: nothing else can be confirmed so.
 */
export function confirmOnTime(cmd: CommandOf<'ConfirmDeadlineMetOnTime'>, state: ExistingProposal): ProposalEvent[] {
  const target = deadline(state, text(cmd.data.deadlineId, 'deadlineId'));
  const reason = text(cmd.data.reason, 'reason');
  if (target.state === 'met' && target.onTime && target.onTimeConfirmation !== undefined) return [];
  const confirmable = target.state === 'met' && target.onTime === false && target.metAt !== undefined && compareInstants(target.metAt, target.dueAt) <= 0 && target.breachedAt !== undefined;
  if (!confirmable) {
    refuse('NOT_CONFIRMABLE', 'Only a deadline met by a step dated on time, but entered after its breach was recorded, can be confirmed on time', { deadlineId: target.id });
  }
  return [event('DeadlineMetOnTimeConfirmed', { deadlineId: target.id, reason })];
}

export function fulfilCommitment(cmd: CommandOf<'FulfilCommitment'>, state: ExistingProposal, at: Instant, context: DecisionContext): ProposalEvent[] {
  const { handling, commitment } = commitmentOf(state, cmd.data.commitmentId);
  if (commitment.fulfilled) return [];
  const planner = new DeadlinePlanner(state, handling.ruleSet, context.calendar);
  const receipt = planner.forStep('commitment-receipt', 'commitment-receipt', at, commitment.unitId);
  return [
    event('CommitmentFulfilled', { commitmentId: commitment.commitmentId, unitId: commitment.unitId, note: text(cmd.data.note, 'note') }),
    ...meetDeadlines(state, at, (d) => d.kind === 'commitment' && d.commitmentId === commitment.commitmentId),
    // The proposer's window to return the receipt of the fulfilment report (Chongqing 第二十八条).
    ...receipt.map((e) => ({ ...e, data: { ...e.data, commitmentId: commitment.commitmentId } })),
  ];
}

/** The proposer returns the receipt (回执) of a fulfilled commitment's report, with an optional comment. */
export function returnCommitmentReceipt(cmd: CommandOf<'ReturnCommitmentReceipt'>, state: ExistingProposal, at: Instant, actor: Actor): ProposalEvent[] {
  const { commitment } = commitmentOf(state, cmd.data.commitmentId);
  if (!commitment.fulfilled) refuse('COMMITMENT_NOT_FULFILLED', `Commitment ${commitment.commitmentId} has not been reported fulfilled yet`, { commitmentId: commitment.commitmentId });
  const comment = cmd.data.comment === undefined ? undefined : text(cmd.data.comment, 'comment');
  if (commitment.receipt) {
    if (commitment.receipt.proposerId === actor.id && commitment.receipt.comment === comment) return [];
    refuse('RECEIPT_ALREADY_RETURNED', `The receipt of commitment ${commitment.commitmentId} was already returned`, { commitmentId: commitment.commitmentId });
  }
  return [
    event('CommitmentReceiptReturned', { commitmentId: commitment.commitmentId, proposerId: actor.id, ...(comment === undefined ? {} : { comment }) }),
    ...meetDeadlines(state, at, (d) => d.kind === 'commitment-receipt' && d.commitmentId === commitment.commitmentId),
  ];
}

function commitmentOf(state: ExistingProposal, commitmentId: string) {
  const handling = handlingOf(state);
  const commitment = handling?.commitments[commitmentId];
  if (!handling || !commitment) refuse('COMMITMENT_NOT_FOUND', `No commitment ${commitmentId}`, { commitmentId });
  if (state.status === 'withdrawn') refuse('INVALID_TRANSITION', 'The item was withdrawn', { status: state.status });
  return { handling, commitment };
}

export function urge(cmd: CommandOf<'UrgeUnit'>, state: HandlingProposal): ProposalEvent[] {
  const message = text(cmd.data.message, 'message');
  const unitId = cmd.data.unitId === undefined ? undefined : assignedUnit(state.handling, cmd.data.unitId);
  return [event('Urged', { urgeId: `urge-${state.handling.urges.length + 1}`, ...(unitId === undefined ? {} : { unitId }), message })];
}

const FOLLOWED_AFTER_CLOSURE: readonly DeadlineKind[] = ['commitment', 'commitment-receipt', 'disclosure'];

export function close(state: ExistingProposal, now: Instant): ProposalEvent[] {
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
    ...cancelDeadlines(state, 'closed', (d) => !FOLLOWED_AFTER_CLOSURE.includes(d.kind) && d.state === 'open'),
  ];
}

export function publish(cmd: CommandOf<'PublishReply'>, state: ExistingProposal, at: Instant): ProposalEvent[] {
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
