import { proposalCommand, proposalCommandHandlers } from '@banli/platform';

/** The commands of the proposer's rating and what follows it: re-handling, commitments, publication. */
export class EvaluateReplyCommand extends proposalCommand('EvaluateReply') {}
export class OrderRehandlingCommand extends proposalCommand('OrderRehandling') {}
export class FulfilCommitmentCommand extends proposalCommand('FulfilCommitment') {}
export class ReturnCommitmentReceiptCommand extends proposalCommand('ReturnCommitmentReceipt') {}
export class PublishReplyCommand extends proposalCommand('PublishReply') {}

export const FEEDBACK_COMMAND_HANDLERS = proposalCommandHandlers(EvaluateReplyCommand, OrderRehandlingCommand, FulfilCommitmentCommand, ReturnCommitmentReceiptCommand, PublishReplyCommand);
