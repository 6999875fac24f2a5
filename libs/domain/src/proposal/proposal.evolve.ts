import { redactContactDetails } from '../disclosure/contact-details';
import { assertNever } from '../shared/domain-error';
import type { Instant } from '../shared/calendar-date';
import { isDeadlineEvent, type ProposalEvent, type RecordedProposalEvent } from './proposal.events';
import {
  type CoOpinion,
  type Handling,
  type ProposalState,
  INITIAL_STATE,
} from './proposal.state';
import { withChanges, deadlineOf, draftOf, evaluationOf, latest, core, existing, expect, updateHandling, updateTrack, updateDeadline, decideRequest, setCoOpinion, reassign, mapRecord } from './evolve.steps';
import { UnfoldableEventError } from './unfoldable-event.error';

export { UnfoldableEventError } from './unfoldable-event.error';
export { reassign } from './evolve.steps';


export function evolve(state: ProposalState, recorded: RecordedProposalEvent): ProposalState {
  const at = recorded.metadata.occurredAt;
  const next = apply(state, recorded, at);
  if (next.status === 'empty' || isDeadlineEvent(recorded.type)) return next;
  return { ...next, lastStepAt: latest(next.lastStepAt, at) };
}

/** Folds a whole stream from the beginning. */
export function fold(events: readonly RecordedProposalEvent[], from: ProposalState = INITIAL_STATE): ProposalState {
  return events.reduce(evolve, from);
}

