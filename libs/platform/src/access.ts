import type { Actor } from '@banli/domain';
import { HttpProblem } from './problem';

/** Ids of items, units and requests in paths and bodies. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The caller's own unit: handlers and signers act for the unit in their token. */
export function unitOf(actor: Actor): string {
  if (!actor.unit) throw new HttpProblem(403, 'FORBIDDEN', 'Your token names no unit');
  return actor.unit;
}
