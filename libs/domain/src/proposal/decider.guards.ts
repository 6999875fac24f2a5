import { refuse } from '../shared/domain-error';
import { type ExistingProposal, type Handling, type HandlingProposal, isAssignedUnit, isCoUnit, isHandling, isLeadUnit, type ProposalState, type ReplyTrack, trackOf } from './proposal.state';

/* The guards and input checks every phase of the decider shares. */

export function existing(state: ProposalState): ExistingProposal {
  if (state.status === 'empty') refuse('NOT_FOUND', 'No such proposal');
  return state;
}

export function handlingState(state: ProposalState, commandType: string): HandlingProposal {
  const s = existing(state);
  if (!isHandling(s)) {
    refuse('INVALID_TRANSITION', `${commandType} needs an item under handling; this one is ${s.status}`, { status: s.status });
  }
  return s;
}

export function pendingRequest(handling: Handling, unitId: string) {
  return handling.adjustmentRequests.find((r) => r.unitId === unitId && !r.decision);
}

export function assignedUnit(handling: Handling, unitId: unknown): string {
  const id = text(unitId, 'unitId');
  if (!isAssignedUnit(handling, id)) refuse('UNIT_NOT_ASSIGNED', `${id} is not assigned to this item`, { unitId: id });
  return id;
}

export function leadUnit(handling: Handling, unitId: unknown): string {
  const id = assignedUnit(handling, unitId);
  if (!isLeadUnit(handling, id)) refuse('NOT_A_LEAD_UNIT', `${id} is not a lead unit of this item`, { unitId: id });
  return id;
}

export function coUnit(handling: Handling, unitId: unknown): string {
  const id = assignedUnit(handling, unitId);
  if (!isCoUnit(handling, id)) refuse('NOT_A_CO_UNIT', `${id} is not a co-handling unit of this item`, { unitId: id });
  return id;
}

export function replyTrack(handling: Handling, unitId: unknown): ReplyTrack {
  const id = leadUnit(handling, unitId);
  return trackOf(handling, id)!;
}

export function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') refuse('VALIDATION_FAILED', `${field} must be a non-empty string`, { field });
  return value;
}

export function optionalText<K extends string>(value: unknown, field: K): { [P in K]?: string } {
  if (value === undefined) return {};
  return { [field]: text(value, field) } as { [P in K]?: string };
}

export function oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) refuse('VALIDATION_FAILED', `${field} must be one of ${allowed.join(', ')}`, { field, allowed });
  return value as T;
}

export function units(value: unknown, field: string, min: number): string[] {
  if (!Array.isArray(value)) refuse('VALIDATION_FAILED', `${field} must be a list of unit ids`, { field });
  const list = value.map((u, i) => text(u, `${field}[${i}]`));
  if (list.length < min) refuse('INVALID_ASSIGNMENT', `${field} needs at least ${min} unit`, { field });
  if (new Set(list).size !== list.length) refuse('INVALID_ASSIGNMENT', `${field} names a unit twice`, { field });
  return list;
}


/** Deep equality of plain data, whatever the order of keys (a stored event's data comes back with its keys sorted). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((v, i) => sameValue(v, (b as unknown[])[i]));
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** The item's deadline of this id, or DEADLINE_NOT_FOUND. */
export function deadline(state: ExistingProposal, id: string) {
  const found = state.deadlines[id];
  if (!found) refuse('DEADLINE_NOT_FOUND', `No deadline ${id}`, { deadlineId: id });
  return found;
}
