import { type Actor, isSupervisionNotice, proposalIdOf, mayReceiveNotice, noticeScope, SUPERVISION_NOTICE_TYPES, type SupervisionNoticeType } from '@banli/domain';
import type { EventStore, StoredEvent } from '@banli/event-store';
import { checkedAgainstStore, forgedPersonalData, type MessageBus, TOPICS } from '@banli/messaging';
import { BANLI_CONFIG, type BanliConfig, CurrentActor, EVENT_STORE, HttpProblem, MESSAGE_BUS, Metrics, ReadModelService } from '@banli/platform';
import { Controller, Headers, Inject, Injectable, Logger, type MessageEvent, Query, Res, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import { finalize, Observable } from 'rxjs';
import { noticeOf, unitConcerned } from './supervision-notice';
import { DeadlineQueries } from './sqlite/deadlines.queries';

export class StreamQuery {
  @ApiPropertyOptional({ description: 'Only events about this unit' }) @IsOptional() @IsString() @MaxLength(128) unit?: string;
  @ApiPropertyOptional({ description: `Comma-separated event types, among ${SUPERVISION_NOTICE_TYPES.join(', ')}`, example: 'DeadlineBreached,Escalated' })
  @IsOptional()
  @Matches(/^[A-Za-z,]{1,200}$/)
  types?: string;
}

/**
 * How many streams are open: per caller and in all. A stream holds a connection and a subscription for
 * as long as the client keeps it; without a bound, a few hundred idle clients would hold the service.
 */
@Injectable()
export class StreamConnections {
  private readonly byCaller = new Map<string, number>();
  private total = 0;

  constructor(@Inject(BANLI_CONFIG) private readonly config: BanliConfig) {}

  /** Takes a place for the caller, or refuses with 429; the result gives it back. */
  open(callerId: string): () => void {
    const { maxPerCaller, maxConnections } = this.config.stream;
    const mine = this.byCaller.get(callerId) ?? 0;
    if (mine >= maxPerCaller) throw new HttpProblem(429, 'TOO_MANY_STREAMS', `You have ${mine} streams open already (at most ${maxPerCaller}); close one first`, { limit: maxPerCaller });
    if (this.total >= maxConnections) throw new HttpProblem(429, 'TOO_MANY_STREAMS', `The service holds ${this.total} streams (at most ${maxConnections}); try again later`, { limit: maxConnections });
    this.byCaller.set(callerId, mine + 1);
    this.total += 1;
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      this.total -= 1;
      const left = (this.byCaller.get(callerId) ?? 1) - 1;
      if (left === 0) this.byCaller.delete(callerId);
      else this.byCaller.set(callerId, left);
    };
  }

  get size(): number {
    return this.total;
  }
}

/**
 * The supervision office's live feed (server-sent events): deadlines approaching, breached, met and
 * extended, urging notices and escalations, and nothing else of an item. Each event reaches only those
 * the read policy lets it reach (a unit's handlers get their unit's). `Last-Event-ID` (the event's global
 * position) resumes after a dropped connection; what lies further back than the replay window is not
 * replayed, and the stream says so (`ReplayTruncated`) so the client can reload its lists.
 */
