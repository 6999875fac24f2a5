import { type Actor, allowedActions, assertMayRead, listShowsHandling, isPending, shanghaiDate, workingDaysLeft, assertMayReadAsOf, listScope, proposalStreamId } from '@banli/domain';
import type { EventStore } from '@banli/event-store';
import type { FastifyReply } from 'fastify';
import { PersonalDataVault, buildDossier, historyView, openerFor, renderDossierHtml, proposalView } from '@banli/application';
import { CLOCK, DOMAIN_SERVICES, type DomainServices, EVENT_STORE, ReadModelService, CommandAnswer, CurrentActor, HttpProblem, ProposalCommandSender, ProposalCommandService, proposalIdFor, replayingStoredAnswer, requireRole, unitOf } from '@banli/platform';
import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AdjustmentDecisionDto, AdjustmentRequestDto, AssignmentDto, DossierQuery, EmptyCommandDto, ReasonDto, ReceiptDto, RegistrationDto, SubmitProposalDto, WithdrawalDto } from './proposal.dto';
import {
  AcknowledgeAssignmentCommand,
  AssignProposalCommand,
  CloseProposalCommand,
  DeclareComplexCommand,
  DecideAdjustmentCommand,
  RecordReceiptCommand,
  RegisterProposalCommand,
  RequestAdjustmentCommand,
  SubmitProposalCommand,
  WithdrawProposalCommand,
} from './assignment.commands';
import { listItems } from './sqlite/items.queries';
import { ListProposalsQuery } from './proposal.dto';

