/**
 * Every refusal carries a stable code that clients can switch on; the HTTP edge maps the
 * category to a status (problem+json). Codes are part of the public contract: never rename one.
 */
export const ERROR_CATEGORIES = {
  VALIDATION_FAILED: 'invalid-input',
  NOT_FOUND: 'not-found',
  FORBIDDEN: 'forbidden',
  BACKDATING_NOT_ALLOWED: 'forbidden',
  INVALID_TRANSITION: 'rule-violation',
  PROPOSAL_EXISTS: 'conflict',
  OCCURRED_IN_FUTURE: 'invalid-input',
  OCCURRED_BEFORE_PREVIOUS_STEP: 'rule-violation',
  RULE_SET_NOT_FOUND: 'invalid-input',
  RULE_SET_KIND_MISMATCH: 'rule-violation',
  INVALID_ASSIGNMENT: 'invalid-input',
  UNIT_NOT_ASSIGNED: 'rule-violation',
  NOT_A_LEAD_UNIT: 'rule-violation',
  NOT_A_CO_UNIT: 'rule-violation',
  ALREADY_ACKNOWLEDGED: 'rule-violation',
  ADJUSTMENT_WINDOW_CLOSED: 'rule-violation',
  ADJUSTMENT_PENDING: 'rule-violation',
  ADJUSTMENT_NOT_FOUND: 'not-found',
  ADJUSTMENT_ALREADY_DECIDED: 'rule-violation',
  CO_OPINION_NOT_SUBMITTED: 'rule-violation',
  CO_OPINIONS_PENDING: 'rule-violation',
  REPLY_NOT_DRAFTED: 'rule-violation',
  REPLY_ALREADY_SIGNED: 'rule-violation',
  REPLY_NOT_SIGNED: 'rule-violation',
  REVIEW_REQUIRED: 'rule-violation',
  REVIEW_NOT_APPLICABLE: 'rule-violation',
  REPLY_ALREADY_DISPATCHED: 'rule-violation',
  REPLY_NOT_DISPATCHED: 'rule-violation',
  RESULT_CLASS_NOT_ALLOWED: 'invalid-input',
  UNIT_REQUIRED: 'invalid-input',
  COMMENT_REQUIRED: 'invalid-input',
  ALREADY_EVALUATED: 'rule-violation',
  NOT_UNSATISFIED: 'rule-violation',
  EVALUATION_PENDING: 'rule-violation',
  EXTENSION_NOT_ALLOWED: 'rule-violation',
  EXTENSION_EXCEEDS_LIMIT: 'rule-violation',
  DEADLINE_NOT_FOUND: 'not-found',
  DEADLINE_NOT_OPEN: 'rule-violation',
  DEADLINE_NOT_DUE: 'rule-violation',
  ESCALATION_RUNG_NOT_FOUND: 'not-found',
  COMMITMENT_NOT_FOUND: 'not-found',
  NOT_DISCLOSABLE: 'rule-violation',
  NOT_CONFIRMABLE: 'rule-violation',
  COMPLEX_NOT_PROVIDED: 'rule-violation',
  RECEIPT_ALREADY_RECORDED: 'rule-violation',
  CONSENT_REQUIRED: 'invalid-input',
  COMMITMENT_NOT_FULFILLED: 'rule-violation',
  RECEIPT_ALREADY_RETURNED: 'rule-violation',
  WITHDRAWAL_CLOSED: 'rule-violation',
  CO_SIGNERS_AGREEMENT_REQUIRED: 'rule-violation',
  SEALED_VALUE_IN_INPUT: 'malformed-input',
} as const;

export type DomainErrorCode = keyof typeof ERROR_CATEGORIES;
export type DomainErrorCategory = (typeof ERROR_CATEGORIES)[DomainErrorCode];

export class DomainError extends Error {
  readonly category: DomainErrorCategory;

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'DomainError';
    this.category = ERROR_CATEGORIES[code];
  }
}

export function refuse(code: DomainErrorCode, message: string, details?: Record<string, unknown>): never {
  throw new DomainError(code, message, details);
}

export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unhandled ${what}: ${JSON.stringify(value)}`);
}
