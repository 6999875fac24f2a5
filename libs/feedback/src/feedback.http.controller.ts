import { type Actor, command, SATISFACTIONS } from '@banli/domain';
import { BackdatableDto, CurrentActor, HttpProblem, PageQuery, ProposalCommandSender, Public, ReadModelService, seesEverything, StatsQuery } from '@banli/platform';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class EvaluationDto {
  @ApiPropertyOptional({ description: 'Which unit’s reply, when the item has several' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(128) unitId?: string;
  @ApiProperty({ enum: SATISFACTIONS }) @IsIn(SATISFACTIONS) satisfaction!: (typeof SATISFACTIONS)[number];
  @ApiPropertyOptional({ enum: SATISFACTIONS, description: '办理态度' }) @IsOptional() @IsIn(SATISFACTIONS) attitude?: (typeof SATISFACTIONS)[number];
  @ApiPropertyOptional({ enum: SATISFACTIONS, description: '办理结果' }) @IsOptional() @IsIn(SATISFACTIONS) result?: (typeof SATISFACTIONS)[number];
  @ApiPropertyOptional({ description: 'Required when unsatisfied' }) @IsOptional() @IsString() @MaxLength(10_000) comment?: string;
}

export class RehandlingDto extends BackdatableDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(5000) reason!: string;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @IsString({ each: true }) unitIds?: string[];
}

export class FulfilmentDto extends BackdatableDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(10_000) note!: string;
}

/** Feedback: the proposers' evaluation, re-handling, and following up commitments. */
@ApiTags('feedback')
@ApiBearerAuth()
@Controller('proposals/:id')
export class FeedbackHttpController {
  constructor(private readonly sender: ProposalCommandSender) {}

  @Post('evaluations')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rate a dispatched reply (a proposer named on the item)' })
  evaluate(@Param('id') id: string, @Body() body: EvaluationDto, @CurrentActor() actor: Actor, @Headers('if-match') ifMatch?: string) {
    return this.sender.send(id, command('EvaluateReply', { ...body }), actor, { ifMatch });
  }

  @Post('rehandling')
  @HttpCode(200)
  @ApiOperation({ summary: 'Order another round for an unsatisfied reply (office)' })
  rehandle(@Param('id') id: string, @Body() body: RehandlingDto, @CurrentActor() actor: Actor, @Headers('if-match') ifMatch?: string) {
    const { occurredAt, ...data } = body;
    return this.sender.send(id, command('OrderRehandling', data), actor, { occurredAt, ifMatch });
  }

  @Post('commitments/:commitmentId/fulfilment')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record that a commitment (承诺事项) was fulfilled (handler of the committing unit)' })
  fulfil(@Param('id') id: string, @Param('commitmentId') commitmentId: string, @Body() body: FulfilmentDto, @CurrentActor() actor: Actor, @Headers('if-match') ifMatch?: string) {
    return this.sender.send(id, command('FulfilCommitment', { commitmentId, note: body.note }), actor, { occurredAt: body.occurredAt, ifMatch });
  }

  @Post('replies/:unitId/publication')
  @HttpCode(200)
  @ApiOperation({ summary: 'Publish a disclosed reply (公开), contact details removed (office)' })
  publish(@Param('id') id: string, @Param('unitId') unitId: string, @Body() body: BackdatableDto, @CurrentActor() actor: Actor, @Headers('if-match') ifMatch?: string) {
    return this.sender.send(id, command('PublishReply', { unitId }), actor, { occurredAt: body.occurredAt, ifMatch });
  }
}

/** Per-unit figures (办复率, 按时办复率, 见面率, 满意率) and the published replies. */
@ApiTags('feedback')
@Controller()
export class FiguresHttpController {
  constructor(private readonly readModel: ReadModelService) {}

  @Get('stats')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Per-unit statistics; rates are null where nothing was counted' })
  stats(@Query() query: StatsQuery, @CurrentActor() actor: Actor) {
    const everything = seesEverything(actor);
    if (!everything && !(actor.roles.some((r) => r === 'handler' || r === 'signer') && actor.unit)) throw new HttpProblem(403, 'FORBIDDEN', 'Statistics are for supervisors, the office, auditors and units');
    if (!everything && query.unit !== undefined && query.unit !== actor.unit) throw new HttpProblem(403, 'FORBIDDEN', 'A unit sees its own figures');
    return this.readModel.model.stats({ ...(query.session ? { session: query.session } : {}), unit: everything ? query.unit : actor.unit });
  }

  @Public()
  @Get('public/replies')
  @ApiOperation({ summary: 'Disclosed and published replies, contact person and phone numbers removed (no token)' })
  publicReplies(@Query() query: PageQuery) {
    return this.readModel.model.publicReplies(query.page ?? 1, query.pageSize ?? 50);
  }
}
