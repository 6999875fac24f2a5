import { type CalendarDate, compareInstants, type Instant } from '../shared/calendar-date';
import type { ProposalKind, ResultClass, RuleSet } from '../rule-sets/rule-set';
import type {
  AssignmentMode,
  CommitmentDraft,
  ContactChannel,
  ContactStage,
  DeadlineKind,
  DeadlineSchedule,
  Proposer,
  ReplyContact,
  Satisfaction,
} from './proposal.events';

export interface ProposalCore {
  readonly id: string;
  readonly kind: ProposalKind;
  readonly session: string;
  readonly number: string;
  readonly title: string;
  readonly body: string;
  readonly proposers: readonly Proposer[];
  readonly submittedAt: Instant;
  /** `occurredAt` of the latest step (deadline bookkeeping excluded): no later step may be dated before it. */
  readonly lastStepAt: Instant;
  readonly mergedProposals: readonly string[];
  readonly deadlines: Readonly<Record<string, Deadline>>;
}

export type DeadlineState = 'open' | 'met' | 'breached' | 'cancelled';

export interface Deadline extends DeadlineSchedule {
  readonly id: string;
  readonly kind: DeadlineKind;
  readonly unitId?: string;
  readonly commitmentId?: string;
  readonly startDate: CalendarDate;
  readonly originalDueDate: CalendarDate;
  readonly source: string;
  /** `breached` stays visible after a late completion: `met` with `onTime: false` and a `breachedAt`. */
  readonly state: DeadlineState;
  readonly approachingAt?: Instant;
  readonly breachedAt?: Instant;
  readonly metAt?: Instant;
  readonly onTime?: boolean;
  /** Set when the office confirmed a late-entered step on time: why (the paper it saw). */
  readonly onTimeConfirmation?: string;
  readonly escalatedRungs: readonly number[];
  readonly extensions: number;
  readonly cancelReason?: string;
}

export interface AssignedUnit {
  readonly unitId: string;
  readonly role: 'lead' | 'co';
  readonly acknowledged: boolean;
  readonly assignedAt: Instant;
  /** Set when the unit's receipt (收到) was recorded later than its assignment (a paper delivery). */
  readonly receivedOn?: CalendarDate;
}

export interface AdjustmentRequest {
  readonly requestId: string;
  readonly unitId: string;
  readonly reason: string;
  readonly requestedAt: Instant;
  readonly decision?: { readonly approved: boolean; readonly reason?: string; readonly leadUnits?: readonly string[]; readonly coUnits?: readonly string[] };
}

export interface Contact {
  readonly unitId: string;
  readonly stage: ContactStage;
  readonly channel: ContactChannel;
  readonly summary: string;
  readonly at: Instant;
}

export type CoOpinionState = 'pending' | 'submitted' | 'returned';

export interface CoOpinion {
  readonly unitId: string;
  readonly state: CoOpinionState;
  readonly content?: string;
  readonly returnReason?: string;
}

export interface ReplyDraft {
  readonly documentNumber: string;
  readonly resultClass: ResultClass;
  readonly body: string;
  readonly contact: ReplyContact;
  readonly cc: readonly string[];
  readonly disclose: boolean;
  readonly commitments: readonly CommitmentDraft[];
}

export interface Evaluation {
  readonly proposerId: string;
  readonly round: number;
  readonly satisfaction: Satisfaction;
  readonly attitude?: Satisfaction;
  readonly result?: Satisfaction;
  readonly comment?: string;
  readonly counted: boolean;
  readonly at: Instant;
}

export type ReplyStage = 'handling' | 'drafted' | 'signed' | 'reviewed' | 'dispatched';

/** One reply owed to the proposers: per unit in `separate` mode, one shared reply otherwise. */
export interface ReplyTrack {
  /** The replying unit; in `joint` mode the first lead unit names the one joint reply. */
  readonly unitId: string;
  /** Units whose signer must sign: the unit itself, or every lead unit in `joint` mode. */
  readonly signers: readonly string[];
  readonly round: number;
  readonly stage: ReplyStage;
  readonly draft?: ReplyDraft;
  readonly signatures: readonly string[];
  readonly review?: { readonly approved: boolean; readonly comment?: string };
  readonly dispatchedAt?: Instant;
  readonly published: boolean;
  /** The letter as the public sees it, contact details redacted; set once published. */
  readonly publicText?: string;
  readonly evaluations: readonly Evaluation[];
  /** Replies of earlier rounds, kept when re-handling starts a new one. */
  readonly earlierRounds: readonly { readonly round: number; readonly draft?: ReplyDraft; readonly dispatchedAt?: Instant; readonly evaluations: readonly Evaluation[] }[];
}

export interface Commitment extends CommitmentDraft {
  readonly unitId: string;
  readonly fulfilled: boolean;
  readonly note?: string;
  readonly fulfilledAt?: Instant;
  /** The proposer's receipt (回执) of the fulfilment report, once returned. */
  readonly receipt?: { readonly proposerId: string; readonly comment?: string; readonly at: Instant };
}

export interface Handling {
  readonly mode: AssignmentMode;
  readonly key: boolean;
  readonly supervisingUnits: readonly string[];
  readonly leadingOfficial?: string;
  readonly ruleSet: RuleSet;
  readonly calendarId: string;
  readonly assignedAt: Instant;
  /** 涉及面广、处理难度大: set at assignment (no reason) or declared later by the office (with its reason). */
  readonly complex?: { readonly reason?: string };
  readonly units: readonly AssignedUnit[];
  readonly tracks: Readonly<Record<string, ReplyTrack>>;
  readonly coOpinions: Readonly<Record<string, CoOpinion>>;
  readonly adjustmentRequests: readonly AdjustmentRequest[];
  readonly contacts: readonly Contact[];
  readonly commitments: Readonly<Record<string, Commitment>>;
  readonly urges: readonly { readonly urgeId: string; readonly unitId?: string; readonly message: string; readonly at: Instant }[];
  readonly round: number;
}

