import { evaluationComplete, evolve, handlingOf, INITIAL_STATE, proposalIdOf, type ProposalState, publicVersion, type Satisfaction } from '@banli/domain';
import type { FoldableEvent, StoredEvent } from '@banli/event-store';
import Database from 'better-sqlite3';
import { toRecorded } from '@banli/application';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS rm_checkpoint (name TEXT PRIMARY KEY, position INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rm_states (proposal_id TEXT PRIMARY KEY, revision INTEGER NOT NULL, state TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rm_proposals (
  proposal_id TEXT PRIMARY KEY, kind TEXT NOT NULL, session TEXT NOT NULL, number TEXT NOT NULL, title TEXT NOT NULL,
  status TEXT NOT NULL, revision INTEGER NOT NULL, submitted_at TEXT NOT NULL, units TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rm_item_units (proposal_id TEXT NOT NULL, unit_id TEXT NOT NULL, role TEXT NOT NULL, PRIMARY KEY (proposal_id, unit_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rm_item_proposers (proposal_id TEXT NOT NULL, proposer_id TEXT NOT NULL, PRIMARY KEY (proposal_id, proposer_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rm_deadlines (
  proposal_id TEXT NOT NULL, deadline_id TEXT NOT NULL, kind TEXT NOT NULL, unit_id TEXT, due_date TEXT NOT NULL, due_at TEXT NOT NULL,
  state TEXT NOT NULL, met_at TEXT, on_time INTEGER, breached_at TEXT, PRIMARY KEY (proposal_id, deadline_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rm_unit_items (
  proposal_id TEXT NOT NULL, unit_id TEXT NOT NULL, session TEXT NOT NULL, role TEXT NOT NULL, replying INTEGER NOT NULL,
  replied INTEGER NOT NULL, replied_on_time INTEGER NOT NULL, contacted INTEGER NOT NULL, evaluated INTEGER NOT NULL,
  satisfaction TEXT, result_class TEXT, PRIMARY KEY (proposal_id, unit_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rm_public_replies (
  proposal_id TEXT NOT NULL, unit_id TEXT NOT NULL, round INTEGER NOT NULL, kind TEXT NOT NULL, session TEXT NOT NULL, number TEXT NOT NULL,
  title TEXT NOT NULL, document_number TEXT NOT NULL, result_class TEXT NOT NULL, body TEXT NOT NULL, dispatched_at TEXT NOT NULL,
  PRIMARY KEY (proposal_id, unit_id)) WITHOUT ROWID;
`;
/** Secondary indexes: a replay drops them and builds them once at its end, cheaper than through every insert. */
const INDEXES = `
CREATE INDEX IF NOT EXISTS rm_item_units_unit ON rm_item_units (unit_id);
CREATE INDEX IF NOT EXISTS rm_item_proposers_proposer ON rm_item_proposers (proposer_id);
CREATE INDEX IF NOT EXISTS rm_deadlines_due ON rm_deadlines (state, due_at);
`;
/**
 * The shape of the states and rows kept here. Raised whenever the folded state changes shape (an
 * event's schema version, a new field): a read model of another version is rebuilt from the store.
 */
export const READ_MODEL_VERSION = 3;
export const READ_MODEL_TABLES = ['rm_checkpoint', 'rm_states', 'rm_proposals', 'rm_item_units', 'rm_item_proposers', 'rm_deadlines', 'rm_unit_items', 'rm_public_replies'];
const TABLES = READ_MODEL_TABLES;
const PER_ITEM = ['rm_proposals', 'rm_item_units', 'rm_item_proposers', 'rm_deadlines', 'rm_unit_items', 'rm_public_replies'];

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

/**
 * The read model has an item only up to `fromRevision - 1`, or (`fromRevision` 0) has its rows but not its
 * folded state: the item's events from `fromRevision` must be applied first.
 */
export class MissingEventsError extends Error {
  constructor(
    readonly streamId: string,
    readonly fromRevision: number,
  ) {
    super(`Events of ${streamId} from revision ${fromRevision} are missing`);
    this.name = 'MissingEventsError';
  }
}

/** The revision the read model holds for an item (-1 for none). */
export interface RevisionLookup {
  revisionOf(proposalId: string): number;
}

export interface ListQuery {
  status?: string;
  unit?: string;
  session?: string;
  overdue?: boolean;
  page: number;
  pageSize: number;
  /** Handlers and signers see their unit's items; proposers the items naming them. */
  scope?: { unit?: string; proposerId?: string };
}

export interface ReadModelOptions {
  /** A file written once and thrown away on failure (a replay shard): kept without a journal. */
  readonly scratch?: boolean;
  /**
   * Whether each item's folded state is kept (`rm_states`), so that its next event is folded without
   * reading its stream. A replay keeps none: it would write a few kilobytes per item that few items ever
   * need again. An item without a kept state has its stream read from the store at its next event.
   */
  readonly keepStates?: boolean;
}

/** An item as the read model holds it; `state` undefined: its rows are here, its folded state is not kept. */
interface Held {
  readonly state: ProposalState | undefined;
  readonly revision: number;
}

/** An item being folded in a batch; `kept`: the revision of its rows when its state was not kept. */
interface Folding {
  readonly state: ProposalState;
  readonly revision: number;
  readonly kept: number | undefined;
}

const NONE: Held = { state: INITIAL_STATE, revision: -1 };

/**
 * The read side of the standalone service, in SQLite beside the event store. It folds each item's events
 * and derives every row from the folded state, so rebuilding from position zero gives exactly what live
 * updates gave. A batch of events is one transaction together with the checkpoint: an event is applied
 * once, however often delivered.
 */
export class ProposalReadModel {
  private readonly db: Database.Database;
  private readonly stmt: ReturnType<ProposalReadModel['prepareStatements']>;
  private checkpoint: number;
  /**
   * After a reset, the items written since: any other item has no rows, so a replay neither looks it up
   * nor deletes its rows before writing them (most of what a rebuild from position zero would cost).
   */
  private writtenSinceReset?: Set<string>;
  /** Recently touched states, so a busy item is not re-parsed from JSON on every event. */
  private readonly states = new Map<string, { state: ProposalState; revision: number }>();
  private readonly keepStates: boolean;

  constructor(file: string, options: ReadModelOptions = {}) {
    this.keepStates = options.keepStates ?? true;
    this.db = new Database(file, { timeout: 5000 });
    this.db.pragma(options.scratch ? 'journal_mode = OFF' : 'journal_mode = WAL');
    this.db.pragma(options.scratch ? 'synchronous = OFF' : 'synchronous = NORMAL');
    this.db.exec(SCHEMA);
    this.db.exec(INDEXES);
    this.stmt = this.prepareStatements();
    // States kept in an older shape are dropped: the service replays the store into the current one.
    if ((this.db.pragma('user_version', { simple: true }) as number) !== READ_MODEL_VERSION) {
      this.db.transaction(() => TABLES.forEach((t) => this.db.exec(`DELETE FROM ${t}`)))();
      this.db.pragma(`user_version = ${READ_MODEL_VERSION}`);
    }
    this.checkpoint = (this.db.prepare("SELECT position FROM rm_checkpoint WHERE name = 'proposals'").get() as { position: number } | undefined)?.position ?? 0;
  }

  private prepareStatements() {
    return {
      getState: this.db.prepare<[string], { revision: number; state: string }>('SELECT revision, state FROM rm_states WHERE proposal_id = ?'),
      getRevision: this.db.prepare<[string], { revision: number }>('SELECT revision FROM rm_proposals WHERE proposal_id = ?'),
      unitsOf: this.db.prepare<[string], { unit_id: string }>('SELECT unit_id FROM rm_item_units WHERE proposal_id = ?'),
      deletes: [...PER_ITEM, 'rm_states'].map((table) => this.db.prepare(`DELETE FROM ${table} WHERE proposal_id = ?`)),
      saveCheckpoint: this.db.prepare("INSERT INTO rm_checkpoint (name, position) VALUES ('proposals', ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position"),
      putState: this.db.prepare('INSERT INTO rm_states (proposal_id, revision, state) VALUES (?, ?, ?) ON CONFLICT (proposal_id) DO UPDATE SET revision = excluded.revision, state = excluded.state'),
      proposal: this.db.prepare('INSERT INTO rm_proposals (proposal_id, kind, session, number, title, status, revision, submitted_at, units) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      unit: this.db.prepare('INSERT INTO rm_item_units (proposal_id, unit_id, role) VALUES (?, ?, ?)'),
      proposer: this.db.prepare('INSERT OR IGNORE INTO rm_item_proposers (proposal_id, proposer_id) VALUES (?, ?)'),
      deadline: this.db.prepare(
        'INSERT INTO rm_deadlines (proposal_id, deadline_id, kind, unit_id, due_date, due_at, state, met_at, on_time, breached_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      unitItem: this.db.prepare(
        'INSERT INTO rm_unit_items (proposal_id, unit_id, session, role, replying, replied, replied_on_time, contacted, evaluated, satisfaction, result_class) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      publicReply: this.db.prepare(
        'INSERT INTO rm_public_replies (proposal_id, unit_id, round, kind, session, number, title, document_number, result_class, body, dispatched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
    };
  }

  position(): number {
    return this.checkpoint;
  }

  /** Empties every read table and drops the secondary indexes, for a replay from position zero. */
  beginReplay(): void {
    this.reset();
    for (const [, name] of INDEXES.matchAll(/CREATE INDEX IF NOT EXISTS (\w+)/g)) this.db.exec(`DROP INDEX IF EXISTS ${name}`);
  }

  /** Builds the secondary indexes and sets the checkpoint: a replay folded every stream up to `position`. */
  endReplay(position: number): void {
    this.db.exec(INDEXES);
    this.stmt.saveCheckpoint.run(position);
    this.checkpoint = position;
  }

  revisionOf(proposalId: string): number {
    return this.load(proposalId).revision;
  }

  /** The units an item is assigned to now. */
  unitsOf(proposalId: string): string[] {
    return this.stmt.unitsOf.all(proposalId).map((r) => r.unit_id);
  }

  /**
   * Applies events, each item's in revision order. An event at or below the item's revision is a repeat
   * and is skipped; one that skips revisions is refused (`MissingEventsError`), for the caller to fetch the
   * gap from the store first (see `gaps`). The checkpoint is the highest global position applied: where a
   * restart catches up from.
   */
  apply(events: readonly StoredEvent[], onApplied?: (proposalId: string, revision: number) => void): number {
    return this.applyEvents(events, true, onApplied);
  }

  /**
   * Applies events without moving the checkpoint: an item's events read from the store to fill a gap that
   * `apply` or `gaps` named, or a replay's streams. Events of other items before these events' positions
   * may not have been applied yet.
   */
  fill(events: readonly FoldableEvent[], onApplied?: (proposalId: string, revision: number) => void): void {
    this.applyEvents(events, false, onApplied);
  }

  /**
   * What must be read from the store before `events` can be applied, per item: from the revision after
   * the one held, or from revision 0 for an item whose state is not kept (as after a replay).
   */
  gaps(events: readonly StoredEvent[]): MissingEventsError[] {
    const first = new Map<string, StoredEvent>();
    for (const event of events) {
      const id = proposalIdOf(event.streamId);
      if (id !== undefined && !first.has(id)) first.set(id, event);
    }
    const gaps: MissingEventsError[] = [];
    for (const [id, event] of first) {
      const held = this.load(id);
      if (event.revision <= held.revision + 1 && (held.state !== undefined || event.revision <= held.revision)) continue;
      gaps.push(new MissingEventsError(event.streamId, held.state === undefined ? 0 : held.revision + 1));
    }
    return gaps;
  }

  private applyEvents(events: readonly FoldableEvent[], moveCheckpoint: boolean, onApplied?: (proposalId: string, revision: number) => void): number {
    const applied = this.db.transaction(() => {
      let position = this.position();
      const touched = new Map<string, Folding>();
      for (const event of events) {
        if (moveCheckpoint) position = Math.max(position, event.position);
        const id = proposalIdOf(event.streamId);
        if (id === undefined) continue;
        const current = touched.get(id) ?? this.folding(this.load(id), event);
        if (current === undefined || event.revision <= current.revision) continue;
        if (event.revision !== current.revision + 1) throw new MissingEventsError(event.streamId, current.revision + 1);
        touched.set(id, { state: evolve(current.state, toRecorded(event)), revision: event.revision, kept: current.kept });
      }
      // An item re-folded from its start but not up to the rows already held (a stale repeat) is left as it was.
      for (const [id, folded] of touched) if (folded.kept !== undefined && folded.revision <= folded.kept) touched.delete(id);
      for (const [id, { state, revision }] of touched) this.write(id, state, revision);
      this.stmt.saveCheckpoint.run(position);
      return { position, touched };
    })();
    // Only after the commit: a rolled-back batch must not leave its states in memory.
    for (const [id, entry] of applied.touched) {
      this.remember(id, entry);
      onApplied?.(id, entry.revision);
    }
    this.checkpoint = applied.position;
    return applied.position;
  }

  /**
   * Where an item's first event in a batch starts folding from. An item whose state is not kept is folded
   * afresh from its revision 0; its other events are repeats, or a gap from revision 0.
   */
  private folding(held: Held, event: FoldableEvent): Folding | undefined {
    if (held.state !== undefined) return { state: held.state, revision: held.revision, kept: undefined };
    if (event.revision === 0) return { state: INITIAL_STATE, revision: -1, kept: held.revision };
    if (event.revision <= held.revision) return undefined;
    throw new MissingEventsError(event.streamId, 0);
  }

  /** Empties every read table, to replay from position zero. */
  reset(): void {
    this.db.transaction(() => TABLES.forEach((t) => this.db.exec(`DELETE FROM ${t}`)))();
    this.states.clear();
    this.checkpoint = 0;
    this.writtenSinceReset = new Set();
  }

  /** Every row of every read table (kept states aside), for comparing a rebuild with the live read model. */
  snapshot(): Record<string, unknown[]> {
    return Object.fromEntries(TABLES.filter((t) => t !== 'rm_checkpoint' && t !== 'rm_states').map((t) => [t, this.db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all()]));
  }

  list(query: ListQuery, now: Date) {
    const where: string[] = [];
    const params: Record<string, unknown> = { now: now.toISOString(), limit: query.pageSize, offset: (query.page - 1) * query.pageSize };
    if (query.status) (where.push('p.status = @status'), (params.status = query.status));
    if (query.session) (where.push('p.session = @session'), (params.session = query.session));
    if (query.unit) (where.push('EXISTS (SELECT 1 FROM rm_item_units u WHERE u.proposal_id = p.proposal_id AND u.unit_id = @unit)'), (params.unit = query.unit));
    if (query.scope?.unit !== undefined) {
      where.push('EXISTS (SELECT 1 FROM rm_item_units u WHERE u.proposal_id = p.proposal_id AND u.unit_id = @scopeUnit)');
      params.scopeUnit = query.scope.unit;
    }
    if (query.scope?.proposerId !== undefined) {
      where.push('EXISTS (SELECT 1 FROM rm_item_proposers x WHERE x.proposal_id = p.proposal_id AND x.proposer_id = @proposerId)');
      params.proposerId = query.scope.proposerId;
    }
    // Overdue means a unit owes a step past its due date; the evaluation window is the proposer's, not a unit's.
    const overdue = "EXISTS (SELECT 1 FROM rm_deadlines d WHERE d.proposal_id = p.proposal_id AND d.kind <> 'evaluation' AND d.state IN ('open', 'breached') AND d.due_at <= @now)";
    if (query.overdue !== undefined) where.push(query.overdue ? overdue : `NOT ${overdue}`);
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.db.prepare(`SELECT count(*) AS n FROM rm_proposals p ${filter}`).get(params) as { n: number }).n;
    const rows = this.db
      .prepare(`SELECT p.*, ${overdue} AS overdue FROM rm_proposals p ${filter} ORDER BY p.submitted_at DESC, p.proposal_id LIMIT @limit OFFSET @offset`)
      .all(params) as Record<string, unknown>[];
    return {
      items: rows.map((r) => ({
        id: r.proposal_id,
        kind: r.kind,
        session: r.session,
        number: r.number,
        title: r.title,
        status: r.status,
        revision: r.revision,
        submittedAt: r.submitted_at,
        units: JSON.parse(r.units as string),
        overdue: r.overdue === 1,
      })),
      page: query.page,
      pageSize: query.pageSize,
      total,
    };
  }

  deadlines(query: { state?: string; unit?: string; dueBefore?: string; scopeUnit?: string }, now: Date) {
    const params: Record<string, unknown> = { now: now.toISOString() };
    const where: string[] = [];
    const computed = "CASE WHEN d.state = 'open' AND d.due_at <= @now THEN 'breached' ELSE d.state END";
    if (query.state) (where.push(`${computed} = @state`), (params.state = query.state));
    if (query.unit) (where.push('d.unit_id = @unit'), (params.unit = query.unit));
    if (query.scopeUnit !== undefined) (where.push('d.unit_id = @scopeUnit'), (params.scopeUnit = query.scopeUnit));
    if (query.dueBefore) (where.push('d.due_at < @dueBefore'), (params.dueBefore = query.dueBefore));
    const rows = this.db
      .prepare(
        `SELECT d.*, ${computed} AS computed_state, p.title, p.number, p.session FROM rm_deadlines d JOIN rm_proposals p USING (proposal_id)
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
    const where = ["d.state IN ('open', 'breached')", "d.kind <> 'evaluation'", 'd.unit_id IS NOT NULL'];
    if (query.dueAfter) (where.push('d.due_at > @dueAfter'), (params.dueAfter = query.dueAfter));
    if (query.dueUpTo) (where.push('d.due_at <= @dueUpTo'), (params.dueUpTo = query.dueUpTo));
    if (query.unit) (where.push('d.unit_id = @unit'), (params.unit = query.unit));
    if (query.scopeUnit !== undefined) (where.push('d.unit_id = @scopeUnit'), (params.scopeUnit = query.scopeUnit));
    const rows = this.db
      .prepare(
        `SELECT d.proposal_id, d.deadline_id, d.kind, d.unit_id, d.due_date, d.due_at, d.breached_at, p.title, p.number, p.session
         FROM rm_deadlines d JOIN rm_proposals p USING (proposal_id) WHERE ${where.join(' AND ')} ORDER BY d.due_at, d.unit_id, d.proposal_id, d.deadline_id`,
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
    const where = ["d.kind <> 'evaluation'", 'd.unit_id IS NOT NULL'];
    if (query.session) (where.push('p.session = @session'), (params.session = query.session));
    if (query.unit) (where.push('d.unit_id = @unit'), (params.unit = query.unit));
    if (query.scopeUnit !== undefined) (where.push('d.unit_id = @scopeUnit'), (params.scopeUnit = query.scopeUnit));
    return this.db
      .prepare(
        `SELECT d.unit_id AS unitId, d.kind AS kind,
           SUM(d.state = 'met' AND d.on_time = 1) AS metOnTime,
           SUM(d.state = 'met' AND d.on_time = 0) AS metLate,
           SUM(d.state IN ('open', 'breached') AND d.due_at <= @now) AS overdue,
           SUM(d.state IN ('open', 'breached') AND d.due_at > @now) AS running
         FROM rm_deadlines d JOIN rm_proposals p USING (proposal_id) WHERE ${where.join(' AND ')}
         GROUP BY d.unit_id, d.kind ORDER BY d.unit_id, d.kind`,
      )
      .all(params) as DeadlineOutcomes[];
  }

  stats(query: { session?: string; unit?: string }) {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (query.session) (where.push('session = @session'), (params.session = query.session));
    if (query.unit) (where.push('unit_id = @unit'), (params.unit = query.unit));
    const rows = this.db
      .prepare(
        `SELECT unit_id,
           count(*) AS assigned, sum(replying) AS replying, sum(replied) AS replied, sum(replied_on_time) AS replied_on_time,
           sum(contacted) AS contacted, sum(role = 'lead') AS leading, sum(evaluated) AS evaluated,
           coalesce(sum(satisfaction = 'satisfied'), 0) AS satisfied, coalesce(sum(satisfaction = 'basically-satisfied'), 0) AS basically_satisfied,
           coalesce(sum(satisfaction = 'unsatisfied'), 0) AS unsatisfied,
           coalesce(sum(result_class = 'A'), 0) AS a, coalesce(sum(result_class = 'B'), 0) AS b,
           coalesce(sum(result_class = 'C'), 0) AS c, coalesce(sum(result_class = 'D'), 0) AS d
         FROM rm_unit_items ${where.length ? `WHERE ${where.join(' AND ')}` : ''} GROUP BY unit_id ORDER BY unit_id`,
      )
      .all(params) as Record<string, number & string>[];
    const rate = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000);
    return rows.map((r) => ({
      unitId: r.unit_id,
      assigned: r.assigned,
      replied: r.replied,
      repliedOnTime: r.replied_on_time,
      contacted: r.contacted,
      evaluated: r.evaluated,
      satisfied: r.satisfied,
      basicallySatisfied: r.basically_satisfied,
      unsatisfied: r.unsatisfied,
      replyRate: rate(r.replied, r.replying),
      onTimeRate: rate(r.replied_on_time, r.replied),
      contactRate: rate(r.contacted, r.leading),
      satisfactionRate: rate(r.satisfied + r.basically_satisfied, r.evaluated),
      classShares: { A: rate(r.a, r.replied), B: rate(r.b, r.replied), C: rate(r.c, r.replied), D: rate(r.d, r.replied) },
    }));
  }

  publicReplies(page: number, pageSize: number) {
    const total = (this.db.prepare('SELECT count(*) AS n FROM rm_public_replies').get() as { n: number }).n;
    const items = (
      this.db.prepare('SELECT * FROM rm_public_replies ORDER BY dispatched_at DESC, proposal_id, unit_id LIMIT ? OFFSET ?').all(pageSize, (page - 1) * pageSize) as Record<string, unknown>[]
    ).map((r) => ({
      proposalId: r.proposal_id,
      unitId: r.unit_id,
      round: r.round,
      kind: r.kind,
      session: r.session,
      number: r.number,
      title: r.title,
      documentNumber: r.document_number,
      resultClass: r.result_class,
      body: r.body,
      dispatchedAt: r.dispatched_at,
    }));
    return { items, page, pageSize, total };
  }

  close(): void {
    this.db.close();
  }

  private load(id: string): Held {
    const cached = this.states.get(id);
    if (cached) return cached;
    if (this.writtenSinceReset && !this.writtenSinceReset.has(id)) return NONE;
    const row = this.stmt.getState.get(id);
    if (row) return { state: JSON.parse(row.state) as ProposalState, revision: row.revision };
    const rows = this.stmt.getRevision.get(id);
    return rows ? { state: undefined, revision: rows.revision } : NONE;
  }

  private remember(id: string, entry: { state: ProposalState; revision: number }): void {
    this.states.delete(id);
    if (this.states.size >= 5_000) this.states.delete(this.states.keys().next().value as string);
    this.states.set(id, entry);
  }

  private write(id: string, state: ProposalState, revision: number): void {
    if (!this.writtenSinceReset || this.writtenSinceReset.has(id)) for (const remove of this.stmt.deletes) remove.run(id);
    this.writtenSinceReset?.add(id);
    if (this.keepStates) this.stmt.putState.run(id, revision, JSON.stringify(state));
    if (state.status === 'empty') return;
    const handling = handlingOf(state);
    const units = handling?.units ?? [];
    this.stmt.proposal.run(id, state.kind, state.session, state.number, state.title, state.status, revision, state.submittedAt, JSON.stringify(units.map((u) => ({ unitId: u.unitId, role: u.role }))));
    for (const u of units) this.stmt.unit.run(id, u.unitId, u.role);
    for (const p of state.proposers) this.stmt.proposer.run(id, p.id);
    for (const d of Object.values(state.deadlines)) {
      this.stmt.deadline.run(id, d.id, d.kind, d.unitId ?? null, d.dueDate, d.dueAt, d.state, d.metAt ?? null, d.onTime === undefined ? null : d.onTime ? 1 : 0, d.breachedAt ?? null);
    }
    if (!handling || state.status === 'withdrawn') return;
    const { unitItem, publicReply } = this.stmt;
    for (const u of units) {
      const track = handling.tracks[u.unitId];
      const replied = track?.stage === 'dispatched';
      const replyDeadline = Object.values(state.deadlines).find((d) => (d.kind === 'reply' || d.kind === 'rehandling-reply') && d.unitId === u.unitId && d.state === 'met' && d.metAt === track?.dispatchedAt);
      const counted = track ? track.evaluations.filter((e) => e.round === track.round && e.counted) : [];
      const evaluated = track !== undefined && replied && counted.length > 0 && evaluationComplete(state, handling, track);
      unitItem.run(
        id,
        u.unitId,
        state.session,
        u.role,
        track ? 1 : 0,
        replied ? 1 : 0,
        replied && replyDeadline?.onTime ? 1 : 0,
        handling.contacts.some((c) => c.unitId === u.unitId) ? 1 : 0,
        evaluated ? 1 : 0,
        evaluated ? worst(counted.map((e) => e.satisfaction)) : null,
        replied ? (track.draft?.resultClass ?? null) : null,
      );
      // The public version recorded at publication: contact details redacted, never the contact fields.
      if (track?.published && track.draft && track.dispatchedAt && track.publicText !== undefined) {
        publicReply.run(id, u.unitId, track.round, state.kind, state.session, state.number, publicVersion(state.title).text, publicVersion(track.draft.documentNumber).text, track.draft.resultClass, track.publicText, track.dispatchedAt);
      }
    }
  }
}

function worst(ratings: Satisfaction[]): Satisfaction {
  if (ratings.includes('unsatisfied')) return 'unsatisfied';
  return ratings.includes('basically-satisfied') ? 'basically-satisfied' : 'satisfied';
}
