import { type Actor, readsEverything } from '@banli/domain';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ID_PATTERN } from './access';
import { CurrentActor } from './auth';
import { HttpProblem } from './problem';
import { ReadModelService } from './read-model.service';

export class ReadModelQuery {
  @ApiPropertyOptional({ description: 'Wait until the read model holds at least this revision' }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) atLeast?: number;
  @ApiPropertyOptional({ default: 0, description: 'How long to wait, in milliseconds (≤ 10000)' }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(10_000) waitMs?: number;
}

/** Read-your-writes: how far this service's read model has got with an item, optionally waiting for a revision. */
@ApiTags('read models')
@ApiBearerAuth()
@Controller('read-model')
export class ReadModelHttpController {
  constructor(private readonly readModel: ReadModelService) {}

  @Get('proposals/:id')
  @ApiOperation({ summary: 'The revision of an item this service’s read model holds; with atLeast and waitMs, answers once it is reached' })
  async revision(@Param('id') id: string, @Query() query: ReadModelQuery, @CurrentActor() actor: Actor) {
    if (!readsEverything(actor)) throw new HttpProblem(403, 'FORBIDDEN', 'For the office, supervisors, auditors and admins');
    if (!ID_PATTERN.test(id)) throw new HttpProblem(404, 'NOT_FOUND', `No proposal ${id}`);
    const reached = query.atLeast === undefined ? true : await this.readModel.waitForRevision(id, query.atLeast, query.waitMs ?? 0);
    return { proposalId: id, revision: this.readModel.model.revisionOf(id), reached };
  }
}
