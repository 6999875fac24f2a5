import type { ProposalCommand } from '@banli/domain';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Metrics } from './observability';
import { type CommandOptions, type CommandResult, ProposalCommandService } from './proposal-commands.service';

/** The command-bus message every proposal route sends: which item, which domain command, who and when. */
export class ExecuteProposalCommand {
  constructor(
    readonly proposalId: string,
    readonly command: ProposalCommand,
    readonly options: CommandOptions,
  ) {}
}

@CommandHandler(ExecuteProposalCommand)
export class ExecuteProposalCommandHandler implements ICommandHandler<ExecuteProposalCommand, CommandResult> {
  constructor(
    private readonly commands: ProposalCommandService,
    private readonly metrics: Metrics,
  ) {}

  async execute({ proposalId, command, options }: ExecuteProposalCommand): Promise<CommandResult> {
    try {
      const result = await this.commands.execute(proposalId, command, options);
      this.metrics.observe(command.type, result);
      return result;
    } catch (error) {
      this.metrics.observe(command.type, undefined, error);
      throw error;
    }
  }
}
