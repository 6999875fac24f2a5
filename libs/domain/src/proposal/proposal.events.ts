import type { Actor } from '../shared/actor';
import type { CalendarDate, Instant } from '../shared/calendar-date';
import type { Period } from '../periods/period';
import type { EscalationTarget, ProposalKind, ResultClass, RuleSet } from '../rule-sets/rule-set';

/* ---------- Shared vocabulary ---------- */

/** Who the proposer may call about a reply. The phone is personal data: the service seals it before it is recorded. */
export interface ReplyContact {
  readonly name: string;
  readonly phone: string;
}

export interface Proposer {
  readonly id: string;
  readonly name: string;
  /** 领衔: exactly one per item. Co-signers (联名/附议) are not leads. */
  readonly lead: boolean;
  /** Personal data: sealed by the service before it is recorded (`pii:v1:…`), erasable on request. */
  readonly phone?: string;
  /** Set for proposers who joined through a merge (并案), naming the merged item. */
  readonly mergedFrom?: string;
  /** The merged item's own lead keeps a lead's standing for evaluation on the item it joined. */
  readonly leadOfMerged?: boolean;
}

export const ASSIGNMENT_MODES = ['lead-with-co', 'separate', 'joint'] as const;
export type AssignmentMode = (typeof ASSIGNMENT_MODES)[number];

export const CONTACT_STAGES = ['before', 'during', 'after'] as const;
export const CONTACT_CHANNELS = ['meeting', 'phone', 'visit', 'online'] as const;
export type ContactStage = (typeof CONTACT_STAGES)[number];
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

export const SATISFACTIONS = ['satisfied', 'basically-satisfied', 'unsatisfied'] as const;
export type Satisfaction = (typeof SATISFACTIONS)[number];

export const DEADLINE_KINDS = [
  'adjustment-window',
  'first-contact',
  'co-opinion',
  'reply',
  'evaluation',
  'rehandling-reply',
  'disclosure',
  'commitment',
  'commitment-receipt',
] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

export interface CommitmentDraft {
  readonly commitmentId: string;
  readonly description: string;
  readonly dueDate: CalendarDate;
}

export interface EscalationPoint {
  readonly rung: number;
  readonly at: Instant;
  readonly to: EscalationTarget;
}

/** When a deadline falls due and when it warns and escalates: computed once, when it is set or moved. */
export interface DeadlineSchedule {
  readonly dueDate: CalendarDate;
  readonly dueAt: Instant;
  readonly warnAt?: Instant;
  readonly escalations: readonly EscalationPoint[];
  /** The count relied on a year whose official holiday arrangement was not yet published. */
  readonly provisional: boolean;
}

/* ---------- Events ---------- */

export interface EventDataByType {
  ProposalSubmitted: {
    proposalId: string;
    kind: ProposalKind;
    session: string;
    number: string;
    title: string;
    body: string;
    proposers: Proposer[];
    submittedAt: Instant;
  };
  ProposalAccepted: { note?: string };
  ProposalRejected: { reason: string };
  ProposalMerged: { mergedInto: string; reason?: string };
  MergedProposalAbsorbed: { sourceProposalId: string; proposers: Proposer[] };
  /** `agreedBy`: the co-signers who joined the request, where the rule set needs every proposer's agreement. */
  ProposalWithdrawn: { reason: string; proposerId: string; agreedBy?: string[] };
  ProposalAssigned: {
    mode: AssignmentMode;
    leadUnits: string[];
    coUnits: string[];
    key: boolean;
    supervisingUnits: string[];
    leadingOfficial?: string;
    /** The whole rule set as it stood at assignment: the item keeps it whatever changes later. */
    ruleSet: RuleSet;
    calendarId: string;
    /** 涉及面广、处理难度大: the reply runs for the rule set's complex period. Absent in items assigned before it existed: not complex. */
    complex?: boolean;
  };
  /** The office found the item complex after assignment, with its reason. */
  ComplexityDeclared: { reason: string };
  /** A unit's receipt (收到) of the item recorded later than its assignment (a paper delivery): steps counted from receipt run from this day. */
  AssignmentReceived: { unitId: string; receivedOn: CalendarDate };
  AssignmentAcknowledged: { unitId: string };
  AdjustmentRequested: { requestId: string; unitId: string; reason: string };
  AdjustmentApproved: { requestId: string; reason?: string; leadUnits: string[]; coUnits: string[] };
  AdjustmentRefused: { requestId: string; reason?: string };
  ProposerContacted: { unitId: string; stage: ContactStage; channel: ContactChannel; summary: string };
  CoOpinionSubmitted: { unitId: string; leadUnit: string; content: string };
  CoOpinionReturned: { unitId: string; reason: string };
  ReplyDrafted: {
    unitId: string;
    round: number;
    documentNumber: string;
    resultClass: ResultClass;
    body: string;
    /** v2: the contact person's details, together (v1 had `contactPerson` and `contactPhone` beside the rest). */
    contact: ReplyContact;
    cc: string[];
    disclose: boolean;
    commitments: CommitmentDraft[];
  };
  ReplySigned: { unitId: string; signerUnit: string; signerId: string; signerName?: string };
  ReplyReviewed: {
    unitId: string;
    approved: boolean;
    comment?: string;
    previousResultClass: ResultClass;
    resultClass: ResultClass;
  };
  ReplyDispatched: { unitId: string; round: number; resultClass: ResultClass; recipients: string[] };
  ReplyEvaluated: {
    unitId: string;
    round: number;
    proposerId: string;
    satisfaction: Satisfaction;
    attitude?: Satisfaction;
    result?: Satisfaction;
    comment?: string;
    /** Whether this rating counts under the rule set (lead only, or every proposer). */
    counted: boolean;
  };
  RehandlingOrdered: { round: number; unitIds: string[]; reason: string };
  CommitmentFulfilled: { commitmentId: string; unitId: string; note: string };
  /** The proposer's receipt (回执) of the unit's report that a commitment was fulfilled (Chongqing 第二十八条). */
  CommitmentReceiptReturned: { commitmentId: string; proposerId: string; comment?: string };
  Urged: { urgeId: string; unitId?: string; message: string };
  ProposalClosed: Record<string, never>;
  /**
   * v2: the text as it was published, with contact details redacted (from the reply's body, or from the
   * office's own public version, `edited`). v1 carried neither: its public text is the body, redacted.
   */
  ReplyPublished: { unitId: string; round: number; publicText?: string; edited?: boolean; redactions?: number };
  DeadlineSet: DeadlineSchedule & {
    deadlineId: string;
    kind: DeadlineKind;
    unitId?: string;
    commitmentId?: string;
    /** The day the period runs from (not counted, 民法典 art. 201). */
    startDate: CalendarDate;
    period?: Period;
    source: string;
    calendarId: string;
  };
  DeadlineMet: { deadlineId: string; metAt: Instant; onTime: boolean };
  /** The office saw the paper: a step entered after the system recorded a breach did happen on time. */
  DeadlineMetOnTimeConfirmed: { deadlineId: string; reason: string };
  /** `consentedBy`: who agreed to the extension where the rule set requires consent (Shanghai 第十九条). */
  DeadlineExtended: DeadlineSchedule & { deadlineId: string; previousDueDate: CalendarDate; reason: string; consentedBy?: string };
  DeadlineApproaching: { deadlineId: string; dueAt: Instant };
  DeadlineBreached: { deadlineId: string; dueAt: Instant };
  Escalated: { deadlineId: string; rung: number; to: EscalationTarget; recipients: string[] };
  DeadlineCancelled: { deadlineId: string; reason: string };
}