@ApiTags('supervision')
@ApiBearerAuth()
@Controller('supervision')
export class SupervisionStreamHttpController {
  private readonly logger = new Logger('SupervisionStream');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(BANLI_CONFIG) private readonly config: BanliConfig,
    private readonly connections: StreamConnections,
    private readonly metrics: Metrics,
    private readonly readModel: ReadModelService,
  ) {}

  private readonly queries = new DeadlineQueries(() => this.readModel.model.database);

  @Sse('stream')
  @ApiOperation({ summary: `Server-sent events: ${SUPERVISION_NOTICE_TYPES.join(', ')} (supervisors, office; a unit’s handlers get their own unit’s). 429 TOO_MANY_STREAMS beyond the caps` })
  stream(@Query() query: StreamQuery, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply, @Headers('last-event-id') lastEventId?: string): Observable<MessageEvent> {
    const scope = noticeScope(actor);
    if (!scope.allowed) throw new HttpProblem(403, 'FORBIDDEN', scope.reason ?? 'The stream is for supervisors, the office and units’ handlers');
    if (scope.unit !== undefined && query.unit !== undefined && query.unit !== scope.unit) throw new HttpProblem(403, 'FORBIDDEN', 'A handler’s stream is its own unit’s');
    const unit = scope.unit ?? query.unit;
    const asked = query.types !== undefined ? query.types.split(',').filter(Boolean) : [...SUPERVISION_NOTICE_TYPES];
    if (asked.length === 0) throw new HttpProblem(400, 'VALIDATION_FAILED', 'types names no event type', { field: 'types' });
    const unknown = asked.filter((t) => !isSupervisionNotice(t));
    if (unknown.length > 0) {
      throw new HttpProblem(400, 'UNKNOWN_EVENT_TYPE', `Not a supervision notice: ${unknown.join(', ')} (the stream carries ${SUPERVISION_NOTICE_TYPES.join(', ')})`, { types: unknown });
    }
    const types = new Set<SupervisionNoticeType>(asked as SupervisionNoticeType[]);
    if (lastEventId !== undefined && !/^[0-9]{1,15}$/.test(lastEventId)) throw new HttpProblem(400, 'VALIDATION_FAILED', 'Last-Event-ID must be an event position (digits)');
    const from = lastEventId === undefined ? undefined : Number(lastEventId);
    const release = this.connections.open(actor.id);
    void reply.header('cache-control', 'no-store');

    // The read policy decides, for each event, whether it reaches this caller; a unit's handlers get the
    // notices of the items their unit handles now, not of those it was re-assigned away from.
    const stillAssigned = (e: StoredEvent) => scope.unit === undefined || this.queries.unitsOf(proposalIdOf(e.streamId) ?? '').includes(scope.unit);
    const wanted = (e: StoredEvent) =>
      types.has(e.type as SupervisionNoticeType) && mayReceiveNotice(actor, e.type, unitConcerned(e)) && (unit === undefined || unitConcerned(e) === unit) && stillAssigned(e);
    const toMessage = (e: StoredEvent): MessageEvent => ({ id: String(e.position), type: e.type, data: noticeOf(e) });

    return new Observable<MessageEvent>((subscriber) => {
      let last = from ?? Number.MAX_SAFE_INTEGER;
      const buffered: StoredEvent[] = [];
      let replaying = from !== undefined;
      // Live events first (buffered while the missed ones are replayed), so nothing falls between the two.
      const subscribed = this.bus.subscribe(TOPICS.deadlineEvents, `sse-${randomUUID()}`, async (message) => {
        // From a bus others can write to, a notice is streamed as the store holds it, or not at all.
        let e = message;
        if (this.config.bus === 'kafka') {
          const checked = await checkedAgainstStore(this.store, [message]);
          if (checked.events.length === 0) return void this.metrics.refusedMessages.inc({ consumer: 'supervision-stream', reason: 'not-in-store' });
          e = checked.events[0];
        }
        const forged = forgedPersonalData(e);
        if (forged) {
          this.metrics.refusedMessages.inc({ consumer: 'supervision-stream', reason: 'personal-data-out-of-place' });
          return void this.logger.warn({ msg: 'refused a bus message carrying personal data out of place', eventId: e.eventId, type: e.type, field: forged });
        }
        if (replaying) buffered.push(e);
        else if (e.position > last || from === undefined) {
          last = e.position;
          if (wanted(e)) subscriber.next(toMessage(e));
        }
      });
      void (async () => {
        await subscribed;
        if (from !== undefined) {
          const head = await this.store.headPosition();
          const window = this.config.stream.replayWindow;
          // An id beyond the store's end (a client of another store, a forged header) resumes at the end.
          last = Math.max(Math.min(from, head), head - window);
          if (last > from) subscriber.next({ type: 'ReplayTruncated', data: { from, resumedAfter: last, replayWindow: window } });
          while (last < head) {
            const page = await this.store.readAll({ fromPosition: last, limit: Math.min(1000, head - last) });
            if (page.length === 0) break;
            for (const e of page) if (e.position <= head && wanted(e)) subscriber.next(toMessage(e));
            last = page[page.length - 1].position;
          }
          for (const e of buffered.splice(0)) {
            if (e.position > last) {
              last = e.position;
              if (wanted(e)) subscriber.next(toMessage(e));
            }
          }
          replaying = false;
        }
      })().catch((error) => subscriber.error(error));
      return () => void subscribed.then((unsubscribe) => unsubscribe());
    }).pipe(finalize(release));
  }
}
