import { proposalStreamId } from '@banli/domain';
import type { StoredEvent } from '@banli/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assigned, ITEM } from '../../../domain/src/testing/lifecycle.fixture';
import { ITEMS_PROJECTION } from '../../../assignment/src/sqlite/items.projection';
import { listItems } from '../../../assignment/src/sqlite/items.queries';
import { FIGURES_PROJECTION } from '../../../feedback/src/sqlite/figures.projection';
import { DEADLINES_PROJECTION } from '../../../supervision/src/sqlite/deadlines.projection';
import Database from 'better-sqlite3';
import { MissingEventsError, ProposalReadModel, READ_MODEL_VERSION } from './read-model.sqlite';

/** The standalone service's projections: every feature's rows. */
const projections = [ITEMS_PROJECTION, DEADLINES_PROJECTION, FIGURES_PROJECTION];

describe('ProposalReadModel applying events', () => {
  const dir = mkdtempSync(join(tmpdir(), 'banli-rm-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The events of a real assigned item, as the store would hold them. */
  function storedEvents(): StoredEvent[] {
    return assigned().events.map((e, i) => ({
      streamId: proposalStreamId(ITEM.proposalId),
      revision: i,
      position: 100 + i,
      eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      type: e.type,
      schemaVersion: e.schemaVersion,
      data: e.data,
      occurredAt: e.metadata.occurredAt,
      recordedAt: e.metadata.occurredAt,
      hash: 'f'.repeat(64),
    }));
  }

  it('skips repeats, whatever order and however often they come', () => {
    const model = new ProposalReadModel(join(dir, 'repeats.db'), { projections });
    const events = storedEvents();
    model.apply(events.slice(0, 3));
    model.apply([...events.slice(1, 3), ...events.slice(3)]);
    model.apply(events);
    expect(model.revisionOf(ITEM.proposalId)).toBe(events.length - 1);
    expect(model.position()).toBe(100 + events.length - 1);
    expect(listItems(model.database, { page: 1, pageSize: 10 }, new Date('2025-03-11T00:00:00Z')).items[0]).toMatchObject({ id: ITEM.proposalId, status: 'assigned', revision: events.length - 1 });
    model.close();
  });

  it('starts over when it was kept by another version of the read model, so the store is replayed into today’s shape', () => {
    const file = join(dir, 'older.db');
    const model = new ProposalReadModel(file, { projections });
    model.apply(storedEvents());
    model.close();
    const older = new Database(file);
    older.prepare("UPDATE rm_meta SET value = ? WHERE key = 'shape'").run(`states:${READ_MODEL_VERSION - 1} items:1 deadlines:1 figures:1`);
    older.close();
    const reopened = new ProposalReadModel(file, { projections });
    expect(reopened.position()).toBe(0);
    expect(reopened.revisionOf(ITEM.proposalId)).toBe(-1);
    reopened.close();
    const again = new ProposalReadModel(file, { projections }); // the same version: kept
    expect(again.position()).toBe(0);
    again.apply(storedEvents());
    again.close();
    expect(new ProposalReadModel(file, { projections }).revisionOf(ITEM.proposalId)).toBe(storedEvents().length - 1);
  });

  it('keeps no folded states when told not to (a replay); a live event then needs the item’s stream from revision 0', () => {
    const file = join(dir, 'replayed.db');
    const events = storedEvents();
    const replayed = new ProposalReadModel(file, { keepStates: false, projections });
    replayed.apply(events.slice(0, -1));
    replayed.close();
    const raw = new Database(file);
    expect(raw.prepare('SELECT count(state) AS n FROM rm_states').get()).toEqual({ n: 0 }); // revisions only, no folded state
    raw.close();

    const live = new ProposalReadModel(file, { projections });
    const last = events.at(-1)!;
    expect(live.revisionOf(ITEM.proposalId)).toBe(events.length - 2);
    expect(() => live.apply([last])).toThrow(expect.objectContaining({ name: 'MissingEventsError', fromRevision: 0 }));
    expect(live.gaps([last, ...events.slice(2)])).toEqual([expect.objectContaining({ streamId: proposalStreamId(ITEM.proposalId), fromRevision: 0 })]);
    expect(live.gaps(events.slice(0, 3))).toEqual([]); // repeats need nothing
    live.fill(events);
    expect(live.position()).toBe(100 + events.length - 2); // a fill does not move the checkpoint
    live.apply([last]);
    expect(live.position()).toBe(100 + events.length - 1);
    expect(live.revisionOf(ITEM.proposalId)).toBe(events.length - 1);

    const applied = new ProposalReadModel(join(dir, 'applied.db'), { projections });
    applied.apply(events);
    expect(live.snapshot()).toEqual(applied.snapshot());
    applied.close();
    live.close();
    const kept = new Database(file);
    expect(kept.prepare('SELECT revision FROM rm_states WHERE state IS NOT NULL').get()).toEqual({ revision: events.length - 1 }); // kept from then on
    kept.close();
  });

  it('does not take an item back when its first event comes again and its folded state is not kept', () => {
    const file = join(dir, 'stale.db');
    const events = storedEvents();
    const replayed = new ProposalReadModel(file, { keepStates: false, projections });
    replayed.apply(events);
    const before = replayed.snapshot();
    replayed.close();
    const live = new ProposalReadModel(file, { projections });
    live.apply([events[0]]);
    live.apply(events.slice(1, 3));
    expect(live.revisionOf(ITEM.proposalId)).toBe(events.length - 1);
    expect(live.snapshot()).toEqual(before);
    live.close();
  });

  it('refuses an event that skips revisions, naming where the gap starts, and applies nothing of the batch', () => {
    const model = new ProposalReadModel(join(dir, 'gap.db'), { projections });
    const events = storedEvents();
    model.apply(events.slice(0, 2));
    expect(() => model.apply([events[4]])).toThrow(MissingEventsError);
    try {
      model.apply([events[4]]);
    } catch (error) {
      expect(error).toMatchObject({ streamId: proposalStreamId(ITEM.proposalId), fromRevision: 2 });
    }
    expect(model.revisionOf(ITEM.proposalId)).toBe(1);
    model.close();
  });
});
