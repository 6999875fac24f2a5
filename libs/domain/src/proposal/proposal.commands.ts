import type { CalendarDate } from '../shared/calendar-date';
import type { ProposalKind, ResultClass } from '../rule-sets/rule-set';
import type { AssignmentMode, ContactChannel, ContactStage, Proposer, Satisfaction } from './proposal.events';

export interface CommandDataByType {
  SubmitProposal: {
    proposalId: string;
    kind: ProposalKind;
    session: string;
    number: string;
    title: string;
    body: string;
    proposers: Proposer[];
  };
  RegisterProposal: { decision: 'accepted' | 'rejected' | 'merged'; reason?: string; mergedInto?: string };
  AbsorbMergedProposal: { sourceProposalId: string; proposers: Proposer[] };
  /** `agreedBy`: the co-signers who join the lead's written request (where the rule set needs every proposer). */
  WithdrawProposal: { reason: string; agreedBy?: string[] };
  AssignProposal: {
    mode: AssignmentMode;
    leadUnits: string[];
    coUnits?: string[];
    key?: boolean;
    supervisingUnits?: string[];
    leadingOfficial?: string;
    ruleSet?: string;
    complex?: boolean;
  };
  DeclareComplex: { reason: string };
  RecordReceipt: { unitId: string; receivedOn: CalendarDate };
  AcknowledgeAssignment: { unitId: string };
  RequestAdjustment: { unitId: string; reason: string };
  DecideAdjustment: { requestId: string; approved: boolean; reason?: string; leadUnits?: string[]; coUnits?: string[] };
  RecordContact: { unitId: string; stage: ContactStage; channel: ContactChannel; summary: string };
  SubmitCoOpinion: { unitId: string; content: string };
  ReturnCoOpinion: { unitId: string; reason: string };
  DraftReply: {
    unitId: string;
    documentNumber: string;
    resultClass: ResultClass;
    body: string;
    contactPerson: string;
    contactPhone: string;
    cc?: string[];
    disclose: boolean;
    commitments?: { description: string; dueDate: CalendarDate }[];
  };
  SignReply: { unitId: string };
  ReviewReply: { unitId: string; approved: boolean; comment?: string; resultClass?: ResultClass };
  DispatchReply: { unitId: string };
  EvaluateReply: {
    unitId?: string;
    satisfaction: Satisfaction;
    attitude?: Satisfaction;
    result?: Satisfaction;
    comment?: string;
  };
  OrderRehandling: { reason: string; unitIds?: string[] };
  ExtendDeadline: { unitId?: string; until?: CalendarDate; months?: number; reason: string; consentedBy?: string };
  ConfirmDeadlineMetOnTime: { deadlineId: string; reason: string };
  FulfilCommitment: { commitmentId: string; note: string };
  ReturnCommitmentReceipt: { commitmentId: string; comment?: string };
  UrgeUnit: { unitId?: string; message: string };
  CloseProposal: Record<string, never>;
  /** `publicText`: the office's own public version of the letter, redacted like the body would be. */
  PublishReply: { unitId: string; publicText?: string };
  MarkDeadlineApproaching: { deadlineId: string };
  MarkDeadlineBreached: { deadlineId: string };
  EscalateDeadline: { deadlineId: string; rung: number };
}

export type ProposalCommandType = keyof CommandDataByType;

export type ProposalCommand = {
  [T in ProposalCommandType]: { readonly type: T; readonly data: CommandDataByType[T] };
}[ProposalCommandType];

export type CommandOf<T extends ProposalCommandType> = Extract<ProposalCommand, { type: T }>;

export function command<T extends ProposalCommandType>(type: T, data: CommandDataByType[T]): CommandOf<T> {
  return { type, data } as CommandOf<T>;
}

/** The scheduler's commands: they record what the clock did, not a step someone took. */
export const DEADLINE_COMMAND_TYPES = ['MarkDeadlineApproaching', 'MarkDeadlineBreached', 'EscalateDeadline'] as const;

export const PROPOSAL_COMMAND_TYPES: readonly ProposalCommandType[] = [
  'SubmitProposal',
  'RegisterProposal',
  'AbsorbMergedProposal',
  'WithdrawProposal',
  'AssignProposal',
  'DeclareComplex',
  'RecordReceipt',
  'AcknowledgeAssignment',
  'RequestAdjustment',
  'DecideAdjustment',
  'RecordContact',
  'SubmitCoOpinion',
  'ReturnCoOpinion',
  'DraftReply',
  'SignReply',
  'ReviewReply',
  'DispatchReply',
  'EvaluateReply',
  'OrderRehandling',
  'ExtendDeadline',
  'ConfirmDeadlineMetOnTime',
  'FulfilCommitment',
  'ReturnCommitmentReceipt',
  'UrgeUnit',
  'CloseProposal',
  'PublishReply',
  'MarkDeadlineApproaching',
  'MarkDeadlineBreached',
  'EscalateDeadline',
];
