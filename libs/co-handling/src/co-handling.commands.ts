import { proposalCommand, proposalCommandHandlers } from '@banli/platform';

/** The commands of handling: contacts with the proposers, co-opinions, the reply from draft to dispatch. */
export class RecordContactCommand extends proposalCommand('RecordContact') {}
export class SubmitCoOpinionCommand extends proposalCommand('SubmitCoOpinion') {}
export class ReturnCoOpinionCommand extends proposalCommand('ReturnCoOpinion') {}
export class DraftReplyCommand extends proposalCommand('DraftReply') {}
export class SignReplyCommand extends proposalCommand('SignReply') {}
export class DispatchReplyCommand extends proposalCommand('DispatchReply') {}

export const CO_HANDLING_COMMAND_HANDLERS = proposalCommandHandlers(RecordContactCommand, SubmitCoOpinionCommand, ReturnCoOpinionCommand, DraftReplyCommand, SignReplyCommand, DispatchReplyCommand);
