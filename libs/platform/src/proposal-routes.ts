import type { Actor, CommandWarning } from '@banli/domain';
import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';
import { ID_PATTERN } from './access';
import type { ProposalCommandMessage } from './proposal-command.message';
import { HttpProblem } from './problem';
import { type CommandResult, ProposalCommandService } from './proposal-commands.service';
import { replayingStoredAnswer } from './idempotency.interceptor';
import { parseIfMatch } from './request-context';
import { UnitsDirectory } from '@banli/application';

/** What a command route answers: `{ id, revision, status }`, and `warnings` when the input deserves a second look. */
export class CommandAnswer {
  @ApiProperty() id!: string;
  @ApiProperty() revision!: number;
  @ApiProperty() status!: string;
  @ApiPropertyOptional({ description: 'E.g. CONTACT_DETAILS_IN_TEXT: a phone number or e-mail address typed into a reply body or contact summary (recorded in the clear, not erasable)' })
  warnings?: readonly CommandWarning[];
}

/** Every command body may record when a paper step really happened. */
export class BackdatableDto {
  @ApiPropertyOptional({ description: 'When the step really happened (office and handlers only; never in the future)', example: '2023-03-16T02:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  occurredAt?: string;
}


/** Sends proposal commands on the command bus and shapes the answer. */
@Injectable()
export class ProposalCommandSender {
  constructor(
    private readonly bus: CommandBus,
    private readonly units: UnitsDirectory,
    private readonly commands: ProposalCommandService,
  ) {}

  /** Sends a feature's command, issued by `actor`, and shapes the answer. */
  async send(message: ProposalCommandMessage, actor: Actor, request: { occurredAt?: string; ifMatch?: string | string[] }): Promise<CommandAnswer> {
    const { proposalId, command } = message;
    if (!ID_PATTERN.test(proposalId)) throw new HttpProblem(404, 'NOT_FOUND', `No proposal ${proposalId}`);
    if (replayingStoredAnswer()) {
      // A stored answer is replayed only while the caller may still issue the command on the item as it is now.
      await this.commands.authorizeReplay(proposalId, command, actor, request.occurredAt !== undefined);
      return { id: proposalId, revision: -1, status: 'replayed' };
    }
    const result: CommandResult = await this.bus.execute(
      message.issuedWith({
        actor,
        ...(request.occurredAt === undefined ? {} : { occurredAt: request.occurredAt }),
        ...(request.ifMatch === undefined ? {} : { ifMatch: parseIfMatch(request.ifMatch) }),
      }),
    );
    return { id: result.id, revision: result.revision, status: result.status, ...(result.warnings.length > 0 ? { warnings: result.warnings } : {}) };
  }

  /** Commands naming units are refused when a unit is not in the directory. */
  async requireKnownUnits(...lists: (readonly string[] | undefined)[]): Promise<void> {
    const unknown = await this.units.unknown(lists.flatMap((list) => list ?? []));
    if (unknown.length > 0) throw new HttpProblem(422, 'UNKNOWN_UNIT', `Not in the units directory: ${unknown.join(', ')}`, { units: unknown });
  }
}
