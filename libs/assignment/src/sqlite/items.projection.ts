import { awaitingOf, earliestOwedDue, earliestOwedWarning, handlingOf, itemRating } from '@banli/domain';
import type { ItemProjection } from '@banli/read-model';

/**
 * The item listing: one row per item with what a list shows and filters on, its units and its
 * proposers (for the callers' scopes), and the earliest instant a step it owes falls due (overdue from then).
 */
export const ITEMS_PROJECTION: ItemProjection = {
  name: 'items',
  version: 2,
  module: __filename,
  exportName: 'ITEMS_PROJECTION',
  tables: {
    rm_proposals: `CREATE TABLE IF NOT EXISTS rm_proposals (
      proposal_id TEXT PRIMARY KEY, kind TEXT NOT NULL, session TEXT NOT NULL, number TEXT NOT NULL, title TEXT NOT NULL,
      status TEXT NOT NULL, revision INTEGER NOT NULL, submitted_at TEXT NOT NULL, units TEXT NOT NULL, owed_due_at TEXT,
      owed_warn_at TEXT, rating TEXT, number_key TEXT NOT NULL) WITHOUT ROWID`,
    // Per unit, what the item waits for from it (the domain's awaitingOf, as `,signature,review,`); per proposer, whether a counted rating is still to come.
    rm_item_units: `CREATE TABLE IF NOT EXISTS rm_item_units (proposal_id TEXT NOT NULL, unit_id TEXT NOT NULL, role TEXT NOT NULL,
      awaiting TEXT NOT NULL, PRIMARY KEY (proposal_id, unit_id)) WITHOUT ROWID`,
    rm_item_proposers: `CREATE TABLE IF NOT EXISTS rm_item_proposers (proposal_id TEXT NOT NULL, proposer_id TEXT NOT NULL, awaiting_rating INTEGER NOT NULL,
      PRIMARY KEY (proposal_id, proposer_id)) WITHOUT ROWID`,
  },
  indexes: [
    'CREATE INDEX IF NOT EXISTS rm_item_units_unit ON rm_item_units (unit_id)',
    'CREATE INDEX IF NOT EXISTS rm_item_proposers_proposer ON rm_item_proposers (proposer_id)',
    'CREATE INDEX IF NOT EXISTS rm_proposals_submitted ON rm_proposals (submitted_at DESC, proposal_id)',
    'CREATE INDEX IF NOT EXISTS rm_proposals_session_number ON rm_proposals (session, number_key, number)',
    'CREATE INDEX IF NOT EXISTS rm_proposals_status ON rm_proposals (status, submitted_at DESC)',
    'CREATE INDEX IF NOT EXISTS rm_proposals_owed_due ON rm_proposals (owed_due_at)',
  ],
  writer(db) {
    const proposal = db.prepare('INSERT INTO rm_proposals (proposal_id, kind, session, number, title, status, revision, submitted_at, units, owed_due_at, owed_warn_at, rating, number_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const unit = db.prepare('INSERT INTO rm_item_units (proposal_id, unit_id, role, awaiting) VALUES (?, ?, ?, ?)');
    const proposer = db.prepare('INSERT OR IGNORE INTO rm_item_proposers (proposal_id, proposer_id, awaiting_rating) VALUES (?, ?, ?)');
    return (id, state, revision) => {
      const units = handlingOf(state)?.units ?? [];
      const listed = JSON.stringify(units.map((u) => ({ unitId: u.unitId, role: u.role })));
      proposal.run(id, state.kind, state.session, state.number, state.title, state.status, revision, state.submittedAt, listed, earliestOwedDue(state) ?? null, earliestOwedWarning(state) ?? null, itemRating(state) ?? null, numberKey(state.number));
      const awaiting = awaitingOf(state);
      for (const u of units) unit.run(id, u.unitId, u.role, `,${(awaiting.units[u.unitId] ?? []).join(',')},`);
      for (const p of state.proposers) proposer.run(id, p.id, awaiting.raters.includes(p.id) ? 1 : 0);
    };
  },
};

/** An item's number as it sorts: its first run of digits, zero-padded (第〔15〕号 after 第〔2〕号, 0026 after 10), the number itself where it has none. */
export function numberKey(number: string): string {
  const digits = /\d+/.exec(number);
  return digits ? digits[0].replace(/^0+(?=\d)/, '').padStart(12, '0') : number;
}

/** What the assignment service keeps of each item. */
export const ASSIGNMENT_PROJECTIONS: readonly ItemProjection[] = [ITEMS_PROJECTION];
