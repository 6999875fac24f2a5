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

const APPROACHED = 1;
const BREACHED = 2;
/** Deadline ids are numbered within the index; a slot's key is item number × this + deadline-id number. */
const DEADLINE_ID_SPACE = 2 ** 21;

/**
 * Every open deadline of the store, kept from the deadline events themselves, with a min-heap of next
 * actions so the scheduler can sleep until the earliest. Rebuildable by replaying the store.
 *
 * Built for a province's million open deadlines in little memory: a deadline is a slot in typed arrays
 * (due and warning instants, flags, its escalation rungs in a shared pool), item and deadline ids are
 * interned once, and a heap entry is three numbers. An action is derived from its slot when it is taken,
 * so an entry made stale by a later event is recognised by the slot's version and dropped.
 */
export class DeadlineIndex {
  private readonly slotByKey = new Map<number, number>();
  private readonly itemNumbers = new Map<string, number>();
  private readonly items: string[] = [];
  private readonly deadlineNumbers = new Map<string, number>();
  private readonly deadlineIds: string[] = [];
  private readonly freeSlots: number[] = [];
  private slotCount = 0;
  private live = 0;

  private item = new Int32Array(1024);
  private deadline = new Int32Array(1024);
  private warnAt = new Float64Array(1024);
  private dueAt = new Float64Array(1024);
  private flags = new Uint8Array(1024);
  private escalated = new Uint32Array(1024);
  private rungStart = new Int32Array(1024);
  private rungCount = new Uint8Array(1024);
  private version = new Int32Array(1024);

  /** Escalation rungs of every slot, end to end: the instant and the rung number. */
  private rungAt = new Float64Array(4096);
  private rungNumber = new Int32Array(4096);
  private rungsUsed = 0;

  private heapAt = new Float64Array(1024);
  private heapSlot = new Int32Array(1024);
  private heapVersion = new Int32Array(1024);
  private heapSize = 0;

  get size(): number {
    return this.live;
  }

  apply(event: StoredEvent): void {
    const proposalId = proposalIdOf(event.streamId);
    if (proposalId === undefined) return;
    const data = event.data as Record<string, unknown> & { deadlineId?: string };
    if (typeof data.deadlineId !== 'string') return;
    switch (event.type) {
      case 'DeadlineSet':
      case 'DeadlineExtended': {
        const key = this.key(proposalId, data.deadlineId, true)!;
        let slot = this.slotByKey.get(key);
        if (slot === undefined) {
          slot = this.allocate(proposalId, data.deadlineId);
          this.slotByKey.set(key, slot);
        } else {
          this.flags[slot] &= ~APPROACHED; // a moved deadline warns again
        }
        this.warnAt[slot] = typeof data.warnAt === 'string' ? Date.parse(data.warnAt) : Number.NaN;
        this.dueAt[slot] = Date.parse(data.dueAt as string);
        const rungs = (data.escalations as { rung: number; at: string }[] | undefined) ?? [];
        this.rungStart[slot] = this.rungsUsed;
        this.rungCount[slot] = Math.min(rungs.length, 32);
        for (const rung of rungs.slice(0, 32)) this.pushRung(rung.rung, Date.parse(rung.at));
        this.version[slot] += 1;
        this.schedule(slot);
        return;
      }
      case 'DeadlineApproaching':
      case 'DeadlineBreached':
      case 'Escalated': {
        const slot = this.slotOf(proposalId, data.deadlineId);
        if (slot === undefined) return;
        if (event.type === 'DeadlineApproaching') this.flags[slot] |= APPROACHED;
        if (event.type === 'DeadlineBreached') this.flags[slot] |= BREACHED;
        if (event.type === 'Escalated') {
          for (let i = 0; i < this.rungCount[slot]; i++) if (this.rungNumber[this.rungStart[slot] + i] === data.rung) this.escalated[slot] |= 1 << i;
        }
        this.version[slot] += 1;
        this.schedule(slot);
        return;
      }
      case 'DeadlineMet':
      case 'DeadlineCancelled': {
        const key = this.key(proposalId, data.deadlineId, false);
        const slot = key === undefined ? undefined : this.slotByKey.get(key);
        if (key === undefined || slot === undefined) return;
        this.slotByKey.delete(key);
        this.version[slot] += 1; // its heap entries go stale
        this.flags[slot] = 0;
        this.freeSlots.push(slot);
        this.live -= 1;
        return;
      }
      default:
        return;
    }
  }

  /** When the earliest action falls due (ms since the epoch), or undefined when nothing is pending. */
  nextAt(): number | undefined {
    this.dropStale();
    return this.heapSize > 0 ? this.heapAt[0] : undefined;
  }

  /** Removes and returns the actions due by `until` (at most `max`, earliest first); the scheduler fires them. */
  takeDue(until: number, max = Number.POSITIVE_INFINITY): DueAction[] {
    const due: DueAction[] = [];
    for (this.dropStale(); this.heapSize > 0 && this.heapAt[0] <= until && due.length < max; this.dropStale()) {
      const slot = this.heapSlot[0];
      this.pop();
      const next = this.nextAction(slot);
      if (next) due.push({ proposalId: this.items[this.item[slot]], deadlineId: this.deadlineIds[this.deadline[slot]], ...next });
    }
    return due;
  }

