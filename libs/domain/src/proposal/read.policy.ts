import type { Actor } from '../shared/actor';
import { DomainError } from '../shared/domain-error';
import type { AccessDecision } from './access.policy';
import type { ProposalEventType } from './proposal.events';
import { handlingOf, type ProposalState, type ReplyTrack } from './proposal.state';

/**
 * What each caller may see of an item: the one place that decides it, beside the access policy that
 * decides what each caller may do. Every read path (the item, the list, the history, as-of views, the
 * dossier, the supervision stream, webhooks and exports) asks it; none decides for itself.
 *
 * - The office reads everything, personal data included. Supervisors and auditors read every item;
 *   supervisors see the reply's contact (they review the letter), auditors no personal data at all.
 *   Admins run the system: they read items as auditors do.
 * - A unit's handlers and signers read the items their unit is assigned to, now. The units that reply
 *   see their own drafts, the co-opinions sent to them and the proposers' phones (they must contact
 *   them); a co-unit sees its own co-opinion and the replies once dispatched.
 * - A proposer named on the item reads it: its units, deadlines and commitments, the replies once
 *   dispatched (with the contact person the letter names), their own rating and their own phone;
 *   never drafts, co-opinions, reviews, urging, adjustment requests, contacts or the history.
 */
export interface ItemReadPolicy {
  /** Whether the caller may read the item at all. */
  readonly item: AccessDecision;
  /** Whether the caller may read the item's history and its audit dossier. */
  readonly history: AccessDecision;
  /** The office's and units' working records: adjustment requests, contacts, urging, reviews, signatures. */
  readonly workingRecords: boolean;
  /** Whether the personal data of this subject (`proposer:<id>`, `reply-contact:<item>:<unit>`) is opened for the caller. */
  personalData(subject: string): boolean;
  /** How much of a unit's reply the caller sees: every draft, only what was dispatched, or nothing. */
  reply(trackUnitId: string): 'drafts' | 'dispatched' | 'none';
  /** Whether the caller sees a co-unit's opinion. */
  coOpinion(unitId: string): boolean;
  /** Whether the caller sees a proposer's rating. */
  evaluation(proposerId: string): boolean;
}

const ALLOW: AccessDecision = { allowed: true };
const deny = (reason: string): AccessDecision => ({ allowed: false, reason });
const NOTHING: ItemReadPolicy = {
  item: deny('the caller may not read this item'),
  history: deny('the caller may not read this item'),
  workingRecords: false,
  personalData: () => false,
  reply: () => 'none',
  coOpinion: () => false,
  evaluation: () => false,
};

/** The caller's standing on an item: what the read policy is decided from. */
function standing(actor: Actor, state: ProposalState) {
  const has = (role: string) => actor.roles.includes(role as never);
  const handling = handlingOf(state);
  const unitBound = (has('handler') || has('signer')) && actor.unit !== undefined;
  const assigned = unitBound ? handling?.units.find((u) => u.unitId === actor.unit) : undefined;
  return {
    office: has('office'),
    supervisor: has('supervisor'),
    oversight: has('supervisor') || has('auditor') || has('admin'),
    unit: assigned,
    proposer: has('proposer') && state.status !== 'empty' && state.proposers.some((p) => p.id === actor.id),
    handling,
  };
}

/** Whether a reply track was ever dispatched to the proposers, in this round or an earlier one. */
export function everDispatched(track: ReplyTrack): boolean {
  return track.stage === 'dispatched' || track.earlierRounds.some((r) => r.dispatchedAt !== undefined);
}

