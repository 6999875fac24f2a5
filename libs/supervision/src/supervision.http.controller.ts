import { type Actor, command, RESULT_CLASSES } from '@banli/domain';
import { BackdatableDto, CLOCK, CurrentActor, DeadlinesQuery, HttpProblem, ProposalCommandSender, ReadModelService, seesEverything, toInstant } from '@banli/platform';
import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

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
    return this.sender.send(id, command('ReviewReply', { unitId, ...data }), actor, { occurredAt, ifMatch });
  }

  @Post('urges')
  @HttpCode(200)
  @ApiOperation({ summary: 'Urge a unit, or every unit (催办)' })
  urge(@Param('id') id: string, @Body() body: UrgeDto, @CurrentActor() actor: Actor, @Headers('if-match') ifMatch?: string) {
    const { occurredAt, ...data } = body;
    return this.sender.send(id, command('UrgeUnit', data), actor, { occurredAt, ifMatch });
  }

  @Post('extensions')
  @HttpCode(200)
  @ApiOperation({ summary: 'Extend a reply deadline within the rule set’s limit (office)' })
  extend(@Param('id') id: string, @Body() body: ExtensionDto, @CurrentActor() actor: Actor, @Headers('if-match') ifMatch?: string) {
    const { occurredAt, ...data } = body;
    return this.sender.send(id, command('ExtendDeadline', data), actor, { occurredAt, ifMatch });
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
  ) {}

  @Get('deadlines')
  @ApiOperation({ summary: 'Deadlines by state, unit and due date (supervisors, office, auditors; a handler sees its unit’s)' })
  deadlines(@Query() query: DeadlinesQuery, @CurrentActor() actor: Actor) {
    const everything = seesEverything(actor);
    if (!everything && !(actor.roles.includes('handler') && actor.unit)) throw new HttpProblem(403, 'FORBIDDEN', 'Deadlines are for supervisors, the office, auditors and handlers');
    const dueBefore = toInstant(query.dueBefore);
    return this.readModel.model.deadlines(
      {
        ...(query.state ? { state: query.state } : {}),
        ...(query.unit ? { unit: query.unit } : {}),
        ...(dueBefore ? { dueBefore } : {}),
        ...(everything ? {} : { scopeUnit: actor.unit }),
      },
      this.clock(),
    );
  }
}
