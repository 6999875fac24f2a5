import type { Actor } from '@banli/domain';
import { HttpProblem } from './problem';

/** Ids of items, units and requests in paths and bodies. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The office, supervisors, auditors and admins read every item and every figure. */
export function seesEverything(actor: Actor): boolean {
  return actor.roles.some((r) => r === 'office' || r === 'supervisor' || r === 'auditor' || r === 'admin');
}

/** The caller's own unit: handlers and signers act for the unit in their token. */
export function unitOf(actor: Actor): string {
  if (!actor.unit) throw new HttpProblem(403, 'FORBIDDEN', 'Your token names no unit');
  return actor.unit;
}
