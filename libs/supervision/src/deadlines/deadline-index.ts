import { proposalIdOf } from '@banli/domain';
import type { StoredEvent } from '@banli/event-store';

/** The next thing the clock must record for a deadline, and when. */
export interface DueAction {
  readonly proposalId: string;
  readonly deadlineId: string;
  readonly action: 'approach' | 'breach' | 'escalate';
  readonly rung?: number;
  readonly at: number;
}

interface Tracked {
  proposalId: string;
  deadlineId: string;
  warnAt?: number;
  dueAt: number;
  escalations: { rung: number; at: number }[];
  approached: boolean;
  breached: boolean;
  escalated: Set<number>;
  /** Bumped on every change, so superseded heap entries are recognised and dropped. */
  version: number;
}

type HeapEntry = DueAction & { key: string; version: number };

/**
 * Every open deadline of the store, kept from the deadline events themselves (a few numbers per
 * deadline, not whole items), with a min-heap of next actions so the scheduler can sleep until the
 * earliest. Rebuildable by replaying the store.
 */
export class DeadlineIndex {
  private readonly deadlines = new Map<string, Tracked>();
  private readonly heap: HeapEntry[] = [];

  get size(): number {
    return this.deadlines.size;
  }

  apply(event: StoredEvent): void {
    const proposalId = proposalIdOf(event.streamId);
    if (proposalId === undefined) return;
    const data = event.data as Record<string, unknown> & { deadlineId?: string };
    if (typeof data.deadlineId !== 'string') return;
    const key = `${proposalId}\u0000${data.deadlineId}`;
    const tracked = this.deadlines.get(key);
    switch (event.type) {
      case 'DeadlineSet':
      case 'DeadlineExtended': {
        const schedule = {
          warnAt: typeof data.warnAt === 'string' ? Date.parse(data.warnAt) : undefined,
          dueAt: Date.parse(data.dueAt as string),
          escalations: ((data.escalations as { rung: number; at: string }[]) ?? []).map((e) => ({ rung: e.rung, at: Date.parse(e.at) })),
        };
        const next: Tracked = tracked
          ? { ...tracked, ...schedule, approached: false, version: tracked.version + 1 }
          : { proposalId, deadlineId: data.deadlineId, ...schedule, approached: false, breached: false, escalated: new Set(), version: 0 };
        this.deadlines.set(key, next);
        this.schedule(key, next);
        return;
      }
      case 'DeadlineApproaching':
      case 'DeadlineBreached':
      case 'Escalated': {
        if (!tracked) return;
        if (event.type === 'DeadlineApproaching') tracked.approached = true;
        if (event.type === 'DeadlineBreached') tracked.breached = true;
        if (event.type === 'Escalated') tracked.escalated.add(data.rung as number);
        tracked.version += 1;
        this.schedule(key, tracked);
        return;
      }
      case 'DeadlineMet':
      case 'DeadlineCancelled':
        this.deadlines.delete(key);
        return;
      default:
        return;
    }
  }

  /** When the earliest action falls due (ms since the epoch), or undefined when nothing is pending. */
  nextAt(): number | undefined {
    this.dropStale();
    return this.heap[0]?.at;
  }

  /** Removes and returns the actions due by `until` (at most `max`, earliest first); the scheduler fires them. */
  takeDue(until: number, max = Number.POSITIVE_INFINITY): DueAction[] {
    const due: DueAction[] = [];
    for (this.dropStale(); this.heap.length > 0 && this.heap[0].at <= until && due.length < max; this.dropStale()) {
      const { key: _key, version: _version, ...action } = this.pop();
      due.push(action);
    }
    return due;
  }

  /** Puts an action back, for a firing that could not be recorded now. */
  retry(action: DueAction, at: number): void {
    const key = `${action.proposalId}\u0000${action.deadlineId}`;
    const tracked = this.deadlines.get(key);
    if (tracked) this.push({ ...action, at, key, version: tracked.version });
  }

  private schedule(key: string, d: Tracked): void {
    const next = nextAction(d);
    if (next) this.push({ ...next, proposalId: d.proposalId, deadlineId: d.deadlineId, key, version: d.version });
  }

  private dropStale(): void {
    while (this.heap.length > 0) {
      const top = this.heap[0];
      const tracked = this.deadlines.get(top.key);
      if (tracked && tracked.version === top.version) return;
      this.pop();
    }
  }

  private push(entry: HeapEntry): void {
    const h = this.heap;
    h.push(entry);
    for (let i = h.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (h[parent].at <= h[i].at) break;
      [h[parent], h[i]] = [h[i], h[parent]];
      i = parent;
    }
  }

  private pop(): HeapEntry {
    const h = this.heap;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l].at < h[m].at) m = l;
        if (r < h.length && h[r].at < h[m].at) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i], h[m]];
        i = m;
      }
    }
    return top;
  }
}

/** Breach comes before a warning that would come too late; escalations follow the breach rung by rung. */
function nextAction(d: Tracked): Omit<DueAction, 'proposalId' | 'deadlineId'> | undefined {
  if (!d.breached) {
    if (!d.approached && d.warnAt !== undefined && d.warnAt < d.dueAt) return { action: 'approach', at: d.warnAt };
    return { action: 'breach', at: d.dueAt };
  }
  const rung = d.escalations.find((e) => !d.escalated.has(e.rung));
  return rung ? { action: 'escalate', rung: rung.rung, at: rung.at } : undefined;
}
