import { createHash } from 'node:crypto';
import { HttpProblem } from './problem';

/** `If-Match: 3`, `"3"` or `W/"3"` → 3. Absent → undefined. */
export function parseIfMatch(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = (Array.isArray(header) ? header[0] : header).trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
  if (!/^-?\d+$/.test(value)) throw new HttpProblem(400, 'VALIDATION_FAILED', 'If-Match must be a revision number', { field: 'If-Match' });
  return Number(value);
}

/** The proposal id for a submission: the same kind, session and number always name the same stream. */
export function proposalIdFor(kind: string, session: string, number: string): string {
  const digest = createHash('sha256').update(JSON.stringify([kind, session.trim(), number.trim()])).digest('hex').slice(0, 16);
  return `${kind === 'cppcc-proposal' ? 'pp' : 'ns'}-${digest}`;
}
