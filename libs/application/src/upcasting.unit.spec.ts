import { type Actor, builtInRuleSets, ChineseDaysCalendar, command, decideStep, DomainError, fold, handlingOf, readPolicy } from '@banli/domain';
import { SqliteEventStore, type StoredEvent } from '@banli/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openerFor, proposalView } from './proposal.view';
import { toRecorded } from './recorded';
import { PersonalDataVault } from './sqlite/personal-data.vault';
import v1Stream from './testing/cq-2025-0026.v1-stream.json';

const OFFICE: Actor = { id: 'clerk-1', roles: ['office'] };

/**
 * An item recorded by Banli before ReplyDrafted v2: the stream exactly as that version stored it
 * (ids, recordedAt and hashes included), written by its own code into this fixture.
 */
describe('old events still load', () => {
  const recorded = v1Stream as StoredEvent[];

  it('the fixture holds the old form', () => {
    const drafted = recorded.find((e) => e.type === 'ReplyDrafted')!;
    expect(drafted.schemaVersion).toBe(1);
    expect(drafted.data).toMatchObject({ contactPerson: '张老师', contactPhone: '023-63862000' });
  });

  it('written again through today’s store, every hash comes out as the old version computed it', async () => {
    let i = 0;
    const store = new SqliteEventStore({ file: ':memory:', clock: () => new Date(recorded[i].recordedAt) });
    for (; i < recorded.length; i++) {
      const { eventId, type, schemaVersion, data, occurredAt, actor } = recorded[i];
      await store.append(recorded[i].streamId, [{ eventId, type, schemaVersion, data, occurredAt, ...(actor ? { actor } : {}) }], i === 0 ? 'no-stream' : i - 1);
    }
    const again = await store.readStream(recorded[0].streamId);
    expect(again.map((e) => e.hash)).toEqual(recorded.map((e) => e.hash));
    expect(await store.verify(recorded[0].streamId)).toEqual({ ok: true, checked: recorded.length });
    await store.close();
  });

  it('folds through the upcasters into today’s state, and the API shows the reply as before; an erasure reaches its clear contact too', () => {
    const state = fold(recorded.map(toRecorded));
    expect(state.status).toBe('replied');
    expect(handlingOf(state)!.tracks['u-edu'].draft).toMatchObject({ contact: { name: '张老师', phone: '023-63862000' } });
    const dir = mkdtempSync(join(tmpdir(), 'banli-upcast-'));
    const vault = new PersonalDataVault(join(dir, 'personal-data.db'));
    try {
      const policy = readPolicy(OFFICE, state);
      const view = () => proposalView('cq-2025-0026', state, recorded.length - 1, new Date('2025-06-01T00:00:00Z'), policy, openerFor(vault, policy));
      expect(view().replies[0].draft).toMatchObject({ contactPerson: '张老师', contactPhone: '023-63862000', documentNumber: '渝教议函〔2025〕49号' });
      // Recorded in the clear before contacts were sealed: the events cannot change, the read path can.
      vault.erase('reply-contact:cq-2025-0026:u-edu', new Date('2025-06-01T00:00:00Z'));
      expect(view().replies[0].draft).toMatchObject({ contactPerson: null, contactPhone: null, documentNumber: '渝教议函〔2025〕49号' });
    } finally {
      vault.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('decides under the rule set it was assigned under (cq-npc-2017 version 1), whatever the shipped version is now', () => {
    const state = fold(recorded.map(toRecorded));
    expect(handlingOf(state)!.ruleSet).toMatchObject({ id: 'cq-npc-2017', version: 1, evaluation: { counts: 'every-proposer' } });
    expect(builtInRuleSets().get('cq-npc-2017')).toMatchObject({ version: 3, evaluation: { counts: 'lead-only' } });
    // Its deadlines keep the due dates they were given: first contact from assignment, the reply three months on.
    expect(state.status !== 'empty' && state.deadlines['first-contact:u-edu:1'].dueDate).toBe('2025-04-08');
    expect(state.status !== 'empty' && state.deadlines['reply:u-edu:1'].dueDate).toBe('2025-06-10');
    const services = { now: '2025-05-26T02:00:00.000Z', calendar: new ChineseDaysCalendar(), ruleSets: builtInRuleSets(), defaultRuleSet: 'cq-npc-2017' };
    const decided = (type: Parameters<typeof command>[0], data: object, actor: Actor) => decideStep(state, { command: command(type, data as never), actor }, services).events;
    // Version 1 counted every proposer's rating: the co-signer's still counts on this item (version 3 has the lead deputy rate).
    expect(decided('EvaluateReply', { satisfaction: 'satisfied' }, { id: 'dep-li', roles: ['proposer'] })[0].data).toMatchObject({ counted: true });
    // Version 1 knew no commitment receipt (第二十八条) and no complex period (第二十一条).
    const handler: Actor = { id: 'h', unit: 'u-edu', roles: ['handler'] };
    expect(decided('FulfilCommitment', { commitmentId: 'u-edu-r1-c1', note: '已建成' }, handler).map((e) => e.type)).toEqual(['CommitmentFulfilled', 'DeadlineMet']);
    expect(() => decided('DeclareComplex', { reason: '复杂' }, OFFICE)).toThrow(expect.objectContaining({ code: 'COMPLEX_NOT_PROVIDED' }) as unknown as DomainError);
  });
});
