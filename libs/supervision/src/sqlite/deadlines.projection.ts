import { handlingOf } from '@banli/domain';
import type { ItemProjection } from '@banli/read-model';

/**
 * The deadline board: every deadline of every item with its state, and per item its title, number and
 * session and the units it is assigned to now (whom its notices concern).
 */
export const DEADLINES_PROJECTION: ItemProjection = {
  name: 'deadlines',
  version: 1,
  module: __filename,
  exportName: 'DEADLINES_PROJECTION',
  tables: {
    rm_deadlines: `CREATE TABLE IF NOT EXISTS rm_deadlines (
      proposal_id TEXT NOT NULL, deadline_id TEXT NOT NULL, kind TEXT NOT NULL, unit_id TEXT, due_date TEXT NOT NULL, due_at TEXT NOT NULL,
      state TEXT NOT NULL, met_at TEXT, on_time INTEGER, breached_at TEXT, PRIMARY KEY (proposal_id, deadline_id)) WITHOUT ROWID`,
    rm_deadline_items: 'CREATE TABLE IF NOT EXISTS rm_deadline_items (proposal_id TEXT PRIMARY KEY, title TEXT NOT NULL, number TEXT NOT NULL, session TEXT NOT NULL, units TEXT NOT NULL) WITHOUT ROWID',
  },
  indexes: ['CREATE INDEX IF NOT EXISTS rm_deadlines_due ON rm_deadlines (state, due_at)'],
  writer(db) {
    const deadline = db.prepare('INSERT INTO rm_deadlines (proposal_id, deadline_id, kind, unit_id, due_date, due_at, state, met_at, on_time, breached_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const item = db.prepare('INSERT INTO rm_deadline_items (proposal_id, title, number, session, units) VALUES (?, ?, ?, ?, ?)');
    return (id, state) => {
      item.run(id, state.title, state.number, state.session, JSON.stringify((handlingOf(state)?.units ?? []).map((u) => u.unitId)));
      for (const d of Object.values(state.deadlines)) {
        deadline.run(id, d.id, d.kind, d.unitId ?? null, d.dueDate, d.dueAt, d.state, d.metAt ?? null, d.onTime === undefined ? null : d.onTime ? 1 : 0, d.breachedAt ?? null);
      }
    };
  },
};

export const SUPERVISION_PROJECTIONS: readonly ItemProjection[] = [DEADLINES_PROJECTION];
