import { RESULT_CLASSES } from '../rule-sets/rule-set';
import type { Actor } from '../shared/actor';
import { type Instant, isCalendarDate } from '../shared/calendar-date';
import { refuse } from '../shared/domain-error';
import { DeadlinePlanner, meetDeadlines } from './deadline-schedule';
import { type CommandOf } from './proposal.commands';
import { CONTACT_CHANNELS, CONTACT_STAGES, event, type ProposalEvent } from './proposal.events';
import { type HandlingProposal } from './proposal.state';
import { pendingRequest, leadUnit, coUnit, replyTrack, text, optionalText, oneOf, sameValue } from './decider.guards';
import type { DecisionContext } from './decision-context';

/* Handling: contacts with the proposer, co-opinions, and the reply from draft to dispatch. */

export function recordContact(cmd: CommandOf<'RecordContact'>, state: HandlingProposal, at: Instant): ProposalEvent[] {
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

export function submitCoOpinion(cmd: CommandOf<'SubmitCoOpinion'>, state: HandlingProposal, at: Instant): ProposalEvent[] {
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

export function returnCoOpinion(cmd: CommandOf<'ReturnCoOpinion'>, state: HandlingProposal, at: Instant, context: DecisionContext): ProposalEvent[] {
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

export function draftReply(cmd: CommandOf<'DraftReply'>, state: HandlingProposal): ProposalEvent[] {
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

export function signReply(cmd: CommandOf<'SignReply'>, state: HandlingProposal, actor: Actor): ProposalEvent[] {
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

export function reviewReply(cmd: CommandOf<'ReviewReply'>, state: HandlingProposal): ProposalEvent[] {
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

export function dispatchReply(cmd: CommandOf<'DispatchReply'>, state: HandlingProposal, at: Instant, context: DecisionContext): ProposalEvent[] {
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
