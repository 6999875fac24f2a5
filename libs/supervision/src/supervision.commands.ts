import { proposalCommand, proposalCommandHandlers } from '@banli/platform';

/** The commands of the supervision office's: review, urging, extensions, on-time confirmation. */
export class ReviewReplyCommand extends proposalCommand('ReviewReply') {}
export class UrgeUnitCommand extends proposalCommand('UrgeUnit') {}
export class ExtendDeadlineCommand extends proposalCommand('ExtendDeadline') {}
export class ConfirmDeadlineMetOnTimeCommand extends proposalCommand('ConfirmDeadlineMetOnTime') {}

export const SUPERVISION_COMMAND_HANDLERS = proposalCommandHandlers(ReviewReplyCommand, UrgeUnitCommand, ExtendDeadlineCommand, ConfirmDeadlineMetOnTimeCommand);
