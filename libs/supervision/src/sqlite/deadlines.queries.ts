import { DEADLINE_SQL } from '@banli/read-model';
import type Database from 'better-sqlite3';

export interface UnmetDeadline {
  readonly proposalId: string;
  readonly title: string;
  readonly number: string;
  readonly session: string;
  readonly id: string;
  readonly kind: string;
  readonly unitId: string;
  readonly dueDate: string;
  readonly dueAt: string;
  readonly breachedAt?: string;
}

export interface DeadlineOutcomes {
  readonly unitId: string;
  readonly kind: string;
  readonly metOnTime: number;
  readonly metLate: number;
  readonly overdue: number;
  readonly running: number;
}

/** Queries over DEADLINES_PROJECTION's rows; "pending", "overdue" and "owed" are the domain's (DEADLINE_SQL). */
export class DeadlineQueries {
  constructor(private readonly db: () => Database.Database) {}

  /** The units an item is assigned to now. */
  unitsOf(proposalId: string): string[] {
    const row = this.db().prepare('SELECT units FROM rm_deadline_items WHERE proposal_id = ?').get(proposalId) as { units: string } | undefined;
    return row ? (JSON.parse(row.units) as string[]) : [];
  }

  deadlines(query: { state?: string; unit?: string; dueBefore?: string; scopeUnit?: string }, now: Date) {
    const params: Record<string, unknown> = { now: now.toISOString() };
    const where: string[] = [];
    if (query.state) (where.push(`${DEADLINE_SQL.stateAtNow} = @state`), (params.state = query.state));
    if (query.unit) (where.push('d.unit_id = @unit'), (params.unit = query.unit));
    if (query.scopeUnit !== undefined) (where.push('d.unit_id = @scopeUnit'), (params.scopeUnit = query.scopeUnit));
    if (query.dueBefore) (where.push('d.due_at < @dueBefore'), (params.dueBefore = query.dueBefore));
    const rows = this.db()
      .prepare(
        `SELECT d.*, ${DEADLINE_SQL.stateAtNow} AS computed_state, i.title, i.number, i.session FROM rm_deadlines d JOIN rm_deadline_items i USING (proposal_id)
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY d.due_at, d.proposal_id, d.deadline_id LIMIT 5000`,
      )
      .all(params) as Record<string, unknown>[];
    return rows.map((r) => ({
      proposalId: r.proposal_id,
      title: r.title,
      number: r.number,
      session: r.session,
      id: r.deadline_id,
      kind: r.kind,
      ...(r.unit_id === null ? {} : { unitId: r.unit_id }),
      dueDate: r.due_date,
      dueAt: r.due_at,
      state: r.computed_state,
      ...(r.met_at === null ? {} : { metAt: r.met_at, onTime: r.on_time === 1 }),
      ...(r.breached_at === null ? {} : { breachedAt: r.breached_at }),
    }));
  }

  /**
   * Units' deadlines not yet met (the proposer's evaluation window aside) whose due instant lies in
   * (dueAfter, dueUpTo]: what falls due soon, or what is overdue.
   */
  unmetUnitDeadlines(query: { dueAfter?: string; dueUpTo?: string; unit?: string; scopeUnit?: string }): UnmetDeadline[] {
    const params: Record<string, unknown> = {};
    const where = [DEADLINE_SQL.pending, DEADLINE_SQL.owedStep, 'd.unit_id IS NOT NULL'];
    if (query.dueAfter) (where.push('d.due_at > @dueAfter'), (params.dueAfter = query.dueAfter));
    if (query.dueUpTo) (where.push('d.due_at <= @dueUpTo'), (params.dueUpTo = query.dueUpTo));
    if (query.unit) (where.push('d.unit_id = @unit'), (params.unit = query.unit));
    if (query.scopeUnit !== undefined) (where.push('d.unit_id = @scopeUnit'), (params.scopeUnit = query.scopeUnit));
    const rows = this.db()
      .prepare(
        `SELECT d.proposal_id, d.deadline_id, d.kind, d.unit_id, d.due_date, d.due_at, d.breached_at, i.title, i.number, i.session
         FROM rm_deadlines d JOIN rm_deadline_items i USING (proposal_id) WHERE ${where.join(' AND ')} ORDER BY d.due_at, d.unit_id, d.proposal_id, d.deadline_id`,
      )
      .all(params) as Record<string, string | null>[];
    return rows.map((r) => ({
      proposalId: r.proposal_id!,
      title: r.title!,
      number: r.number!,
      session: r.session!,
      id: r.deadline_id!,
      kind: r.kind!,
      unitId: r.unit_id!,
      dueDate: r.due_date!,
      dueAt: r.due_at!,
      ...(r.breached_at === null ? {} : { breachedAt: r.breached_at }),
    }));
  }

  /** Per unit and deadline kind: deadlines met on time, met late, overdue now, and still running. */
  deadlineOutcomes(query: { session?: string; unit?: string; scopeUnit?: string }, now: Date): DeadlineOutcomes[] {
    const params: Record<string, unknown> = { now: now.toISOString() };
    const where = [DEADLINE_SQL.owedStep, 'd.unit_id IS NOT NULL'];
    if (query.session) (where.push('i.session = @session'), (params.session = query.session));
    if (query.unit) (where.push('d.unit_id = @unit'), (params.unit = query.unit));
    if (query.scopeUnit !== undefined) (where.push('d.unit_id = @scopeUnit'), (params.scopeUnit = query.scopeUnit));
    return this.db()
      .prepare(
        `SELECT d.unit_id AS unitId, d.kind AS kind,
           SUM(d.state = 'met' AND d.on_time = 1) AS metOnTime,
           SUM(d.state = 'met' AND d.on_time = 0) AS metLate,
           SUM(${DEADLINE_SQL.pending} AND d.due_at <= @now) AS overdue,
           SUM(${DEADLINE_SQL.pending} AND d.due_at > @now) AS running
         FROM rm_deadlines d JOIN rm_deadline_items i USING (proposal_id) WHERE ${where.join(' AND ')}
         GROUP BY d.unit_id, d.kind ORDER BY d.unit_id, d.kind`,
      )
      .all(params) as DeadlineOutcomes[];
  }
}