  /** Looks again at an action's deadline at `at`, for a firing that could not be recorded now. */
  retry(action: DueAction, at: number): void {
    const slot = this.slotOf(action.proposalId, action.deadlineId);
    if (slot !== undefined) this.push(at, slot, this.version[slot]);
  }

  private slotOf(proposalId: string, deadlineId: string): number | undefined {
    const key = this.key(proposalId, deadlineId, false);
    return key === undefined ? undefined : this.slotByKey.get(key);
  }

  private key(proposalId: string, deadlineId: string, intern: boolean): number | undefined {
    let itemNo = this.itemNumbers.get(proposalId);
    let deadlineNo = this.deadlineNumbers.get(deadlineId);
    if (!intern && (itemNo === undefined || deadlineNo === undefined)) return undefined;
    if (itemNo === undefined) {
      itemNo = this.items.push(proposalId) - 1;
      this.itemNumbers.set(proposalId, itemNo);
    }
    if (deadlineNo === undefined) {
      deadlineNo = this.deadlineIds.push(deadlineId) - 1;
      if (deadlineNo >= DEADLINE_ID_SPACE) throw new RangeError('More distinct deadline ids than the index can number');
      this.deadlineNumbers.set(deadlineId, deadlineNo);
    }
    return itemNo * DEADLINE_ID_SPACE + deadlineNo;
  }

  private allocate(proposalId: string, deadlineId: string): number {
    const slot = this.freeSlots.pop() ?? this.slotCount++;
    if (slot >= this.item.length) this.growSlots();
    this.item[slot] = this.itemNumbers.get(proposalId)!;
    this.deadline[slot] = this.deadlineNumbers.get(deadlineId)!;
    this.flags[slot] = 0;
    this.escalated[slot] = 0;
    this.live += 1;
    return slot;
  }

  /** Breach comes before a warning that would come too late; escalations follow the breach rung by rung. */
  private nextAction(slot: number): { action: DueAction['action']; rung?: number; at: number } | undefined {
    const flags = this.flags[slot];
    if (!(flags & BREACHED)) {
      const warnAt = this.warnAt[slot];
      if (!(flags & APPROACHED) && warnAt < this.dueAt[slot]) return { action: 'approach', at: warnAt }; // false for NaN
      return { action: 'breach', at: this.dueAt[slot] };
    }
    for (let i = 0; i < this.rungCount[slot]; i++) {
      if (this.escalated[slot] & (1 << i)) continue;
      const r = this.rungStart[slot] + i;
      return { action: 'escalate', rung: this.rungNumber[r], at: this.rungAt[r] };
    }
    return undefined;
  }

  private schedule(slot: number): void {
    const next = this.nextAction(slot);
    if (next) this.push(next.at, slot, this.version[slot]);
  }

  private dropStale(): void {
    while (this.heapSize > 0 && this.version[this.heapSlot[0]] !== this.heapVersion[0]) this.pop();
  }

  private push(at: number, slot: number, version: number): void {
    if (this.heapSize === this.heapAt.length) {
      this.heapAt = grow(this.heapAt);
      this.heapSlot = grow(this.heapSlot);
      this.heapVersion = grow(this.heapVersion);
    }
    let i = this.heapSize++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.heapAt[parent] <= at) break;
      this.move(parent, i);
      i = parent;
    }
    this.heapAt[i] = at;
    this.heapSlot[i] = slot;
    this.heapVersion[i] = version;
  }

  private pop(): void {
    const last = --this.heapSize;
    if (last === 0) return;
    const at = this.heapAt[last];
    const slot = this.heapSlot[last];
    const version = this.heapVersion[last];
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= last) break;
      const r = l + 1;
      const child = r < last && this.heapAt[r] < this.heapAt[l] ? r : l;
      if (this.heapAt[child] >= at) break;
      this.move(child, i);
      i = child;
    }
    this.heapAt[i] = at;
    this.heapSlot[i] = slot;
    this.heapVersion[i] = version;
  }

  private move(from: number, to: number): void {
    this.heapAt[to] = this.heapAt[from];
    this.heapSlot[to] = this.heapSlot[from];
    this.heapVersion[to] = this.heapVersion[from];
  }

  private pushRung(rung: number, at: number): void {
    if (this.rungsUsed === this.rungAt.length) {
      this.rungAt = grow(this.rungAt);
      this.rungNumber = grow(this.rungNumber);
    }
    this.rungNumber[this.rungsUsed] = rung;
    this.rungAt[this.rungsUsed++] = at;
  }

  private growSlots(): void {
    this.item = grow(this.item);
    this.deadline = grow(this.deadline);
    this.warnAt = grow(this.warnAt);
    this.dueAt = grow(this.dueAt);
    this.flags = grow(this.flags);
    this.escalated = grow(this.escalated);
    this.rungStart = grow(this.rungStart);
    this.rungCount = grow(this.rungCount);
    this.version = grow(this.version);
  }
}

function grow<T extends Float64Array | Int32Array | Uint32Array | Uint8Array>(array: T): T {
  const bigger = new (array.constructor as new (length: number) => T)(array.length * 2);
  bigger.set(array);
  return bigger;
}
