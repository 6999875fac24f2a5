import { type Actor, deadlineScope, RESULT_CLASSES } from '@banli/domain';
import { BackdatableDto, CLOCK, CurrentActor, DOMAIN_SERVICES, type DomainServices, ProposalCommandSender, ReadModelService, StatsQuery, toInstant } from '@banli/platform';
import { Type } from 'class-transformer';
import { onTimeRates, overdueBuckets, upcomingByUnit } from './deadlines/deadline-queries';
import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ConfirmDeadlineMetOnTimeCommand, ExtendDeadlineCommand, ReviewReplyCommand, UrgeUnitCommand } from './supervision.commands';
import { DeadlineQueries } from './sqlite/deadlines.queries';
import { DeadlinesQuery } from './supervision.dto';

export class ReviewDto extends BackdatableDto {
  @ApiProperty() @IsBoolean() approved!: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(5000) comment?: string;
  @ApiPropertyOptional({ enum: RESULT_CLASSES }) @IsOptional() @IsIn(RESULT_CLASSES) resultClass?: (typeof RESULT_CLASSES)[number];
}

export class UrgeDto extends BackdatableDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(128) unitId?: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(5000) message!: string;
}

export class ExtensionDto extends BackdatableDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(128) unitId?: string;
  @ApiPropertyOptional({ example: '2025-09-10' }) @IsOptional() @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'until must be YYYY-MM-DD' }) until?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(12) months?: number;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(5000) reason!: string;
  @ApiPropertyOptional({ description: 'Who consented, where the rule set requires it (Shanghai 第十九条: the 代表工作机构), e.g. the body and its letter', example: '市人大常委会代表工作机构（沪人大代函〔2025〕12号）' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  consentedBy?: string;
}

export class OnTimeConfirmationDto {
  @ApiProperty({ description: 'What the office saw: e.g. the dispatch register entry, the signed receipt', example: '纸质发文登记簿第12页，2025-06-09 发出' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  reason!: string;
}

export class UnitQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) unit?: string;
}

export class UpcomingQuery extends UnitQuery {
  @ApiPropertyOptional({ default: 5, minimum: 1, maximum: 60 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(60) workingDays?: number;
}

/** Supervision (督办): reviewing replies, urging units, extending deadlines. */
@ApiTags('supervision')
@ApiBearerAuth()
@Controller('proposals/:id')
export class SupervisionHttpController {
  constructor(private readonly sender: ProposalCommandSender) {}

  @Post('replies/:unitId/review')
  @HttpCode(200)
  @ApiOperation({ summary: 'Supervisory review of a signed reply (督办审核): approve, return, or change the class' })
  review(@Param('id') id: string, @Param('unitId') unitId: string, @Body() body: ReviewDto, @CurrentActor() actor: Actor, @Headers('if-match') ifMatch?: string) {
    const { occurredAt, ...data } = body;
    return this.sender.send(new ReviewReplyCommand(id, { unitId, ...data }), actor, { occurredAt, ifMatch });
  }

  @Post('urges')
  @HttpCode(200)
  @ApiOperation({ summary: 'Urge a unit, or every unit (催办)' })
  urge(@Param('id') id: string, @Body() body: UrgeDto, @CurrentActor() actor: Actor, @Headers('if-match') ifMatch?: string) {
    const { occurredAt, ...data } = body;
    return this.sender.send(new UrgeUnitCommand(id, data), actor, { occurredAt, ifMatch });
  }

  @Post('extensions')
  @HttpCode(200)
  @ApiOperation({ summary: 'Extend a reply deadline within the rule set’s limit, with the consent it requires (office)' })
  extend(@Param('id') id: string, @Body() body: ExtensionDto, @CurrentActor() actor: Actor, @Headers('if-match') ifMatch?: string) {
    const { occurredAt, ...data } = body;
    return this.sender.send(new ExtendDeadlineCommand(id, data), actor, { occurredAt, ifMatch });
  }

  @Post('deadlines/:deadlineId/on-time-confirmation')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm on time a deadline met by a paper step entered after its breach was recorded, with what the office saw (office)' })
  confirmOnTime(@Param('id') id: string, @Param('deadlineId') deadlineId: string, @Body() body: OnTimeConfirmationDto, @CurrentActor() actor: Actor, @Headers('if-match') ifMatch?: string) {
    return this.sender.send(new ConfirmDeadlineMetOnTimeCommand(id, { deadlineId, reason: body.reason }), actor, { ifMatch });
  }
}

/** The supervision office's view of every deadline, with states computed against the clock. */
@ApiTags('supervision')
@ApiBearerAuth()
@Controller('supervision')
export class DeadlinesHttpController {
  constructor(
    private readonly readModel: ReadModelService,
    @Inject(CLOCK) private readonly clock: () => Date,
    @Inject(DOMAIN_SERVICES) private readonly domain: DomainServices,
  ) {}

  private readonly queries = new DeadlineQueries(() => this.readModel.model.database);

  @Get('deadlines')
  @ApiOperation({ summary: 'Deadlines by state, unit and due date (supervisors, office, auditors; a handler sees its unit’s)' })
  deadlines(@Query() query: DeadlinesQuery, @CurrentActor() actor: Actor) {
    const scope = deadlineScope(actor);
    const dueBefore = toInstant(query.dueBefore);
    return this.queries.deadlines(
      {
        ...(query.state ? { state: query.state } : {}),
        ...(query.unit ? { unit: query.unit } : {}),
        ...(dueBefore ? { dueBefore } : {}),
        ...scope,
      },
      this.clock(),
    );
  }

  @Get('deadlines/upcoming')
  @ApiOperation({ summary: 'What falls due in the next N working days (today included), per unit' })
  upcoming(@Query() query: UpcomingQuery, @CurrentActor() actor: Actor) {
    const scope = { ...deadlineScope(actor), ...(query.unit ? { unit: query.unit } : {}) };
    return upcomingByUnit((range) => this.queries.unmetUnitDeadlines({ ...range, ...scope }), this.clock(), query.workingDays ?? 5, this.domain.calendar);
  }

  @Get('deadlines/overdue')
  @ApiOperation({ summary: 'What is overdue now, bucketed by working days past the due date (0–5, 6–10, 11–20, 21+), per unit' })
  overdue(@Query() query: UnitQuery, @CurrentActor() actor: Actor) {
    const scope = { ...deadlineScope(actor), ...(query.unit ? { unit: query.unit } : {}) };
    return overdueBuckets((range) => this.queries.unmetUnitDeadlines({ ...range, ...scope }), this.clock(), this.domain.calendar);
  }

  @Get('on-time')
  @ApiOperation({ summary: 'Per unit: the share of fallen-due deadlines met on time, overall and by kind' })
  onTime(@Query() query: StatsQuery, @CurrentActor() actor: Actor) {
    const now = this.clock();
    return onTimeRates(this.queries.deadlineOutcomes({ ...query, ...deadlineScope(actor) }, now), now);
  }
}
