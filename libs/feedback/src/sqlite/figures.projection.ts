import { evaluationComplete, handlingOf, publicVersion, ratingsInFigures, type Satisfaction } from '@banli/domain';
import type { ItemProjection } from '@banli/read-model';

/**
 * What the figures are counted from: per item and unit, whether it was replying, replied, on time,
 * contacted the proposers, was rated (and how); and the public replies, as published.
 */
export const FIGURES_PROJECTION: ItemProjection = {
  name: 'figures',
  version: 2,
  module: __filename,
  exportName: 'FIGURES_PROJECTION',
  tables: {
    rm_unit_items: `CREATE TABLE IF NOT EXISTS rm_unit_items (
      proposal_id TEXT NOT NULL, unit_id TEXT NOT NULL, session TEXT NOT NULL, role TEXT NOT NULL, replying INTEGER NOT NULL,
      replied INTEGER NOT NULL, replied_on_time INTEGER NOT NULL, contacted INTEGER NOT NULL, evaluated INTEGER NOT NULL,
      satisfaction TEXT, result_class TEXT, PRIMARY KEY (proposal_id, unit_id)) WITHOUT ROWID`,
    rm_public_replies: `CREATE TABLE IF NOT EXISTS rm_public_replies (
      proposal_id TEXT NOT NULL, unit_id TEXT NOT NULL, round INTEGER NOT NULL, kind TEXT NOT NULL, session TEXT NOT NULL, number TEXT NOT NULL,
      title TEXT NOT NULL, document_number TEXT NOT NULL, result_class TEXT NOT NULL, body TEXT NOT NULL, dispatched_at TEXT NOT NULL,
      PRIMARY KEY (proposal_id, unit_id)) WITHOUT ROWID`,
  },
  writer(db) {
    const unitItem = db.prepare(
      'INSERT INTO rm_unit_items (proposal_id, unit_id, session, role, replying, replied, replied_on_time, contacted, evaluated, satisfaction, result_class) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const publicReply = db.prepare(
      'INSERT INTO rm_public_replies (proposal_id, unit_id, round, kind, session, number, title, document_number, result_class, body, dispatched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    return (id, state) => {
      const handling = handlingOf(state);
      if (!handling || state.status === 'withdrawn') return;
      for (const u of handling.units) {
        const track = handling.tracks[u.unitId];
        const replied = track?.stage === 'dispatched';
        const replyDeadline = Object.values(state.deadlines).find((d) => (d.kind === 'reply' || d.kind === 'rehandling-reply') && d.unitId === u.unitId && d.state === 'met' && d.metAt === track?.dispatchedAt);
        const counted = track ? ratingsInFigures(state, handling, track) : [];
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
    };
  },
};

function worst(ratings: Satisfaction[]): Satisfaction {
  if (ratings.includes('unsatisfied')) return 'unsatisfied';
  return ratings.includes('basically-satisfied') ? 'basically-satisfied' : 'satisfied';
}

/** What the feedback service keeps of each item. */
export const FEEDBACK_PROJECTIONS: readonly ItemProjection[] = [FIGURES_PROJECTION];
