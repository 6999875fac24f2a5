import { type Actor, proposalIdOf, proposalStreamId } from '@banli/domain';
import { allStreamIds, type EventStore } from '@banli/event-store';
import { BANLI_CONFIG, type BanliConfig, CurrentActor, EVENT_STORE, HttpProblem, ID_PATTERN, requireRole } from '@banli/platform';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { verifyWholeStore } from './audit/store-checkpoints';
import { Controller, Get, Headers, Inject, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { Readable } from 'node:stream';

export class VerifyQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(ID_PATTERN) proposalId?: string;
}

/** About this many progress lines in a streamed whole-store verification. */
const PROGRESS_LINES = 20;

/** Proof that nobody altered history: the hash chain of one item, or of every stream in the store. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditHttpController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BANLI_CONFIG) private readonly config: BanliConfig,
  ) {}

  @Get('verify')
  @ApiOperation({
    summary:
      'Recompute hash chains (auditor): { ok, checked, firstBrokenRevision? } for one item; without proposalId every stream, with the first broken revision of each, and the store as a whole against its signed checkpoints (a removed stream, a truncated log, a rewritten chain) — streamed as progress lines when asked with Accept: application/x-ndjson',
  })
  async verify(@Query() query: VerifyQuery, @CurrentActor() actor: Actor, @Headers('accept') accept?: string) {
    requireRole(actor, 'auditor', 'admin');
    if (query.proposalId !== undefined) {
      const events = await this.store.readStream(proposalStreamId(query.proposalId));
      if (events.length === 0) throw new HttpProblem(404, 'NOT_FOUND', `No proposal ${query.proposalId}`);
      return this.store.verify(proposalStreamId(query.proposalId));
    }
    if (accept?.includes('application/x-ndjson')) {
      const lines = Readable.from(this.verifyAll((progress) => `${JSON.stringify({ progress })}\n`), { objectMode: false });
      return new StreamableFile(lines, { type: 'application/x-ndjson' });
    }
    let result: unknown;
    for await (const line of this.verifyAll(() => undefined)) result = line;
    return JSON.parse(result as string);
  }

  /**
   * Every stream verified in the order it began, then the store as a whole; yields progress lines as it
   * goes and the result last, and gives the event loop its turn between streams so the service answers
   * other requests meanwhile.
   */
  private async *verifyAll(progressLine: (progress: { streams: number; of: number; checked: number }) => string | undefined): AsyncGenerator<string> {
    const streams = await allStreamIds(this.store);
    const broken: { stream: string; proposalId?: string; firstBrokenRevision: number }[] = [];
    let checked = 0;
    let done = 0;
    const every = Math.max(1, Math.ceil(streams.length / PROGRESS_LINES));
    for (const stream of streams) {
      const result = await this.store.verify(stream);
      checked += result.checked;
      done += 1;
      const proposalId = proposalIdOf(stream);
      if (!result.ok) broken.push({ stream, ...(proposalId === undefined ? {} : { proposalId }), firstBrokenRevision: result.firstBrokenRevision! });
      if (done % every === 0 && done < streams.length) {
        const line = progressLine({ streams: done, of: streams.length, checked });
        if (line) yield line;
      }
      if (done % 50 === 0) await yieldToLoop();
    }
    const whole = await verifyWholeStore(this.store, this.config);
    yield `${JSON.stringify({ ok: broken.length === 0 && whole.ok, checked, streams: streams.length, broken, store: whole })}\n`;
  }
}