export function readPolicy(actor: Actor, state: ProposalState): ItemReadPolicy {
  if (state.status === 'empty') return NOTHING;
  const s = standing(actor, state);
  const tracks = Object.values(s.handling?.tracks ?? {});
  const signsTrack = (trackUnitId: string) => s.unit !== undefined && tracks.some((t) => t.unitId === trackUnitId && t.signers.includes(s.unit!.unitId));
  const leadUnit = s.unit?.role === 'lead';
  const proposalId = state.id;

  if (s.office || s.oversight) {
    return {
      item: ALLOW,
      history: ALLOW,
      workingRecords: true,
      personalData: (subject) => s.office || (s.supervisor && subject.startsWith(`reply-contact:${proposalId}:`)),
      reply: () => 'drafts',
      coOpinion: () => true,
      evaluation: () => true,
    };
  }
  if (s.unit) {
    return {
      item: ALLOW,
      history: ALLOW,
      workingRecords: true,
      personalData: (subject) => (leadUnit && subject.startsWith('proposer:')) || tracks.some((t) => signsTrack(t.unitId) && subject === `reply-contact:${proposalId}:${t.unitId}`),
      reply: (trackUnitId) => (signsTrack(trackUnitId) ? 'drafts' : 'dispatched'),
      coOpinion: (unitId) => leadUnit || unitId === s.unit!.unitId,
      evaluation: () => true,
    };
  }
  if (s.proposer) {
    return {
      item: ALLOW,
      history: deny('the history is kept for the office, the units handling the item, supervisors and auditors'),
      workingRecords: false,
      personalData: (subject) =>
        subject === `proposer:${actor.id}` || tracks.some((t) => subject === `reply-contact:${proposalId}:${t.unitId}` && everDispatched(t)),
      reply: () => 'dispatched',
      coOpinion: () => false,
      evaluation: (proposerId) => proposerId === actor.id,
    };
  }
  return NOTHING;
}

/** Throws `FORBIDDEN` unless the caller may read the item. */
export function assertMayRead(actor: Actor, state: ProposalState, what: 'item' | 'history' = 'item'): ItemReadPolicy {
  const policy = readPolicy(actor, state);
  const decision = policy[what];
  if (!decision.allowed) throw new DomainError('FORBIDDEN', decision.reason ?? 'not allowed', { read: what });
  return policy;
}

const REPLY_SIGHT = { none: 0, dispatched: 1, drafts: 2 } as const;

/**
 * An item as it was (`?asOf=`) is shown only to those who may read it now: a unit re-assigned away
 * since reads nothing of it. Of the past item they see only what they could see then and may see now:
 * a lead unit made a co-unit since no longer sees the proposers' phones or its old drafts, then or now.
 */
export function assertMayReadAsOf(actor: Actor, now: ProposalState, then: ProposalState): ItemReadPolicy {
  const current = assertMayRead(actor, now);
  const past = readPolicy(actor, then);
  if (!past.item.allowed) return { ...NOTHING, item: ALLOW };
  return {
    item: ALLOW,
    history: current.history,
    workingRecords: current.workingRecords && past.workingRecords,
    personalData: (subject) => current.personalData(subject) && past.personalData(subject),
    reply: (unitId) => {
      const seen = Math.min(REPLY_SIGHT[current.reply(unitId)], REPLY_SIGHT[past.reply(unitId)]);
      return seen === 2 ? 'drafts' : seen === 1 ? 'dispatched' : 'none';
    },
    coOpinion: (unitId) => current.coOpinion(unitId) && past.coOpinion(unitId),
    evaluation: (proposerId) => current.evaluation(proposerId) && past.evaluation(proposerId),
  };
}

/**
 * Which items a caller may list: the office, supervisors, auditors and admins every item; handlers and
 * signers their unit's; proposers the items naming them.
 */
export function listScope(actor: Actor): { readonly unit?: string; readonly proposerId?: string } {
  const has = (role: string) => actor.roles.includes(role as never);
  if (readsEverything(actor)) return {};
  if ((has('handler') || has('signer')) && actor.unit) return { unit: actor.unit };
  if (has('proposer')) return { proposerId: actor.id };
  throw new DomainError('FORBIDDEN', 'Your roles do not allow reading items', { read: 'list' });
}

/**
 * Whether the list may show this caller ratings and the stages of units' work: not a proposer, who sees
 * only its own rating and no unit's draft, so it neither filters by them nor reads them off a row.
 */
export function listShowsHandling(actor: Actor): boolean {
  return listScope(actor).proposerId === undefined;
}

/** The office, supervisors, auditors and admins read every item, every deadline and every figure. */
export function readsEverything(actor: Actor): boolean {
  return actor.roles.some((r) => r === 'office' || r === 'supervisor' || r === 'auditor' || r === 'admin');
}

