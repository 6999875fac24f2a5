/** The shapes of the answers the console reads (the OpenAPI document types paths and bodies; these, the answers). */

export type Role = 'office' | 'handler' | 'signer' | 'supervisor' | 'proposer' | 'auditor' | 'admin';

export interface User {
  id: string;
  name: string;
  roles: Role[];
  unit?: string;
}

export interface SessionAnswer {
  user: User;
  csrfToken?: string;
  expiresAt?: string;
}

export interface ListedItem {
  id: string;
  kind: string;
  session: string;
  number: string;
  title: string;
  status: string;
  revision: number;
  submittedAt: string;
  units: { unitId: string; role: 'lead' | 'co' }[];
  overdue: boolean;
  owedDueAt?: string;
  light?: 'red' | 'yellow' | 'green';
  rating?: string;
}

export interface ItemPage {
  items: ListedItem[];
  page: number;
  pageSize: number;
  total: number;
}

export interface AllowedAction {
  command: string;
  unitId?: string;
  commitmentId?: string;
  requestId?: string;
}

export interface DeadlineView {
  id: string;
  kind: string;
  unitId?: string;
  startDate: string;
  dueDate: string;
  dueAt: string;
  state: 'open' | 'met' | 'breached' | 'cancelled';
  provisional: boolean;
  breachedAt?: string;
  metAt?: string;
  onTime?: boolean;
  source: string;
  workingDaysLeft?: number;
}

export interface ReplyView {
  unitId: string;
  round: number;
  stage: string;
  signatures?: string[];
  draft?: { documentNumber: string; resultClass: string; body: string; contactPerson?: string; contactPhone?: string; cc: string[]; disclose: boolean; commitments: { description: string; dueDate?: string }[] };
  review?: { approved: boolean; comment?: string };
  dispatchedAt?: string;
  published?: boolean;
  publicText?: string;
  [key: string]: unknown;
}

export interface Item {
  id: string;
  status: string;
  revision: number;
  kind: string;
  session: string;
  number: string;
  title: string;
  body: string;
  submittedAt: string;
  proposers: { id: string; name: string; lead: boolean; phone?: string }[];
  ruleSet: { id: string; version: number } | null;
  mode: string | null;
  key: boolean;
  complex: boolean;
  supervisingUnits: string[];
  leadingOfficial: string | null;
  units: { unitId: string; role: 'lead' | 'co'; acknowledged: boolean; receivedOn?: string }[];
  deadlines: DeadlineView[];
  replies: ReplyView[];
  coOpinions: { unitId: string; state: string; content?: string; returnReason?: string }[];
  contacts: { unitId: string; stage: string; channel: string; summary: string; at: string }[];
  evaluations: { unitId: string; proposerId: string; round: number; satisfaction: string; attitude?: string; result?: string; comment?: string; counted: boolean; at: string }[];
  commitments: { commitmentId: string; unitId: string; description: string; dueDate?: string; fulfilled: boolean; note?: string; receipt?: unknown }[];
  adjustmentRequests: { requestId: string; unitId: string; reason: string; requestedAt: string; decision?: { approved: boolean; reason?: string } }[];
  urges: { urgeId: string; unitId?: string; message: string; at: string }[];
  rejectionReason?: string;
  mergedInto?: string;
  closedAt?: string;
  allowedActions: AllowedAction[];
}

export interface HistoryEvent {
  revision: number;
  type: string;
  schemaVersion: number;
  data: Record<string, unknown>;
  occurredAt: string;
  recordedAt: string;
  actor?: { id: string; name?: string; unit?: string; roles?: string[] };
  backfilled?: boolean;
  hash?: string;
  withheld?: string[];
  [key: string]: unknown;
}

export interface Unit {
  unitId: string;
  name: string;
}

export interface RuleSetSummary {
  id: string;
  version: number;
  title: string;
  kinds: string[];
  resultClasses?: string[];
  resultClassLabels?: Record<string, string>;
  [key: string]: unknown;
}
