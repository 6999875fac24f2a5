import { handlingOf } from '@banli/domain';
import type { ItemProjection } from '@banli/read-model';

/**
 * The deadline board: every deadline of every item with its state, beside the item's title and number,
 * and the units an item is assigned to now (whom its notices concern).
 */
export const DEADLINES_PROJECTION: ItemProjection = {
  name: 'deadlines',
  version: 1,
  module: __filename,
  exportName: 'DEADLINES_PROJECTION',
  tables: {
    rm_deadlines: `CREATE TABLE IF NOT EXISTS rm_deadlines (
      proposal_id TEXT NOT NULL, deadline_id TEXT NOT NULL, kind TEXT NOT NULL, unit_id TEXT, due_date TEXT NOT NULL, due_at TEXT NOT NULL,
      state TEXT NOT NULL, met_at TEXT, on_time INTEGER, breached_at TEXT, title TEXT NOT NULL, number TEXT NOT NULL, session TEXT NOT NULL,
      PRIMARY KEY (proposal_id, deadline_id)) WITHOUT ROWID`,
    rm_assigned_units: 'CREATE TABLE IF NOT EXISTS rm_assigned_units (proposal_id TEXT NOT NULL, unit_id TEXT NOT NULL, PRIMARY KEY (proposal_id, unit_id)) WITHOUT ROWID',
  },
  indexes: ['CREATE INDEX IF NOT EXISTS rm_deadlines_due ON rm_deadlines (state, due_at)'],
  writer(db) {
    const deadline = db.prepare(
      'INSERT INTO rm_deadlines (proposal_id, deadline_id, kind, unit_id, due_date, due_at, state, met_at, on_time, breached_at, title, number, session) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const unit = db.prepare('INSERT INTO rm_assigned_units (proposal_id, unit_id) VALUES (?, ?)');
    return (id, state) => {
      for (const d of Object.values(state.deadlines)) {
        deadline.run(id, d.id, d.kind, d.unitId ?? null, d.dueDate, d.dueAt, d.state, d.metAt ?? null, d.onTime === undefined ? null : d.onTime ? 1 : 0, d.breachedAt ?? null, state.title, state.number, state.session);
      }
      for (const u of handlingOf(state)?.units ?? []) unit.run(id, u.unitId);
    };
  },
};

/** What the supervision service keeps of each item. */
export const SUPERVISION_PROJECTIONS: readonly ItemProjection[] = [DEADLINES_PROJECTION];
