import type { StoredEvent } from '@banli/event-store';

/** What reaches the supervision office: over server-sent events, the deadline topic and webhooks. */
export const STREAMED_TYPES = ['DeadlineApproaching', 'DeadlineBreached', 'Urged', 'Escalated'] as const;
export type StreamedType = (typeof STREAMED_TYPES)[number];

/** Which unit an event concerns: the urged unit, or the unit in the deadline's id (`kind:unit:n`). */
export function unitConcerned(event: StoredEvent): string | undefined {
  const data = event.data as { unitId?: string; deadlineId?: string };
  return data.unitId ?? data.deadlineId?.split(':')[1];
}

/** The notice about an event: its item, what it says, when it happened and when it was recorded. */
export function noticeOf(event: StoredEvent): Record<string, unknown> {
  return { proposalId: event.streamId.replace(/^proposal-/, ''), ...(event.data as object), occurredAt: event.occurredAt, recordedAt: event.recordedAt };
}