export type ProposalEventType = keyof EventDataByType;

/** Each event type's current schema version. Bump it, and add an upcaster, when a payload changes shape. */
export const EVENT_SCHEMA_VERSIONS: { readonly [T in ProposalEventType]: number } = {
  ProposalSubmitted: 1,
  ProposalAccepted: 1,
  ProposalRejected: 1,
  ProposalMerged: 1,
  MergedProposalAbsorbed: 1,
  ProposalWithdrawn: 1,
  ProposalAssigned: 1,
  ComplexityDeclared: 1,
  AssignmentReceived: 1,
  AssignmentAcknowledged: 1,
  AdjustmentRequested: 1,
  AdjustmentApproved: 1,
  AdjustmentRefused: 1,
  ProposerContacted: 1,
  CoOpinionSubmitted: 1,
  CoOpinionReturned: 1,
  ReplyDrafted: 2,
  ReplySigned: 1,
  ReplyReviewed: 1,
  ReplyDispatched: 1,
  ReplyEvaluated: 1,
  RehandlingOrdered: 1,
  CommitmentFulfilled: 1,
  CommitmentReceiptReturned: 1,
  Urged: 1,
  ProposalClosed: 1,
  ReplyPublished: 2,
  DeadlineSet: 1,
  DeadlineMet: 1,
  DeadlineMetOnTimeConfirmed: 1,
  DeadlineExtended: 1,
  DeadlineApproaching: 1,
  DeadlineBreached: 1,
  Escalated: 1,
  DeadlineCancelled: 1,
};

export const PROPOSAL_EVENT_TYPES = Object.keys(EVENT_SCHEMA_VERSIONS) as ProposalEventType[];

/** The event types the deadline machinery records; they are not steps of the handling itself. */
export const DEADLINE_EVENT_TYPES = [
  'DeadlineSet',
  'DeadlineMet',
  'DeadlineMetOnTimeConfirmed',
  'DeadlineExtended',
  'DeadlineApproaching',
  'DeadlineBreached',
  'Escalated',
  'DeadlineCancelled',
] as const satisfies readonly ProposalEventType[];

export type ProposalEvent = {
  [T in ProposalEventType]: { readonly type: T; readonly schemaVersion: number; readonly data: EventDataByType[T] };
}[ProposalEventType];

export type EventOf<T extends ProposalEventType> = Extract<ProposalEvent, { type: T }>;

/** What the caller adds when it records an event; `occurredAt` is what deadlines run from. */
export interface EventMetadata {
  readonly occurredAt: Instant;
  readonly recordedAt?: Instant;
  readonly actor?: Actor;
  readonly correlationId?: string;
  readonly causationId?: string;
}

export type RecordedProposalEvent = ProposalEvent & { readonly metadata: EventMetadata };

export function event<T extends ProposalEventType>(type: T, data: EventDataByType[T]): EventOf<T> {
  return { type, schemaVersion: EVENT_SCHEMA_VERSIONS[type], data } as EventOf<T>;
}

export function isDeadlineEvent(type: ProposalEventType): boolean {
  return (DEADLINE_EVENT_TYPES as readonly string[]).includes(type);
}
