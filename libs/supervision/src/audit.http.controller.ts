import { type Actor, proposalIdOf, proposalStreamId } from '@banli/domain';
import type { EventStore } from '@banli/event-store';
import { CurrentActor, EVENT_STORE, HttpProblem, ID_PATTERN, requireRole } from '@banli/platform';
import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

export class VerifyQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(ID_PATTERN) proposalId?: string;
}

/** Proof that nobody altered history: the hash chain of one item, or of every item. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditHttpController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get('verify')
  @ApiOperation({ summary: 'Recompute hash chains (auditor): { ok, checked, firstBrokenRevision? }, per item when no proposalId is given' })
  async verify(@Query() query: VerifyQuery, @CurrentActor() actor: Actor) {
    requireRole(actor, 'auditor', 'admin');
    if (query.proposalId !== undefined) {
      const events = await this.store.readStream(proposalStreamId(query.proposalId));
      if (events.length === 0) throw new HttpProblem(404, 'NOT_FOUND', `No proposal ${query.proposalId}`);
      return this.store.verify(proposalStreamId(query.proposalId));
    }
    const streams = new Set<string>();
    for (let from = 0; ; ) {
      const page = await this.store.readAll({ fromPosition: from, limit: 5000 });
      if (page.length === 0) break;
      for (const e of page) if (proposalIdOf(e.streamId) !== undefined) streams.add(e.streamId);
      from = page[page.length - 1].position;
    }
    const broken: { proposalId: string; firstBrokenRevision: number }[] = [];
    let checked = 0;
    for (const stream of streams) {
      const result = await this.store.verify(stream);
      checked += result.checked;
      if (!result.ok) broken.push({ proposalId: proposalIdOf(stream)!, firstBrokenRevision: result.firstBrokenRevision! });
    }
    return { ok: broken.length === 0, checked, streams: streams.size, broken };
  }
}
