import { proposalIdOf, SUPERVISION_NOTICE_TYPES, type SupervisionNoticeType } from '@banli/domain';
import type { StoredEvent } from '@banli/event-store';

/** What reaches the supervision office, over server-sent events, the deadline topic and webhooks: the read policy's notice types. */
export const STREAMED_TYPES = SUPERVISION_NOTICE_TYPES;
export type StreamedType = SupervisionNoticeType;
/** What a webhook registered without `eventTypes` receives. */
export const DEFAULT_WEBHOOK_TYPES: readonly StreamedType[] = ['DeadlineApproaching', 'DeadlineBreached', 'Urged', 'Escalated'];

/** Which unit an event concerns: the urged unit, or the unit in the deadline's id (`kind:unit:n`). */
export function unitConcerned(event: StoredEvent): string | undefined {
  const data = event.data as { unitId?: string; deadlineId?: string };
  return data.unitId ?? data.deadlineId?.split(':')[1];
}

/** The notice about an event: its item, what it says, when it happened and when it was recorded. */
export function noticeOf(event: StoredEvent): Record<string, unknown> {
  return { proposalId: proposalIdOf(event.streamId) ?? event.streamId, ...(event.data as object), occurredAt: event.occurredAt, recordedAt: event.recordedAt };
}