/** Whose deadlines a caller may see on the deadline board and in the on-time figures: every unit's, or a handler's own. */
export function deadlineScope(actor: Actor): { readonly scopeUnit?: string } {
  if (readsEverything(actor)) return {};
  if (actor.roles.includes('handler') && actor.unit) return { scopeUnit: actor.unit };
  throw new DomainError('FORBIDDEN', 'Deadlines are for supervisors, the office, auditors and handlers');
}

/** Whose figures a caller may see: any unit's (or all), or a unit's handlers and signers their own. */
export function figuresScope(actor: Actor, asked: string | undefined): { readonly unit?: string } {
  if (readsEverything(actor)) return asked === undefined ? {} : { unit: asked };
  if (!(actor.roles.some((r) => r === 'handler' || r === 'signer') && actor.unit)) throw new DomainError('FORBIDDEN', 'Statistics are for supervisors, the office, auditors and units');
  if (asked !== undefined && asked !== actor.unit) throw new DomainError('FORBIDDEN', 'A unit sees its own figures');
  return { unit: actor.unit };
}

/**
 * What reaches the supervision office as notices (server-sent events, the deadline topic, webhooks):
 * the deadline events, urging, and nothing else of an item.
 */
export const SUPERVISION_NOTICE_TYPES = [
  'DeadlineApproaching',
  'DeadlineBreached',
  'Urged',
  'Escalated',
  'DeadlineMet',
  'DeadlineExtended',
] as const satisfies readonly ProposalEventType[];
export type SupervisionNoticeType = (typeof SUPERVISION_NOTICE_TYPES)[number];

export function isSupervisionNotice(type: string): type is SupervisionNoticeType {
  return (SUPERVISION_NOTICE_TYPES as readonly string[]).includes(type);
}

/** Who may follow the supervision notices at all, and of which unit. */
export function noticeScope(actor: Actor): AccessDecision & { readonly unit?: string } {
  const has = (role: string) => actor.roles.includes(role as never);
  if (has('office') || has('supervisor') || has('admin')) return ALLOW;
  if ((has('handler') || has('signer')) && actor.unit) return { allowed: true, unit: actor.unit };
  return deny('The notices are for supervisors, the office and units’ handlers');
}

/** Whether a notice about `unitId` (the urged unit, or the unit whose deadline it is) reaches the caller. */
export function mayReceiveNotice(actor: Actor, type: string, unitId: string | undefined): boolean {
  if (!isSupervisionNotice(type)) return false;
  const scope = noticeScope(actor);
  return scope.allowed && (scope.unit === undefined || scope.unit === unitId);
}

/**
 * The fields of an event's data the caller may not see (personal data aside: the policy's
 * `personalData` decides each personal value). Read paths that show events (history, dossier) leave them out.
 */
export function withheldFields(policy: ItemReadPolicy, type: string, data: Record<string, unknown>): string[] {
  const unitId = typeof data.unitId === 'string' ? data.unitId : '';
  switch (type) {
    case 'CoOpinionSubmitted':
      return policy.coOpinion(unitId) ? [] : ['content'];
    case 'CoOpinionReturned':
      return policy.coOpinion(unitId) ? [] : ['reason'];
    case 'ReplyDrafted':
      return policy.reply(unitId) === 'drafts' ? [] : ['documentNumber', 'resultClass', 'body', 'cc', 'disclose', 'commitments', 'contact', 'contactPerson', 'contactPhone'];
    case 'ReplyReviewed':
      return policy.reply(unitId) === 'drafts' ? [] : ['comment', 'previousResultClass'];
    case 'ReplyEvaluated':
      return policy.evaluation(String(data.proposerId)) ? [] : ['satisfaction', 'attitude', 'result', 'comment'];
    case 'ProposerContacted':
    case 'AdjustmentRequested':
    case 'AdjustmentApproved':
    case 'AdjustmentRefused':
    case 'Urged':
      return policy.workingRecords ? [] : ['summary', 'reason', 'message'];
    default:
      return [];
  }
}
