import type { Actor } from '@banli/domain';
import { BackdatableDto, CurrentActor, ProposalCommandSender, unitOf } from '@banli/platform';
import { Body, Controller, Headers, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ContactDto, CoOpinionDto, ReplyDto, ReturnDto } from './co-handling.dto';
import { DispatchReplyCommand, DraftReplyCommand, RecordContactCommand, ReturnCoOpinionCommand, SignReplyCommand, SubmitCoOpinionCommand } from './co-handling.commands';

/** Co-handling coordination: contacts with the proposer, co-opinions to the lead, and the reply up to dispatch. */
@ApiTags('co-handling')
@ApiBearerAuth()
@Controller('proposals/:id')
export class CoHandlingHttpController {
  constructor(private readonly sender: ProposalCommandSender) {}

  @Post('contacts')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record a contact with the proposer (handler of a lead unit)' })
  contact(@Param('id') id: string, @Body() body: ContactDto, @CurrentActor() actor: Actor, @Headers('if-match') ifMatch?: string) {
    const { occurredAt, ...data } = body;
    return this.sender.send(new RecordContactCommand(id, { unitId: unitOf(actor), ...data }), actor, { occurredAt, ifMatch });
  }

  @Put('co-opinions/:unitId')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send the co-unit’s written opinion to the lead (handler of that co-unit)' })
  coOpinion(@Param('id') id: string, @Param('unitId') unitId: string, @Body() body: CoOpinionDto, @CurrentActor() actor: Actor, @Headers('if-match') ifMatch?: string) {
    return this.sender.send(new SubmitCoOpinionCommand(id, { unitId, content: body.content }), actor, { occurredAt: body.occurredAt, ifMatch });
  }

  @Post('co-opinions/:unitId/return')
  @HttpCode(200)
  @ApiOperation({ summary: 'Return an empty co-opinion for resubmission (handler of the lead unit)' })
  returnCoOpinion(@Param('id') id: string, @Param('unitId') unitId: string, @Body() body: ReturnDto, @CurrentActor() actor: Actor, @Headers('if-match') ifMatch?: string) {
    return this.sender.send(new ReturnCoOpinionCommand(id, { unitId, reason: body.reason }), actor, { occurredAt: body.occurredAt, ifMatch });
  }

  @Put('replies/:unitId')
  @HttpCode(200)
  @ApiOperation({ summary: 'Draft the reply letter; replaceable until signed (handler of that unit)' })
  draft(@Param('id') id: string, @Param('unitId') unitId: string, @Body() body: ReplyDto, @CurrentActor() actor: Actor, @Headers('if-match') ifMatch?: string) {
    const { occurredAt, ...data } = body;
    return this.sender.send(
      new DraftReplyCommand(id, { unitId, ...data, ...(data.commitments ? { commitments: data.commitments.map((c) => ({ ...c })) } : {}) }),
      actor,
      { occurredAt, ifMatch },
    );
  }

  @Post('replies/:unitId/signature')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign the reply (signer of that unit); 422 CO_OPINIONS_PENDING while a co-opinion is outstanding' })
  sign(@Param('id') id: string, @Param('unitId') unitId: string, @Body() body: BackdatableDto, @CurrentActor() actor: Actor, @Headers('if-match') ifMatch?: string) {
    return this.sender.send(new SignReplyCommand(id, { unitId }), actor, { occurredAt: body.occurredAt, ifMatch });
  }

  @Post('replies/:unitId/dispatch')
  @HttpCode(200)
  @ApiOperation({ summary: 'Dispatch the signed reply to every proposer (handler of that unit)' })
  dispatch(@Param('id') id: string, @Param('unitId') unitId: string, @Body() body: BackdatableDto, @CurrentActor() actor: Actor, @Headers('if-match') ifMatch?: string) {
    return this.sender.send(new DispatchReplyCommand(id, { unitId }), actor, { occurredAt: body.occurredAt, ifMatch });
  }
}
