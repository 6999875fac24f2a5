import { evolve, INITIAL_STATE, proposalIdOf, type ProposalState } from '@banli/domain';
import type { FoldableEvent, StoredEvent } from '@banli/event-store';
import Database from 'better-sqlite3';
import { toRecorded } from '@banli/application';
import type { ItemProjection, ItemRowWriter } from './item-projection';

/** The read model's own tables: where it stands, and each item's revision with (when kept) its folded state. */
const HOST_TABLES: Readonly<Record<string, string>> = {
  rm_checkpoint: 'CREATE TABLE IF NOT EXISTS rm_checkpoint (name TEXT PRIMARY KEY, position INTEGER NOT NULL) WITHOUT ROWID',
  rm_states: 'CREATE TABLE IF NOT EXISTS rm_states (proposal_id TEXT PRIMARY KEY, revision INTEGER NOT NULL, state TEXT) WITHOUT ROWID',
};
/**
 * The shape of the states kept here. Raised whenever the folded state changes shape (an event's schema
 * version, a new field): a read model of another shape is rebuilt from the store. Each projection has a
 * version of its own for its rows.
 */
export const READ_MODEL_VERSION = 5;

/** Every table of a read model with these projections, the read model's own first. */
export function readModelTables(projections: readonly ItemProjection[]): string[] {
  return [...Object.keys(HOST_TABLES), ...projections.flatMap((p) => Object.keys(p.tables))];
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

export interface ReadModelOptions {
  /** What the features of this process keep of each item (each feature lib exports its own). */
  readonly projections: readonly ItemProjection[];
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
 * The read side of a Banli process, in SQLite beside the event store. It folds each item's events and
 * hands the folded state to the features' projections, which derive their rows from it alone, so
 * rebuilding from position zero gives exactly what live updates gave. A batch of events is one
 * transaction together with the checkpoint: an event is applied once, however often delivered. It knows
 * no business rule: what a row says is its projection's.
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

  private readonly projections: readonly ItemProjection[];
  private readonly writers: ItemRowWriter[];
  /** Every table an item has rows in: the read model's own and its projections'. */
  readonly tables: readonly string[];

  constructor(file: string, options: ReadModelOptions) {
    this.keepStates = options.keepStates ?? true;
    this.projections = options.projections;
    this.db = new Database(file, { timeout: 5000 });
    this.db.pragma(options.scratch ? 'journal_mode = OFF' : 'journal_mode = WAL');
    this.db.pragma(options.scratch ? 'synchronous = OFF' : 'synchronous = NORMAL');
    const tables = { ...HOST_TABLES, ...Object.assign({}, ...this.projections.map((p) => p.tables)) } as Record<string, string>;
    this.tables = readModelTables(this.projections);
    this.ensureShape(tables);
    this.buildIndexes();
    this.stmt = this.prepareStatements();
    this.writers = this.projections.map((p) => p.writer(this.db));
    this.checkpoint = (this.db.prepare("SELECT position FROM rm_checkpoint WHERE name = 'proposals'").get() as { position: number } | undefined)?.position ?? 0;
  }

  /** The connection the features' queries read from (a rebuild replaces the file whole: ask again each time). */
  get database(): Database.Database {
    return this.db;
  }

  /**
   * Rows of another shape (another version of the states or of a projection, or another set of
   * projections) are dropped with their tables: the service replays the store into the current shape.
   */
  private ensureShape(tables: Record<string, string>): void {
    const shape = [`states:${READ_MODEL_VERSION}`, ...this.projections.map((p) => `${p.name}:${p.version}`)].join(' ');
    this.db.exec('CREATE TABLE IF NOT EXISTS rm_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID');
    const held = (this.db.prepare("SELECT value FROM rm_meta WHERE key = 'shape'").get() as { value: string } | undefined)?.value;
    this.db.transaction(() => {
      if (held !== shape) {
        const existing = this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'rm_meta' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[];
        for (const { name } of existing) this.db.exec(`DROP TABLE "${name.replace(/"/g, '""')}"`);
        this.db.prepare("INSERT INTO rm_meta (key, value) VALUES ('shape', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(shape);
      }
      for (const ddl of Object.values(tables)) this.db.exec(ddl);
    })();
  }

  private indexes(): string[] {
    return this.projections.flatMap((p) => p.indexes ?? []);
  }

  private buildIndexes(): void {
    for (const index of this.indexes()) this.db.exec(index);
  }

  private prepareStatements() {
    return {
      getState: this.db.prepare<[string], { revision: number; state: string | null }>('SELECT revision, state FROM rm_states WHERE proposal_id = ?'),
      // rm_states is written with an upsert; every other table of an item is emptied and written again.
      deletes: this.tables.filter((t) => t !== 'rm_checkpoint' && t !== 'rm_states').map((table) => this.db.prepare(`DELETE FROM ${table} WHERE proposal_id = ?`)),
      saveCheckpoint: this.db.prepare("INSERT INTO rm_checkpoint (name, position) VALUES ('proposals', ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position"),
      putState: this.db.prepare('INSERT INTO rm_states (proposal_id, revision, state) VALUES (?, ?, ?) ON CONFLICT (proposal_id) DO UPDATE SET revision = excluded.revision, state = excluded.state'),
    };
  }

  position(): number {
    return this.checkpoint;
  }

  /** Empties every read table and drops the secondary indexes, for a replay from position zero. */
  beginReplay(): void {
    this.reset();
    for (const index of this.indexes()) this.db.exec(`DROP INDEX IF EXISTS ${/CREATE INDEX IF NOT EXISTS (\w+)/.exec(index)![1]}`);
  }

  /** Builds the secondary indexes and sets the checkpoint: a replay folded every stream up to `position`. */
  endReplay(position: number): void {
    this.buildIndexes();
    this.stmt.saveCheckpoint.run(position);
    this.checkpoint = position;
  }

  revisionOf(proposalId: string): number {
    return this.load(proposalId).revision;
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
    this.db.transaction(() => this.tables.forEach((t) => this.db.exec(`DELETE FROM ${t}`)))();
    this.states.clear();
    this.checkpoint = 0;
    this.writtenSinceReset = new Set();
  }

  /** Every row of every read table (kept states aside), for comparing a rebuild with the live read model. */
  snapshot(): Record<string, unknown[]> {
    return Object.fromEntries(this.tables.filter((t) => t !== 'rm_checkpoint' && t !== 'rm_states').map((t) => [t, this.db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all()]));
  }

  close(): void {
    this.db.close();
  }

  private load(id: string): Held {
    const cached = this.states.get(id);
    if (cached) return cached;
    if (this.writtenSinceReset && !this.writtenSinceReset.has(id)) return NONE;
    const row = this.stmt.getState.get(id);
    if (!row) return NONE;
    return { state: row.state === null ? undefined : (JSON.parse(row.state) as ProposalState), revision: row.revision };
  }

  private remember(id: string, entry: { state: ProposalState; revision: number }): void {
    this.states.delete(id);
    if (this.states.size >= 5_000) this.states.delete(this.states.keys().next().value as string);
    this.states.set(id, entry);
  }

  private write(id: string, state: ProposalState, revision: number): void {
    if (!this.writtenSinceReset || this.writtenSinceReset.has(id)) for (const remove of this.stmt.deletes) remove.run(id);
    this.writtenSinceReset?.add(id);
    this.stmt.putState.run(id, revision, this.keepStates ? JSON.stringify(state) : null);
    if (state.status === 'empty') return;
    for (const write of this.writers) write(id, state, revision);
  }
}
