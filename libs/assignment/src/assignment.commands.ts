import { proposalCommand, proposalCommandHandlers } from '@banli/platform';

/** The commands of the assigning office's and the units' first steps: registration, assignment (complexity, receipt), adjustment, withdrawal, closure, and a merge (并案) taken in by its target. */
export class SubmitProposalCommand extends proposalCommand('SubmitProposal') {}
export class RegisterProposalCommand extends proposalCommand('RegisterProposal') {}
export class AssignProposalCommand extends proposalCommand('AssignProposal') {}
export class DeclareComplexCommand extends proposalCommand('DeclareComplex') {}
export class RecordReceiptCommand extends proposalCommand('RecordReceipt') {}
export class AcknowledgeAssignmentCommand extends proposalCommand('AcknowledgeAssignment') {}
export class RequestAdjustmentCommand extends proposalCommand('RequestAdjustment') {}
export class DecideAdjustmentCommand extends proposalCommand('DecideAdjustment') {}
export class CloseProposalCommand extends proposalCommand('CloseProposal') {}
export class WithdrawProposalCommand extends proposalCommand('WithdrawProposal') {}
export class AbsorbMergedProposalCommand extends proposalCommand('AbsorbMergedProposal') {}

export const ASSIGNMENT_COMMAND_HANDLERS = proposalCommandHandlers(SubmitProposalCommand, RegisterProposalCommand, AssignProposalCommand, DeclareComplexCommand, RecordReceiptCommand, AcknowledgeAssignmentCommand, RequestAdjustmentCommand, DecideAdjustmentCommand, CloseProposalCommand, WithdrawProposalCommand, AbsorbMergedProposalCommand);