function apply(state: ProposalState, e: ProposalEvent, at: Instant): ProposalState {
  switch (e.type) {
    case 'ProposalSubmitted': {
      if (state.status !== 'empty') throw new UnfoldableEventError(e.type, state.status, 'the item already exists');
      const d = e.data;
      return {
        status: 'submitted',
        id: d.proposalId,
        kind: d.kind,
        session: d.session,
        number: d.number,
        title: d.title,
        body: d.body,
        proposers: d.proposers,
        submittedAt: d.submittedAt,
        lastStepAt: at,
        mergedProposals: [],
        deadlines: {},
      };
    }
    case 'ProposalAccepted': {
      const s = expect(state, e.type, 'submitted');
      return core(s, { status: 'accepted' });
    }
    case 'ProposalRejected': {
      const s = expect(state, e.type, 'submitted');
      return core(s, { status: 'rejected', rejectionReason: e.data.reason });
    }
    case 'ProposalMerged': {
      const s = expect(state, e.type, 'submitted', 'accepted');
      return core(s, { status: 'merged', mergedInto: e.data.mergedInto });
    }
    case 'MergedProposalAbsorbed': {
      const s = existing(state, e.type);
      const known = new Set(s.proposers.map((p) => p.id));
      return {
        ...s,
        proposers: [...s.proposers, ...e.data.proposers.filter((p) => !known.has(p.id))],
        mergedProposals: [...s.mergedProposals, e.data.sourceProposalId],
      };
    }
    case 'ProposalWithdrawn': {
      const s = existing(state, e.type);
      const withdrawn = { status: 'withdrawn', withdrawalReason: e.data.reason } as const;
      return core(s, 'handling' in s ? { ...withdrawn, handling: s.handling } : withdrawn);
    }
    case 'ProposalAssigned': {
      const s = expect(state, e.type, 'accepted');
      const d = e.data;
      const handling: Handling = {
        mode: d.mode,
        key: d.key,
        supervisingUnits: d.supervisingUnits,
        ...(d.leadingOfficial === undefined ? {} : { leadingOfficial: d.leadingOfficial }),
        ruleSet: d.ruleSet,
        calendarId: d.calendarId,
        assignedAt: at,
        ...(d.complex === true ? { complex: {} } : {}),
        units: [],
        tracks: {},
        coOpinions: {},
        adjustmentRequests: [],
        contacts: [],
        commitments: {},
        urges: [],
        round: 1,
      };
      return core(s, { status: 'assigned', handling: reassign(handling, d.leadUnits, d.coUnits, at) });
    }
    case 'ComplexityDeclared':
      return updateHandling(state, e.type, (h) => ({ ...h, complex: { reason: e.data.reason } }));
    case 'AssignmentReceived':
      return updateHandling(state, e.type, (h) => ({
        ...h,
        units: h.units.map((u) => (u.unitId === e.data.unitId ? { ...u, receivedOn: e.data.receivedOn } : u)),
      }));
    case 'AssignmentAcknowledged':
      return updateHandling(state, e.type, (h) => ({
        ...h,
        units: h.units.map((u) => (u.unitId === e.data.unitId ? { ...u, acknowledged: true } : u)),
      }));
    case 'AdjustmentRequested':
      return updateHandling(state, e.type, (h) => ({
        ...h,
        adjustmentRequests: [
          ...h.adjustmentRequests,
          { requestId: e.data.requestId, unitId: e.data.unitId, reason: e.data.reason, requestedAt: at },
        ],
      }));
    case 'AdjustmentApproved':
      return updateHandling(state, e.type, (h) => ({
        ...reassign(h, e.data.leadUnits, e.data.coUnits, at),
        adjustmentRequests: decideRequest(h, e.data.requestId, {
          approved: true,
          ...(e.data.reason === undefined ? {} : { reason: e.data.reason }),
          leadUnits: e.data.leadUnits,
          coUnits: e.data.coUnits,
        }),
      }));
    case 'AdjustmentRefused':
      return updateHandling(state, e.type, (h) => ({
        ...h,
        adjustmentRequests: decideRequest(h, e.data.requestId, {
          approved: false,
          ...(e.data.reason === undefined ? {} : { reason: e.data.reason }),
        }),
      }));
    case 'ProposerContacted':
      return updateHandling(state, e.type, (h) => ({
        ...h,
        contacts: [...h.contacts, Object.assign({}, e.data, { at })],
      }));
    case 'CoOpinionSubmitted':
      return updateHandling(state, e.type, (h) =>
        setCoOpinion(h, { unitId: e.data.unitId, state: 'submitted', content: e.data.content }),
      );
    case 'CoOpinionReturned':
      return updateHandling(state, e.type, (h) => {
        const current = h.coOpinions[e.data.unitId];
        return setCoOpinion(h, withChanges<CoOpinion>(current, { unitId: e.data.unitId, state: 'returned', returnReason: e.data.reason }));
      });
    case 'ReplyDrafted':
      return updateTrack(state, e.type, e.data.unitId, (t) => withChanges(t, { round: e.data.round, stage: 'drafted', draft: draftOf(e.data), signatures: [] }));
    case 'ReplySigned':
      return updateTrack(state, e.type, e.data.unitId, (t) => {
        const signatures = t.signatures.includes(e.data.signerUnit) ? t.signatures : [...t.signatures, e.data.signerUnit];
        const complete = t.signers.every((unit) => signatures.includes(unit));
        return { ...t, signatures, stage: complete ? 'signed' : 'drafted' };
      });
    case 'ReplyReviewed':
      return updateTrack(state, e.type, e.data.unitId, (t) => {
        const review = { approved: e.data.approved, ...(e.data.comment === undefined ? {} : { comment: e.data.comment }) };
        if (!t.draft) throw new UnfoldableEventError(e.type, state.status, 'no reply drafted');
        return e.data.approved
          ? withChanges(t, { stage: 'reviewed', review, draft: { ...t.draft, resultClass: e.data.resultClass } })
          : withChanges(t, { stage: 'drafted', review, signatures: [] });
      });
    case 'ReplyDispatched':
      return updateTrack(state, e.type, e.data.unitId, (t) => withChanges(t, { stage: 'dispatched', dispatchedAt: at }), (h, t) => ({
        ...h,
        commitments: {
          ...h.commitments,
          ...Object.fromEntries(
            (t.draft?.commitments ?? []).map((c) => [c.commitmentId, { ...c, unitId: t.unitId, fulfilled: false }]),
          ),
        },
      }));
    case 'ReplyEvaluated':
      return updateTrack(state, e.type, e.data.unitId, (t) => ({ ...t, evaluations: [...t.evaluations, evaluationOf(e.data, at)] }));
    case 'RehandlingOrdered':
      return updateHandling(state, e.type, (h) => ({
        ...h,
        round: e.data.round,
        tracks: mapRecord(h.tracks, (t) =>
          e.data.unitIds.includes(t.unitId)
            ? {
                ...t,
                round: e.data.round,
                stage: 'handling',
                draft: undefined,
                signatures: [],
                review: undefined,
                dispatchedAt: undefined,
                published: false,
                publicText: undefined,
                evaluations: [],
                earlierRounds: [
                  ...t.earlierRounds,
                  { round: t.round, draft: t.draft, dispatchedAt: t.dispatchedAt, evaluations: t.evaluations },
                ],
              }
            : t,
        ),
      }));
    case 'CommitmentFulfilled':
      return updateHandling(state, e.type, (h) => {
        const commitment = h.commitments[e.data.commitmentId];
        if (!commitment) throw new UnfoldableEventError(e.type, state.status, `no commitment ${e.data.commitmentId}`);
        return {
          ...h,
          commitments: { ...h.commitments, [commitment.commitmentId]: { ...commitment, fulfilled: true, note: e.data.note, fulfilledAt: at } },
        };
      });
    case 'CommitmentReceiptReturned':
      return updateHandling(state, e.type, (h) => {
        const commitment = h.commitments[e.data.commitmentId];
        if (!commitment) throw new UnfoldableEventError(e.type, state.status, `no commitment ${e.data.commitmentId}`);
        const receipt = { proposerId: e.data.proposerId, ...(e.data.comment === undefined ? {} : { comment: e.data.comment }), at };
        return { ...h, commitments: { ...h.commitments, [commitment.commitmentId]: { ...commitment, receipt } } };
      });
    case 'Urged':
      return updateHandling(state, e.type, (h) => ({ ...h, urges: [...h.urges, Object.assign({}, e.data, { at })] }));
    case 'ProposalClosed': {
      const s = expect(state, e.type, 'replied');
      return core(s, { status: 'closed', handling: s.handling, closedAt: at });
    }
    case 'ReplyPublished':
      return updateTrack(state, e.type, e.data.unitId, (t) => ({ ...t, published: true, publicText: e.data.publicText ?? redactContactDetails(t.draft?.body ?? '').text }));
    case 'DeadlineSet': {
      const s = existing(state, e.type);
      return { ...s, deadlines: { ...s.deadlines, [e.data.deadlineId]: deadlineOf(e.data) } };
    }
    case 'DeadlineMet':
      return updateDeadline(state, e.type, e.data.deadlineId, (d) => withChanges(d, { state: 'met', metAt: e.data.metAt, onTime: e.data.onTime }));
    case 'DeadlineMetOnTimeConfirmed':
      return updateDeadline(state, e.type, e.data.deadlineId, (d) => withChanges(d, { onTime: true, onTimeConfirmation: e.data.reason }));
    case 'DeadlineExtended': {
      const { deadlineId, previousDueDate: _previous, reason: _reason, ...schedule } = e.data;
      return updateDeadline(state, e.type, deadlineId, (d) => withChanges(d, { ...schedule, approachingAt: undefined, extensions: d.extensions + 1 }));
    }
    case 'DeadlineApproaching':
      return updateDeadline(state, e.type, e.data.deadlineId, (d) => withChanges(d, { approachingAt: at }));
    case 'DeadlineBreached':
      return updateDeadline(state, e.type, e.data.deadlineId, (d) => withChanges(d, { state: 'breached', breachedAt: at }));
    case 'Escalated':
      return updateDeadline(state, e.type, e.data.deadlineId, (d) => ({ ...d, escalatedRungs: [...d.escalatedRungs, e.data.rung] }));
    case 'DeadlineCancelled':
      return updateDeadline(state, e.type, e.data.deadlineId, (d) => withChanges(d, { state: 'cancelled', cancelReason: e.data.reason }));
    default:
      return assertNever(e, 'event');
  }
}

/* ---------- helpers ---------- */
