import type { Actor } from '@banli/domain';
import type { EventStore, StoredEvent } from '@banli/event-store';
import { type MessageBus, TOPICS } from '@banli/messaging';
import { CurrentActor, EVENT_STORE, HttpProblem, MESSAGE_BUS } from '@banli/platform';
import { Controller, Headers, Inject, type MessageEvent, Query, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { Observable } from 'rxjs';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { noticeOf, STREAMED_TYPES, unitConcerned } from './supervision-notice';

export class StreamQuery {
  @ApiPropertyOptional({ description: 'Only events about this unit' }) @IsOptional() @IsString() @MaxLength(128) unit?: string;
  @ApiPropertyOptional({ description: 'Comma-separated event types', example: 'DeadlineBreached,Escalated' })
  @IsOptional()
  @Matches(/^[A-Za-z,]{1,200}$/)
  types?: string;
}

/**
 * The supervision office's live feed (server-sent events): approaching and breached deadlines,
 * urging notices and escalations. `Last-Event-ID` (the event's global position) resumes after a
 * dropped connection without losing what happened meanwhile.
 */
@ApiTags('supervision')
@ApiBearerAuth()
@Controller('supervision')
export class SupervisionStreamHttpController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
  ) {}

  @Sse('stream')
  @ApiOperation({ summary: 'Server-sent events: DeadlineApproaching, DeadlineBreached, Urged, Escalated (supervisors, office; a handler gets its own unit’s)' })
  stream(@Query() query: StreamQuery, @CurrentActor() actor: Actor, @Headers('last-event-id') lastEventId?: string): Observable<MessageEvent> {
    // Supervisors and the office see every unit; a unit's handlers are notified of what concerns their unit.
    const everything = actor.roles.some((r) => r === 'supervisor' || r === 'office' || r === 'admin');
    if (!everything && !(actor.roles.includes('handler') && actor.unit)) throw new HttpProblem(403, 'FORBIDDEN', 'The stream is for supervisors, the office and units’ handlers');
    if (!everything && query.unit !== undefined && query.unit !== actor.unit) throw new HttpProblem(403, 'FORBIDDEN', 'A handler’s stream is its own unit’s');
    const unit = everything ? query.unit : actor.unit;
    const types = new Set<string>(query.types ? query.types.split(',').filter(Boolean) : STREAMED_TYPES);
    const from = lastEventId === undefined ? undefined : Number(lastEventId);
    if (from !== undefined && (!Number.isInteger(from) || from < 0)) throw new HttpProblem(400, 'VALIDATION_FAILED', 'Last-Event-ID must be an event position');
    const wanted = (e: StoredEvent) => types.has(e.type) && (unit === undefined || unitConcerned(e) === unit);
    const toMessage = (e: StoredEvent): MessageEvent => ({
      id: String(e.position),
      type: e.type,
      data: noticeOf(e),
    });

    return new Observable<MessageEvent>((subscriber) => {
      let last = from ?? Number.MAX_SAFE_INTEGER;
      const buffered: StoredEvent[] = [];
      let replaying = from !== undefined;
      // Live events first (buffered while the missed ones are replayed), so nothing falls between the two.
      const subscribed = this.bus.subscribe(TOPICS.deadlineEvents, `sse-${randomUUID()}`, (e) => {
        if (replaying) buffered.push(e);
        else if (e.position > last || from === undefined) {
          last = e.position;
          if (wanted(e)) subscriber.next(toMessage(e));
        }
      });
      void (async () => {
        await subscribed;
        if (from !== undefined) {
          last = from;
          for (;;) {
            const page = await this.store.readAll({ fromPosition: last, limit: 1000 });
            if (page.length === 0) break;
            for (const e of page) if (wanted(e)) subscriber.next(toMessage(e));
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
    });
  }
}
