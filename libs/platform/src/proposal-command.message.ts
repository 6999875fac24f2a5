import { command, type CommandDataByType, type ProposalCommand, type ProposalCommandType } from '@banli/domain';
import { type Type } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Metrics } from './observability';
import { type CommandOptions, type CommandResult, ProposalCommandService } from './proposal-commands.service';

/**
 * A proposal command on the Nest command bus: which item, what (typed by its domain command) and, once
 * the sender has them, who and when. Each feature declares the commands its routes and sagas send
 * (`proposalCommand('AssignProposal')`) and registers their handlers (`proposalCommandHandlers`).
 */
export class ProposalCommandMessage<T extends ProposalCommandType = ProposalCommandType> extends Command<CommandResult> {
  constructor(
    readonly type: T,
    readonly proposalId: string,
    readonly data: CommandDataByType[T],
    readonly options?: CommandOptions,
  ) {
    super();
  }

  /** The domain command it carries. */
  get command(): ProposalCommand {
    return command(this.type, this.data);
  }

  /** The same command, issued by `options.actor`. */
  issuedWith(options: CommandOptions): this {
    const Kind = this.constructor as ProposalCommandClass<T>;
    return new Kind(this.proposalId, this.data, options) as this;
  }
}

export type ProposalCommandClass<T extends ProposalCommandType = ProposalCommandType> = new (proposalId: string, data: CommandDataByType[T], options?: CommandOptions) => ProposalCommandMessage<T>;

/** Declares the bus message of one domain command: `export class AssignProposalCommand extends proposalCommand('AssignProposal') {}`. */
export function proposalCommand<T extends ProposalCommandType>(type: T): ProposalCommandClass<T> {
  return class extends ProposalCommandMessage<T> {
    constructor(proposalId: string, data: CommandDataByType[T], options?: CommandOptions) {
      super(type, proposalId, data, options);
    }
  };
}

/**
 * The bus handlers of a feature's commands: each runs its command through the one command path and
 * counts what it did. One handler class per command, as the command bus routes by class.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- one list holds every command's class
export function proposalCommandHandlers(...kinds: ProposalCommandClass<any>[]): Type<ICommandHandler>[] {
  return kinds.map((kind) => {
    class Handler implements ICommandHandler<ProposalCommandMessage, CommandResult> {
      constructor(
        readonly commands: ProposalCommandService,
        readonly metrics: Metrics,
      ) {}

      async execute(message: ProposalCommandMessage): Promise<CommandResult> {
        if (!message.options) throw new Error(`${message.type} was sent without who issued it`);
        try {
          const result = await this.commands.execute(message.proposalId, message.command, message.options);
          this.metrics.observe(message.type, result);
          return result;
        } catch (error) {
          this.metrics.observe(message.type, undefined, error);
          throw error;
        }
      }
    }
    Object.defineProperty(Handler, 'name', { value: `${kind.name || 'Proposal'}Handler` });
    Reflect.defineMetadata('design:paramtypes', [ProposalCommandService, Metrics], Handler);
    CommandHandler(kind)(Handler);
    return Handler;
  });
}
