export const ROLES = ['office', 'handler', 'signer', 'supervisor', 'proposer', 'auditor', 'admin', 'system'] as const;
export type Role = (typeof ROLES)[number];

/** Who issues a command, from the caller's verified token (`system` is the deadline scheduler). */
export interface Actor {
  readonly id: string;
  readonly name?: string;
  /** The caller's unit, for handlers, signers and supervisors. */
  readonly unit?: string;
  readonly roles: readonly Role[];
}
