import type { StoredEvent } from '@banli/event-store';
import { DeadlineIndex } from './deadline-index';

let position = 0;
const ev = (proposalId: string, type: string, data: Record<string, unknown>): StoredEvent => ({
  streamId: `proposal-${proposalId}`,
  revision: position,
  position: ++position,
  eventId: `e-${position}`,
  type,
  schemaVersion: 1,
  data,
  occurredAt: '2025-03-10T02:00:00.000Z',
  recordedAt: '2025-03-10T02:00:00.000Z',
  hash: '',
});
const t = (iso: string) => Date.parse(iso);
const set = (item: string, deadlineId: string, dueAt: string, warnAt?: string, rungs: [number, string][] = []) =>
  ev(item, 'DeadlineSet', { deadlineId, dueAt, ...(warnAt ? { warnAt } : {}), escalations: rungs.map(([rung, at]) => ({ rung, at, to: 'supervising-units' })) });

describe('DeadlineIndex', () => {
  it('gives each deadline’s next action in time order: warning, breach, then each rung', () => {
    const index = new DeadlineIndex();
    index.apply(set('a', 'reply:u-1:1', '2025-06-10T16:00:00Z', '2025-06-03T16:00:00Z', [[1, '2025-06-10T16:00:00Z'], [2, '2025-06-24T16:00:00Z']]));
    index.apply(set('b', 'reply:u-2:1', '2025-05-01T16:00:00Z'));
    expect(index.size).toBe(2);
    expect(index.nextAt()).toBe(t('2025-05-01T16:00:00Z'));
    expect(index.takeDue(t('2025-06-04T00:00:00Z'))).toEqual([
      { proposalId: 'b', deadlineId: 'reply:u-2:1', action: 'breach', at: t('2025-05-01T16:00:00Z') },
      { proposalId: 'a', deadlineId: 'reply:u-1:1', action: 'approach', at: t('2025-06-03T16:00:00Z') },
    ]);
    index.apply(ev('a', 'DeadlineApproaching', { deadlineId: 'reply:u-1:1' }));
    index.apply(ev('a', 'DeadlineBreached', { deadlineId: 'reply:u-1:1' }));
    expect(index.takeDue(t('2025-07-01T00:00:00Z'), 1)).toEqual([{ proposalId: 'a', deadlineId: 'reply:u-1:1', action: 'escalate', rung: 1, at: t('2025-06-10T16:00:00Z') }]);
    index.apply(ev('a', 'Escalated', { deadlineId: 'reply:u-1:1', rung: 1 }));
    expect(index.takeDue(t('2025-07-01T00:00:00Z'))).toEqual([{ proposalId: 'a', deadlineId: 'reply:u-1:1', action: 'escalate', rung: 2, at: t('2025-06-24T16:00:00Z') }]);
    index.apply(ev('a', 'Escalated', { deadlineId: 'reply:u-1:1', rung: 2 }));
    expect(index.nextAt()).toBeUndefined();
  });

  it('drops what a later event superseded: met, cancelled, or moved by an extension', () => {
    const index = new DeadlineIndex();
    index.apply(set('a', 'reply:u-1:1', '2025-06-10T16:00:00Z', '2025-06-03T16:00:00Z'));
    index.apply(set('a', 'co-opinion:u-2:1', '2025-04-22T16:00:00Z'));
    index.apply(ev('a', 'DeadlineMet', { deadlineId: 'co-opinion:u-2:1' }));
    index.apply(ev('a', 'DeadlineApproaching', { deadlineId: 'reply:u-1:1' }));
    index.apply(ev('a', 'DeadlineExtended', { deadlineId: 'reply:u-1:1', dueAt: '2025-08-11T16:00:00Z', warnAt: '2025-08-04T16:00:00Z' }));
    expect(index.size).toBe(1);
    // The extension warns again before the new date; the old breach instant is gone.
    expect(index.takeDue(t('2025-12-31T00:00:00Z'))).toEqual([{ proposalId: 'a', deadlineId: 'reply:u-1:1', action: 'approach', at: t('2025-08-04T16:00:00Z') }]);
    index.apply(ev('a', 'DeadlineCancelled', { deadlineId: 'reply:u-1:1' }));
    expect(index.size).toBe(0);
    expect(index.nextAt()).toBeUndefined();
  });

  it('puts a firing back for a retry at a later instant, keeping the instant it fell due', () => {
    const index = new DeadlineIndex();
    index.apply(set('a', 'reply:u-1:1', '2025-06-10T16:00:00Z'));
    const [breach] = index.takeDue(t('2025-06-11T00:00:00Z'));
    expect(index.nextAt()).toBeUndefined();
    index.retry(breach, t('2025-06-11T00:00:05Z'));
    expect(index.nextAt()).toBe(t('2025-06-11T00:00:05Z'));
    expect(index.takeDue(t('2025-06-11T00:00:05Z'))).toEqual([breach]);
  });

  it('holds a hundred thousand deadlines and hands them out earliest first', () => {
    const index = new DeadlineIndex();
    const base = t('2025-01-01T00:00:00Z');
    for (let i = 0; i < 100_000; i++) index.apply(set(`i-${i % 20_000}`, `reply:u-${i % 97}:${Math.floor(i / 20_000) + 1}`, new Date(base + ((i * 7919) % 100_000) * 60_000).toISOString()));
    expect(index.size).toBe(100_000);
    const due = index.takeDue(Number.POSITIVE_INFINITY);
    expect(due).toHaveLength(100_000);
    const outOfOrder = due.findIndex((d, i) => i > 0 && d.at < due[i - 1].at);
    expect(outOfOrder).toBe(-1);
    expect(new Set(due.map((d) => `${d.proposalId} ${d.deadlineId}`)).size).toBe(100_000);
  });
});
