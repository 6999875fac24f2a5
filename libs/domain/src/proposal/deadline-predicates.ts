import { compareInstants, type Instant } from '../shared/calendar-date';
import type { DeadlineKind } from './proposal.events';
import type { Deadline, DeadlineState, ProposalState } from './proposal.state';

/**
 * The words every read of deadlines shares, here once: the projections' SQL is built from these sets,
 * and views and counts use these predicates, so "pending", "overdue" and "owed by a unit" mean the same
 * in a list, on the deadline board and in the on-time figures.
 */

/** Not yet met nor cancelled: the step is still owed (a breach recorded or not). */
export const PENDING_DEADLINE_STATES = ['open', 'breached'] as const satisfies readonly DeadlineState[];

/** The proposer's own windows (to rate the reply, to return a commitment's receipt): never a unit's step, left out of units' figures and lists of what is owed. */
export const PROPOSER_DEADLINE_KINDS = ['evaluation', 'commitment-receipt'] as const satisfies readonly DeadlineKind[];

export function isPending(deadline: Pick<Deadline, 'state'>): boolean {
  return (PENDING_DEADLINE_STATES as readonly string[]).includes(deadline.state);
}

/** Owed by a unit or the office, not by the proposer. */
export function isOwedStep(deadline: Pick<Deadline, 'kind'>): boolean {
  return !(PROPOSER_DEADLINE_KINDS as readonly string[]).includes(deadline.kind);
}

/** The state a deadline shows at `now`: open past its due instant shows as breached before the clock records it. */
export function deadlineStateAt(deadline: Pick<Deadline, 'state' | 'dueAt'>, now: Instant): DeadlineState {
  return deadline.state === 'open' && compareInstants(deadline.dueAt, now) <= 0 ? 'breached' : deadline.state;
}

/**
 * Windows that close rather than fall due: once the adjustment window is past, the unit keeps the item
 * and owes nothing for it (its breach stays on the deadline board). The item's light and `overdue` leave
 * them out, or an item closed long ago would stay red for a window nobody can use any more.
 */
export const CLOSING_WINDOW_KINDS = ['adjustment-window'] as const satisfies readonly DeadlineKind[];

function owedByItem(d: Deadline): boolean {
  return isPending(d) && isOwedStep(d) && !(CLOSING_WINDOW_KINDS as readonly string[]).includes(d.kind);
}

/** The earliest due instant among the steps an item still owes (the proposer's window and closing windows aside): the item is overdue from then. */
export function earliestOwedDue(state: ProposalState): Instant | undefined {
  if (state.status === 'empty') return undefined;
  let earliest: Instant | undefined;
  for (const d of Object.values(state.deadlines)) {
    if (owedByItem(d) && (earliest === undefined || compareInstants(d.dueAt, earliest) < 0)) earliest = d.dueAt;
  }
  return earliest;
}

/** The earliest instant a step the item owes enters its warning period (the deadline's `warnAt`). */
export function earliestOwedWarning(state: ProposalState): Instant | undefined {
  if (state.status === 'empty') return undefined;
  let earliest: Instant | undefined;
  for (const d of Object.values(state.deadlines)) {
    const at = d.warnAt ?? d.dueAt;
    if (owedByItem(d) && (earliest === undefined || compareInstants(at, earliest) < 0)) earliest = at;
  }
  return earliest;
}

/**
 * The item's deadline light (红黄绿灯): red once a step it owes is past due, yellow once one is within its
 * warning period, green while steps are owed and none is near; none when it owes no step. The list's
 * SQL filter reads the same two instants (`owed_due_at`, `owed_warn_at`) the same way.
 */
export const DEADLINE_LIGHTS = ['green', 'yellow', 'red'] as const;
export type DeadlineLight = (typeof DEADLINE_LIGHTS)[number];

export function deadlineLight(owedDueAt: Instant | undefined, owedWarnAt: Instant | undefined, now: Instant): DeadlineLight | undefined {
  if (owedDueAt === undefined) return undefined;
  if (compareInstants(owedDueAt, now) <= 0) return 'red';
  if (owedWarnAt !== undefined && compareInstants(owedWarnAt, now) <= 0) return 'yellow';
  return 'green';
}