export interface EmptyProposal {
  readonly status: 'empty';
}
export interface SubmittedProposal extends ProposalCore {
  readonly status: 'submitted';
}
export interface AcceptedProposal extends ProposalCore {
  readonly status: 'accepted';
}
export interface RejectedProposal extends ProposalCore {
  readonly status: 'rejected';
  readonly rejectionReason: string;
}
export interface MergedProposal extends ProposalCore {
  readonly status: 'merged';
  readonly mergedInto: string;
}
export interface AssignedProposal extends ProposalCore {
  readonly status: 'assigned';
  readonly handling: Handling;
}
export interface RepliedProposal extends ProposalCore {
  readonly status: 'replied';
  readonly handling: Handling;
}
export interface RehandlingProposal extends ProposalCore {
  readonly status: 'rehandling';
  readonly handling: Handling;
}
export interface ClosedProposal extends ProposalCore {
  readonly status: 'closed';
  readonly handling: Handling;
  readonly closedAt: Instant;
}
export interface WithdrawnProposal extends ProposalCore {
  readonly status: 'withdrawn';
  readonly handling?: Handling;
  readonly withdrawalReason: string;
}

export type ProposalState =
  | EmptyProposal
  | SubmittedProposal
  | AcceptedProposal
  | RejectedProposal
  | MergedProposal
  | AssignedProposal
  | RepliedProposal
  | RehandlingProposal
  | ClosedProposal
  | WithdrawnProposal;

export type HandlingProposal = AssignedProposal | RepliedProposal | RehandlingProposal;
export type ExistingProposal = Exclude<ProposalState, EmptyProposal>;

export const INITIAL_STATE: EmptyProposal = { status: 'empty' };

export function isHandling(state: ProposalState): state is HandlingProposal {
  return state.status === 'assigned' || state.status === 'replied' || state.status === 'rehandling';
}

export function handlingOf(state: ProposalState): Handling | undefined {
  return 'handling' in state ? state.handling : undefined;
}

/** The reply track a unit answers through, if it replies at all (co-units do not). */
export function trackOf(handling: Handling, unitId: string): ReplyTrack | undefined {
  return Object.values(handling.tracks).find((track) => track.signers.includes(unitId));
}

export function isLeadUnit(handling: Handling, unitId: string): boolean {
  return handling.units.some((unit) => unit.unitId === unitId && unit.role === 'lead');
}

export function isCoUnit(handling: Handling, unitId: string): boolean {
  return handling.units.some((unit) => unit.unitId === unitId && unit.role === 'co');
}

export function isAssignedUnit(handling: Handling, unitId: string): boolean {
  return handling.units.some((unit) => unit.unitId === unitId);
}

/** Whether the lead alone rates for a co-signed item (Chongqing 第二十六条; Shandong 第二十三条 after consulting the co-signers). */
export function leadRatesAlone(ruleSet: RuleSet): boolean {
  return ruleSet.evaluation.counts !== 'every-proposer';
}

/** Whether this proposer's rating counts under the rule set: every proposer's, or the lead's (a merged item's lead keeps that standing). */
export function ratingCounts(ruleSet: RuleSet, proposer: Proposer): boolean {
  return !leadRatesAlone(ruleSet) || proposer.lead || proposer.leadOfMerged === true;
}

/** The proposers whose rating counts for satisfaction under the item's rule set. */
export function countingProposers(state: ProposalCore, handling: Handling): Proposer[] {
  return state.proposers.filter((proposer) => ratingCounts(handling.ruleSet, proposer));
}

export function evaluationComplete(state: ProposalCore, handling: Handling, track: ReplyTrack): boolean {
  const rated = new Set(track.evaluations.filter((e) => e.round === track.round && e.counted).map((e) => e.proposerId));
  return countingProposers(state, handling).every((proposer) => rated.has(proposer.id));
}

/**
 * The ratings of a reply's current round that count in the satisfaction figures: the counted ones, less
 * those given after the unit's evaluation window where the rule set leaves late feedback out.
 */
export function ratingsInFigures(state: ExistingProposal, handling: Handling, track: ReplyTrack): Evaluation[] {
  const ratings = track.evaluations.filter((e) => e.round === track.round && e.counted);
  if (handling.ruleSet.evaluation.late !== 'excluded') return ratings;
  // The window of the current round: the unit's last evaluation deadline not cancelled.
  const window = Object.entries(state.deadlines)
    .filter(([, d]) => d.kind === 'evaluation' && d.unitId === track.unitId && d.state !== 'cancelled')
    .sort(([a], [b]) => Number(a.split(':').pop()) - Number(b.split(':').pop()))
    .at(-1)?.[1];
  return window === undefined ? ratings : ratings.filter((e) => compareInstants(e.at, window.dueAt) <= 0);
}

/** Whether two unit lists hold the same units, in any order. */
export function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** The item's rating as a list filters on it: the least satisfied counted rating of the replies' current rounds, none before one is given. */
export function itemRating(state: ProposalState): Satisfaction | undefined {
  const handling = handlingOf(state);
  if (!handling) return undefined;
  const order: readonly Satisfaction[] = ['unsatisfied', 'basically-satisfied', 'satisfied'];
  const given = Object.values(handling.tracks).flatMap((t) => t.evaluations.filter((e) => e.round === t.round && e.counted).map((e) => e.satisfaction));
  return order.find((s) => given.includes(s));
}
