import { DomainError } from '../shared/domain-error';
import { command } from '../proposal/proposal.commands';
import { assigned, DRAFT, ITEM, LEAD } from '../testing/lifecycle.fixture';
import {
  looksSealed,
  personalDataOfCommand,
  personalDataOfEvent,
  refuseSealedValues,
  replaceAt,
  sealedOutsidePersonalData,
} from './personal-data';

const SEALED = 'pii:v1:0123456789abcdef:QUJDREVGRw';

describe('personal data, by path', () => {
  it('names the personal fields of the events that hold them, in every schema version', () => {
    expect(personalDataOfEvent('i', 'ProposalSubmitted', 1, { proposers: [{ id: 'a', name: 'A', lead: true, phone: 'x' }, { id: 'b', name: 'B', lead: false }] })).toEqual([
      { field: 'proposer-phone', subject: 'proposer:a', path: ['proposers', 0, 'phone'], value: 'x' },
    ]);
    expect(personalDataOfEvent('i', 'ReplyDrafted', 2, { unitId: 'u', contact: { name: 'n', phone: 'p' } }).map((v) => [v.field, v.subject, v.path.join('.')])).toEqual([
      ['contact-name', 'reply-contact:i:u', 'contact.name'],
      ['contact-phone', 'reply-contact:i:u', 'contact.phone'],
    ]);
    expect(personalDataOfEvent('i', 'ReplyDrafted', 1, { unitId: 'u', contactPerson: 'n', contactPhone: 'p' }).map((v) => v.path.join('.'))).toEqual(['contactPerson', 'contactPhone']);
    expect(personalDataOfEvent('i', 'ProposerContacted', 1, { unitId: 'u', summary: SEALED })).toEqual([]);
  });

  it('names a command’s personal values with the person they belong to on the item', () => {
    const state = assigned({ mode: 'joint', leadUnits: [LEAD, 'u-b'], coUnits: [] }).state;
    // In a joint reply the second lead unit drafts the one reply, which is the first lead unit's track.
    expect(personalDataOfCommand(ITEM.proposalId, command('DraftReply', { ...DRAFT, unitId: 'u-b' }), state).map((v) => v.subject)).toEqual([
      `reply-contact:${ITEM.proposalId}:${LEAD}`,
      `reply-contact:${ITEM.proposalId}:${LEAD}`,
    ]);
    expect(personalDataOfCommand('i', command('SubmitProposal', { ...ITEM, proposers: [{ id: 'a', name: 'A', lead: true, phone: '1' }] }), { status: 'empty' })).toHaveLength(1);
  });

  it('refuses input carrying a sealed-looking value anywhere, and says where', () => {
    expect(looksSealed(`see ${SEALED}`)).toBe(true);
    expect(looksSealed('PII:V1:x')).toBe(true);
    expect(looksSealed('pii:pending:1')).toBe(true);
    expect(looksSealed('13812345678')).toBe(false);
    const attempt = () => refuseSealedValues({ unitId: 'u', summary: 'ok', nested: [{ note: `电话 ${SEALED}` }] });
    expect(attempt).toThrow(DomainError);
    expect(attempt).toThrow(/nested\[0\]\.note/);
    expect(() => refuseSealedValues({ summary: '登门听取意见' })).not.toThrow();
  });

  it('finds a sealed value out of its place in an event, and accepts it in its place', () => {
    expect(sealedOutsidePersonalData('i', 'ProposalSubmitted', 1, { proposers: [{ id: 'a', phone: SEALED }], title: 't' })).toBeUndefined();
    expect(sealedOutsidePersonalData('i', 'ProposalSubmitted', 1, { proposers: [{ id: 'a', name: SEALED }] })).toBe('proposers[0].name');
    expect(sealedOutsidePersonalData('i', 'ProposerContacted', 1, { summary: SEALED })).toBe('summary');
  });

  it('replaces or removes a value at a path without touching the original', () => {
    const data = { proposers: [{ id: 'a', phone: 'x' }] };
    expect(replaceAt(data, ['proposers', 0, 'phone'], 'y')).toEqual({ proposers: [{ id: 'a', phone: 'y' }] });
    expect(replaceAt(data, ['proposers', 0, 'phone'], undefined, true)).toEqual({ proposers: [{ id: 'a' }] });
    expect(data).toEqual({ proposers: [{ id: 'a', phone: 'x' }] });
  });
});
