import { DRAFT, dispatched, LEAD } from '../testing/lifecycle.fixture';
import { EVENT_SCHEMA_VERSIONS, PROPOSAL_EVENT_TYPES, type RecordedProposalEvent } from './proposal.events';
import { evolve } from './proposal.evolve';
import { handlingOf } from './proposal.state';
import { UnknownSchemaVersionError, upcast, UPCASTERS } from './upcasters';

describe('upcasters', () => {
  it('cover every step from v1 to the current version of every event type', () => {
    for (const type of PROPOSAL_EVENT_TYPES) {
      for (let from = 1; from < EVENT_SCHEMA_VERSIONS[type]; from++) expect(UPCASTERS.filter((u) => u.type === type && u.from === from)).toHaveLength(1);
    }
    for (const u of UPCASTERS) expect(u.from).toBeLessThan(EVENT_SCHEMA_VERSIONS[u.type]);
  });

  it('bring a v1 ReplyDrafted to v2: the contact person’s name and phone together', () => {
    const v1 = { unitId: 'u-edu', round: 1, documentNumber: 'd', resultClass: 'B', body: 'b', contactPerson: '张老师', contactPhone: '023-63862000', cc: [], disclose: true, commitments: [] };
    expect(upcast('ReplyDrafted', 1, v1)).toEqual({
      schemaVersion: 2,
      data: { unitId: 'u-edu', round: 1, documentNumber: 'd', resultClass: 'B', body: 'b', contact: { name: '张老师', phone: '023-63862000' }, cc: [], disclose: true, commitments: [] },
    });
    expect(v1).toHaveProperty('contactPerson'); // the stored form is not touched
  });

  it('bring a v1 ReplyPublished to v2: what it published is the body, redacted as it is read', () => {
    expect(upcast('ReplyPublished', 1, { unitId: 'u-edu', round: 1 })).toEqual({ schemaVersion: 2, data: { unitId: 'u-edu', round: 1, edited: false } });
    const story = dispatched();
    const withContact = { ...story.state, handling: { ...handlingOf(story.state)!, tracks: { [LEAD]: { ...handlingOf(story.state)!.tracks[LEAD], draft: { ...handlingOf(story.state)!.tracks[LEAD].draft!, body: `${DRAFT.body}联系电话：023-63862000` } } } } };
    const v1 = { type: 'ReplyPublished', ...upcast('ReplyPublished', 1, { unitId: LEAD, round: 1 }), metadata: { occurredAt: '2025-05-23T01:00:00.000Z' } } as RecordedProposalEvent;
    expect(handlingOf(evolve(withContact as typeof story.state, v1))!.tracks[LEAD]).toMatchObject({ published: true, publicText: `${DRAFT.body}联系电话：[已删除]` });
  });

  it('pass current events and other streams’ events through, and refuse a version no chain reaches', () => {
    const data = { unitId: 'u-edu' };
    expect(upcast('ReplySigned', 1, data)).toEqual({ schemaVersion: 1, data });
    expect(upcast('UnitRegistered', 7, data)).toEqual({ schemaVersion: 7, data });
    expect(() => upcast('ReplyDrafted', 3, data)).toThrow(UnknownSchemaVersionError);
    expect(() => upcast('ReplyDrafted', 0, data)).toThrow(/ReplyDrafted v0 cannot be read/);
  });
});
