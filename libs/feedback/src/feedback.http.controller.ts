import { type Actor, authorize, command, figuresScope, handlingOf, publicVersion, SATISFACTIONS, trackOf } from '@banli/domain';
import { BackdatableDto, CurrentActor, HttpProblem, PageQuery, ProposalCommandSender, ProposalCommandService, Public, ReadModelService, StatsQuery } from '@banli/platform';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { EvaluateReplyCommand, FulfilCommitmentCommand, OrderRehandlingCommand, PublishReplyCommand, ReturnCommitmentReceiptCommand } from './feedback.commands';
import { publicReplies, unitFigures } from './sqlite/figures.queries';

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

export class PublicationDto extends BackdatableDto {
  @ApiPropertyOptional({ description: 'The office’s own public version of the letter; redacted like the body, and recorded. Without it, the body is published, redacted' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100_000)
  publicText?: string;
}

export class FulfilmentDto extends BackdatableDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(10_000) note!: string;
}

export class CommitmentReceiptDto {
  @ApiPropertyOptional({ description: 'The proposer’s remark on the fulfilment report' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(10_000) comment?: string;
}

/** Feedback: the proposers' evaluation, re-handling, and following up commitments. */
@ApiTags('feedback')
@ApiBearerAuth()
@Controller('proposals/:id')
export class FeedbackHttpController {
  constructor(
    private readonly sender: ProposalCommandSender,
    private readonly proposals: ProposalCommandService,
  ) {}

  @Post('evaluations')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rate a dispatched reply (a proposer named on the item)' })
  evaluate(@Param('id') id: string, @Body() body: EvaluationDto, @CurrentActor() actor: Actor, @Headers('if-match') ifMatch?: string) {
    return this.sender.send(new EvaluateReplyCommand(id, { ...body }), actor, { ifMatch });
  }

  @Post('rehandling')
  @HttpCode(200)
  @ApiOperation({ summary: 'Order another round for an unsatisfied reply (office)' })
  rehandle(@Param('id') id: string, @Body() body: RehandlingDto, @CurrentActor() actor: Actor, @Headers('if-match') ifMatch?: string) {
    const { occurredAt, ...data } = body;
    return this.sender.send(new OrderRehandlingCommand(id, data), actor, { occurredAt, ifMatch });
  }

  @Post('commitments/:commitmentId/fulfilment')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record that a commitment (承诺事项) was fulfilled (handler of the committing unit)' })
  fulfil(@Param('id') id: string, @Param('commitmentId') commitmentId: string, @Body() body: FulfilmentDto, @CurrentActor() actor: Actor, @Headers('if-match') ifMatch?: string) {
    return this.sender.send(new FulfilCommitmentCommand(id, { commitmentId, note: body.note }), actor, { occurredAt: body.occurredAt, ifMatch });
  }

  @Post('commitments/:commitmentId/receipt')
  @HttpCode(200)
  @ApiOperation({ summary: 'Return the receipt (回执) of a commitment’s fulfilment report, within the rule set’s period (a proposer named on the item)' })
  returnReceipt(@Param('id') id: string, @Param('commitmentId') commitmentId: string, @Body() body: CommitmentReceiptDto, @CurrentActor() actor: Actor, @Headers('if-match') ifMatch?: string) {
    return this.sender.send(new ReturnCommitmentReceiptCommand(id, { commitmentId, ...(body.comment === undefined ? {} : { comment: body.comment }) }), actor, { ifMatch });
  }

  @Post('replies/:unitId/publication')
  @HttpCode(200)
  @ApiOperation({ summary: 'Publish a disclosed reply (公开): the body, or the office’s own publicText, with every contact detail redacted (office)' })
  publish(@Param('id') id: string, @Param('unitId') unitId: string, @Body() body: PublicationDto, @CurrentActor() actor: Actor, @Headers('if-match') ifMatch?: string) {
    return this.sender.send(new PublishReplyCommand(id, { unitId, ...(body.publicText === undefined ? {} : { publicText: body.publicText }) }), actor, { occurredAt: body.occurredAt, ifMatch });
  }

  @Get('replies/:unitId/publication/preview')
  @ApiOperation({ summary: 'What publishing the reply would show the public: the body redacted, and each contact detail found (office)' })
  async preview(@Param('id') id: string, @Param('unitId') unitId: string, @CurrentActor() actor: Actor) {
    const { state } = await this.proposals.load(id);
    if (state.status === 'empty') throw new HttpProblem(404, 'NOT_FOUND', `No proposal ${id}`);
    // Whoever may publish may preview: the same access policy decides.
    authorize(command('PublishReply', { unitId }), state, actor);
    const handling = handlingOf(state);
    const track = handling ? trackOf(handling, unitId) : undefined;
    if (!track) throw new HttpProblem(422, 'NOT_A_LEAD_UNIT', `${unitId} does not reply on this item`, { unitId });
    if (!track.draft) throw new HttpProblem(422, 'REPLY_NOT_DRAFTED', 'There is no reply to preview', { unitId });
    const { text, found } = publicVersion(track.draft.body);
    return {
      proposalId: id,
      unitId: track.unitId,
      round: track.round,
      disclose: track.draft.disclose,
      dispatched: track.stage === 'dispatched',
      published: track.published,
      publicText: text,
      redactions: found.map((f) => ({ kind: f.kind, text: f.text, start: f.start, end: f.end })),
      ...(track.published ? { publishedText: track.publicText } : {}),
    };
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
    return unitFigures(this.readModel.model.database, { ...(query.session ? { session: query.session } : {}), ...figuresScope(actor, query.unit) });
  }

  @Public()
  @Get('public/replies')
  @ApiOperation({ summary: 'Disclosed and published replies, contact person and phone numbers removed (no token)' })
  publicReplies(@Query() query: PageQuery) {
    return publicReplies(this.readModel.model.database, query.page ?? 1, query.pageSize ?? 50);
  }
}