/** Registration, assignment and adjustment (交办): the assigning office's part of the contract, and reading an item. */
@ApiTags('proposals')
@ApiBearerAuth()
@Controller('proposals')
export class ProposalsHttpController {
  constructor(
    private readonly sender: ProposalCommandSender,
    private readonly proposals: ProposalCommandService,
    private readonly readModel: ReadModelService,
    @Inject(CLOCK) private readonly clock: () => Date,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly vault: PersonalDataVault,
    @Inject(DOMAIN_SERVICES) private readonly domain: DomainServices,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List items; a handler sees only its unit’s items, a proposer only its own' })
  list(@Query() query: ListProposalsQuery, @CurrentActor() actor: Actor) {
    const handlingShown = listShowsHandling(actor);
    if (!handlingShown && (query.rating || (query.awaiting && query.awaiting !== 'rating'))) {
      throw new HttpProblem(403, 'FORBIDDEN', 'A proposer lists its items by their own rating only: ratings and units’ stages are not filters for it', { field: query.rating ? 'rating' : 'awaiting' });
    }
    const page = listItems(
      this.readModel.model.database,
      {
        ...(query.status ? { status: query.status } : {}),
        ...(query.unit ? { unit: query.unit } : {}),
        ...(query.session ? { session: query.session } : {}),
        ...(query.overdue ? { overdue: query.overdue === 'true' } : {}),
        ...(query.kind ? { kind: query.kind } : {}),
        ...(query.number ? { number: query.number } : {}),
        ...(query.light ? { light: query.light } : {}),
        ...(query.rating ? { rating: query.rating } : {}),
        ...(query.q?.trim() ? { text: query.q.trim() } : {}),
        ...(query.sort ? { sort: query.sort } : {}),
        ...(query.awaiting ? { awaiting: query.awaiting } : {}),
        page: query.page ?? 1,
        pageSize: query.pageSize ?? 50,
        scope: listScope(actor),
      },
      this.clock(),
    );
    return handlingShown ? page : { ...page, items: page.items.map(({ rating: _rating, ...row }) => row) };
  }

  @Post()
  @ApiOperation({ summary: 'Register a submitted item (office)' })
  async submit(@Body() body: SubmitProposalDto, @CurrentActor() actor: Actor): Promise<CommandAnswer> {
    const id = proposalIdFor(body.kind, body.session, body.number);
    const { state } = await this.proposals.load(id);
    if (state.status !== 'empty' && !replayingStoredAnswer()) {
      requireRole(actor, 'office');
      throw new HttpProblem(409, 'DUPLICATE_PROPOSAL', `${body.kind} ${body.session} ${body.number} is already registered as ${id}`, { id });
    }
    const { submittedAt, ...data } = body;
    return this.sender.send(new SubmitProposalCommand(id, { proposalId: id, ...data, proposers: body.proposers.map((p) => ({ ...p })) }), actor, {
      ...(submittedAt === undefined ? {} : { occurredAt: submittedAt }),
    });
  }

  @Get(':id')
  @ApiOperation({ summary: 'The item; with asOf, as the system knew it then (by recordedAt). `allowedActions` lists the commands the caller may issue on it now (none as of a past date)' })
  @ApiOkResponse({ description: 'The item' })
  @ApiQuery({ name: 'asOf', required: false, description: 'An ISO-8601 instant' })
  async get(@Param('id') id: string, @CurrentActor() actor: Actor, @Query('asOf') asOf?: string) {
    const before = asOf === undefined ? undefined : asOfBound(asOf);
    const current = await this.proposals.load(id);
    if (current.state.status === 'empty') throw new HttpProblem(404, 'NOT_FOUND', `No proposal ${id}`);
    if (before === undefined) {
      const policy = assertMayRead(actor, current.state);
      const now = this.clock();
      const view = proposalView(id, current.state, current.revision, now, policy, openerFor(this.vault, policy));
      const today = shanghaiDate(now.toISOString());
      // Beside a deadline still owed, the working days left (negative: overdue by), counted on the service's calendar.
      const deadlines = view.deadlines.map((d) => (isPending(d) ? { ...d, workingDaysLeft: workingDaysLeft(d.dueDate, today, this.domain.calendar) } : d));
      return { ...view, deadlines, allowedActions: allowedActions(current.state, actor, now.toISOString(), this.domain.calendar) };
    }
    // An item as it was is shown only to those who may read it now.
    assertMayRead(actor, current.state);
    const { state, revision } = await this.proposals.load(id, before);
    if (state.status === 'empty') throw new HttpProblem(404, 'NOT_FOUND', `No proposal ${id} as of ${asOf}`);
    const policy = assertMayReadAsOf(actor, current.state, state);
    // Nothing can be done to the past: an as-of view allows no action.
    return { ...proposalView(id, state, revision, new Date(asOf!), policy, openerFor(this.vault, policy)), allowedActions: [] };
  }

  @Get(':id/history')
  @ApiOperation({ summary: 'Every recorded event of the item, with its hash; what the caller may not see of an event is left out and named in `withheld`' })
  async history(@Param('id') id: string, @CurrentActor() actor: Actor) {
    const { state, events } = await this.proposals.load(id);
    if (state.status === 'empty') throw new HttpProblem(404, 'NOT_FOUND', `No proposal ${id}`);
    const policy = assertMayRead(actor, state, 'history');
    return historyView(id, events, policy, openerFor(this.vault, policy));
  }

  @Get(':id/dossier')
  @ApiOperation({ summary: 'The audit dossier: every step (who, unit, happened, recorded), every deadline against its due date, the hash chain checked — a printable HTML page, or JSON with ?format=json' })
  async dossier(@Param('id') id: string, @Query() query: DossierQuery, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply) {
    const { state, events } = await this.proposals.load(id);
    if (state.status === 'empty') throw new HttpProblem(404, 'NOT_FOUND', `No proposal ${id}`);
    const policy = assertMayRead(actor, state, 'history');
    const dossier = buildDossier(id, state, events, await this.store.verify(proposalStreamId(id)), this.clock(), policy, openerFor(this.vault, policy));
    if (query.format === 'json') return dossier;
    void reply.type('text/html; charset=utf-8');
    return renderDossierHtml(dossier);
  }

  @Post(':id/registration')
  @HttpCode(200)
  async register(@Param('id') id: string, @Body() body: RegistrationDto, @CurrentActor() actor: Actor, @Headers('if-match') ifMatch?: string) {
    const { occurredAt, ...data } = body;
    return this.sender.send(new RegisterProposalCommand(id, data), actor, { occurredAt, ifMatch });
  }

  @Post(':id/assignment')
  @HttpCode(200)
  async assign(@Param('id') id: string, @Body() body: AssignmentDto, @CurrentActor() actor: Actor, @Headers('if-match') ifMatch?: string) {
    const { occurredAt, ...data } = body;
    await this.sender.requireKnownUnits(data.leadUnits, data.coUnits, data.supervisingUnits);
    return this.sender.send(new AssignProposalCommand(id, data), actor, { occurredAt, ifMatch });
  }

  @Post(':id/complexity')
  @HttpCode(200)
  @ApiOperation({ summary: 'Declare the item complex (涉及面广、处理难度大) after assignment, with a reason: the reply moves to the rule set’s complex period (office)' })
  async declareComplex(@Param('id') id: string, @Body() body: ReasonDto, @CurrentActor() actor: Actor, @Headers('if-match') ifMatch?: string) {
    return this.sender.send(new DeclareComplexCommand(id, { reason: body.reason }), actor, { occurredAt: body.occurredAt, ifMatch });
  }

  @Post(':id/receipts')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record the day a unit received the item (收到), when later than its assignment: steps counted from receipt run from it (office, or the unit’s handler)' })
  async recordReceipt(@Param('id') id: string, @Body() body: ReceiptDto, @CurrentActor() actor: Actor, @Headers('if-match') ifMatch?: string) {
    return this.sender.send(new RecordReceiptCommand(id, { unitId: body.unitId, receivedOn: body.receivedOn }), actor, { occurredAt: body.occurredAt, ifMatch });
  }

  @Post(':id/acknowledgements')
  @HttpCode(200)
  async acknowledge(@Param('id') id: string, @Body() body: EmptyCommandDto, @CurrentActor() actor: Actor, @Headers('if-match') ifMatch?: string) {
    return this.sender.send(new AcknowledgeAssignmentCommand(id, { unitId: unitOf(actor) }), actor, { occurredAt: body.occurredAt, ifMatch });
  }

  @Post(':id/adjustment-requests')
  @HttpCode(200)
  async requestAdjustment(@Param('id') id: string, @Body() body: AdjustmentRequestDto, @CurrentActor() actor: Actor, @Headers('if-match') ifMatch?: string) {
    const answer = await this.sender.send(new RequestAdjustmentCommand(id, { unitId: unitOf(actor), reason: body.reason }), actor, {
      occurredAt: body.occurredAt,
      ifMatch,
    });
    const { state } = await this.proposals.load(id);
    const requests = 'handling' in state ? (state.handling?.adjustmentRequests ?? []) : [];
    const mine = requests.filter((r) => r.unitId === actor.unit).at(-1);
    return { ...answer, ...(mine ? { requestId: mine.requestId } : {}) };
  }

  @Post(':id/adjustment-requests/:requestId/decision')
  @HttpCode(200)
  async decideAdjustment(
    @Param('id') id: string,
    @Param('requestId') requestId: string,
    @Body() body: AdjustmentDecisionDto,
    @CurrentActor() actor: Actor,
    @Headers('if-match') ifMatch?: string,
  ) {
    const { occurredAt, ...data } = body;
    await this.sender.requireKnownUnits(data.leadUnits, data.coUnits);
    return this.sender.send(new DecideAdjustmentCommand(id, { requestId, ...data }), actor, { occurredAt, ifMatch });
  }

  @Post(':id/closure')
  @HttpCode(200)
  async close(@Param('id') id: string, @Body() body: EmptyCommandDto, @CurrentActor() actor: Actor, @Headers('if-match') ifMatch?: string) {
    return this.sender.send(new CloseProposalCommand(id, {}), actor, { occurredAt: body.occurredAt, ifMatch });
  }

  @Post(':id/withdrawal')
  @HttpCode(200)
  async withdraw(@Param('id') id: string, @Body() body: WithdrawalDto, @CurrentActor() actor: Actor, @Headers('if-match') ifMatch?: string) {
    return this.sender.send(new WithdrawProposalCommand(id, { reason: body.reason, ...(body.agreedBy === undefined ? {} : { agreedBy: body.agreedBy }) }), actor, { occurredAt: body.occurredAt, ifMatch });
  }
}

/** `asOf` is inclusive: what was recorded at or before that instant. */
function asOfBound(asOf: string): string {
  const t = Date.parse(asOf);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(asOf) || Number.isNaN(t)) throw new HttpProblem(400, 'VALIDATION_FAILED', 'asOf must be an ISO-8601 instant', { field: 'asOf' });
  return new Date(t + 1).toISOString();
}
