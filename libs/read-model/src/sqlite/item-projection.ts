import { type ExistingProposal, PENDING_DEADLINE_STATES, PROPOSER_DEADLINE_KINDS } from '@banli/domain';
import type Database from 'better-sqlite3';

/** Writes one item's rows, its old ones already removed. */
export type ItemRowWriter = (proposalId: string, state: ExistingProposal, revision: number) => void;

/**
 * What a feature keeps of each item for its queries: tables whose rows are derived from the item's
 * folded state alone, so a replay from position zero gives exactly the rows live updates gave. The read
 * model folds each item once and hands the state to every projection of the process, in one transaction.
 */
export interface ItemProjection {
  readonly name: string;
  /** Raised whenever its rows change shape: a read model of another shape is rebuilt from the store. */
  readonly version: number;
  /** Where it is declared and under which name, so a replay thread loads it too (`module: __filename`). */
  readonly module: string;
  readonly exportName: string;
  /** Table name → `CREATE TABLE IF NOT EXISTS …`; every table's rows belong to an item (a `proposal_id` column). */
  readonly tables: Readonly<Record<string, string>>;
  /** `CREATE INDEX IF NOT EXISTS <name> ON …`: dropped for a replay and built once at its end. */
  readonly indexes?: readonly string[];
  /** Prepares its statements on a connection of the read model. */
  writer(db: Database.Database): ItemRowWriter;
}

/** `column IN ('a', 'b')` for a fixed set of the domain's words (never for input: those are parameters). */
export function sqlIn(column: string, values: readonly string[]): string {
  for (const v of values) if (!/^[a-z-]+$/.test(v)) throw new Error(`not a word of the domain: ${v}`);
  return `${column} IN (${values.map((v) => `'${v}'`).join(', ')})`;
}

/** The domain's deadline predicates over a deadlines table aliased `d`: see libs/domain deadline-predicates. */
export const DEADLINE_SQL = {
  pending: sqlIn('d.state', PENDING_DEADLINE_STATES),
  owedStep: `NOT ${sqlIn('d.kind', PROPOSER_DEADLINE_KINDS)}`,
  /** `deadlineStateAt`: open past its due instant shows as breached. */
  stateAtNow: "CASE WHEN d.state = 'open' AND d.due_at <= @now THEN 'breached' ELSE d.state END",
} as const;
