import type { Actor } from '../shared/actor';
import { DomainError } from '../shared/domain-error';
import { actors } from '../testing/decider-spec';
import { assigned, CO, dispatched, drafted, ITEM, LEAD, submitted } from '../testing/lifecycle.fixture';
import {
  assertMayRead,
  assertMayReadAsOf,
  listScope,
  mayReceiveNotice,
  noticeScope,
  readPolicy,
  SUPERVISION_NOTICE_TYPES,
  withheldFields,
} from './read.policy';

const ID = ITEM.proposalId;
const proposerPhone = (id: string) => `proposer:${id}`;
const contact = `reply-contact:${ID}:${LEAD}`;
const admin: Actor = { id: 'ops', roles: ['admin'] };
const nobody: Actor = { id: 'x', roles: [] };

describe('the read policy: who sees what of an item', () => {
  const state = drafted().state; // lead u-edu has a draft; both co-units sent their opinions

  it.each([
    ['the office', actors.office, true, true],
    ['a supervisor', actors.supervisor('u-gov-office'), true, true],
    ['an auditor', actors.auditor, true, true],
    ['an admin', admin, true, true],
    ['the lead unit’s handler', actors.handler(LEAD), true, true],
    ['the lead unit’s signer', actors.signer(LEAD), true, true],
    ['a co-unit’s handler', actors.handler(CO[0]), true, true],
    ['a named proposer', actors.proposer('dep-tan'), true, false],
    ['another unit’s handler', actors.handler('u-other'), false, false],
    ['a proposer not named', actors.proposer('dep-x'), false, false],
    ['a token with no roles', nobody, false, false],
  ])('%s: item %s, history %s', (_who, actor, item, history) => {
    const policy = readPolicy(actor, state);
    expect([policy.item.allowed, policy.history.allowed]).toEqual([item, history]);
  });

  it('opens personal data only for those who need it', () => {
    const opens = (actor: Actor) => [proposerPhone('dep-tan'), proposerPhone('dep-li'), contact].filter((s) => readPolicy(actor, state).personalData(s));
    expect(opens(actors.office)).toEqual([proposerPhone('dep-tan'), proposerPhone('dep-li'), contact]);
    expect(opens(actors.handler(LEAD))).toEqual([proposerPhone('dep-tan'), proposerPhone('dep-li'), contact]); // it contacts them
    expect(opens(actors.signer(LEAD))).toEqual([proposerPhone('dep-tan'), proposerPhone('dep-li'), contact]);
    expect(opens(actors.supervisor('u-gov-office'))).toEqual([contact]); // reviews the letter
    expect(opens(actors.handler(CO[0]))).toEqual([]);
    expect(opens(actors.auditor)).toEqual([]);
    expect(opens(admin)).toEqual([]);
    expect(opens(actors.proposer('dep-li'))).toEqual([proposerPhone('dep-li')]); // their own, and the letter's contact once dispatched
    expect(readPolicy(actors.proposer('dep-li'), dispatched().state).personalData(contact)).toBe(true);
    expect(readPolicy(actors.handler(LEAD), state).personalData(`reply-contact:other-item:${LEAD}`)).toBe(false);
  });

  it('shows drafts to the replying unit and the overseers; co-units and proposers see replies once dispatched', () => {
    expect(readPolicy(actors.handler(LEAD), state).reply(LEAD)).toBe('drafts');
    expect(readPolicy(actors.supervisor('u-gov-office'), state).reply(LEAD)).toBe('drafts');
    expect(readPolicy(actors.auditor, state).reply(LEAD)).toBe('drafts');
    expect(readPolicy(actors.handler(CO[0]), state).reply(LEAD)).toBe('dispatched');
    expect(readPolicy(actors.proposer('dep-tan'), state).reply(LEAD)).toBe('dispatched');
    expect(readPolicy(actors.handler('u-other'), state).reply(LEAD)).toBe('none');
  });

  it('shows co-opinions to the lead unit and the overseers, a co-unit its own, a proposer none', () => {
    const sees = (actor: Actor) => CO.filter((u) => readPolicy(actor, state).coOpinion(u));
    expect(sees(actors.handler(LEAD))).toEqual(CO);
    expect(sees(actors.office)).toEqual(CO);
    expect(sees(actors.handler(CO[0]))).toEqual([CO[0]]);
    expect(sees(actors.proposer('dep-tan'))).toEqual([]);
  });

  it('shows a proposer their own rating and none of the working records', () => {
    const policy = readPolicy(actors.proposer('dep-tan'), state);
    expect([policy.evaluation('dep-tan'), policy.evaluation('dep-li'), policy.workingRecords]).toEqual([true, false, false]);
    expect(readPolicy(actors.handler(LEAD), state).workingRecords).toBe(true);
  });

  it('withholds from an event what the reader may not see of it', () => {
    const coUnit = readPolicy(actors.handler(CO[0]), state);
    expect(withheldFields(coUnit, 'CoOpinionSubmitted', { unitId: CO[1], leadUnit: LEAD, content: 'c' })).toEqual(['content']);
    expect(withheldFields(coUnit, 'CoOpinionSubmitted', { unitId: CO[0], leadUnit: LEAD, content: 'c' })).toEqual([]);
    expect(withheldFields(coUnit, 'ReplyDrafted', { unitId: LEAD })).toContain('body');
    expect(withheldFields(readPolicy(actors.handler(LEAD), state), 'ReplyDrafted', { unitId: LEAD })).toEqual([]);
  });

  it('refuses reading with FORBIDDEN, and as-of views to those who may not read the item now', () => {
    expect(() => assertMayRead(actors.handler('u-other'), state)).toThrow(DomainError);
    expect(() => assertMayRead(actors.proposer('dep-tan'), state, 'history')).toThrow(/history is kept/);
    // u-edu handled the item once; the office moved it to u-other since.
    const before = assigned().state;
    const after = assigned({ leadUnits: ['u-other'] }).state;
    expect(() => assertMayReadAsOf(actors.handler(LEAD), after, before)).toThrow(DomainError);
    // A unit that joined later may see the item as it was, but only its core: it had no standing then.
    const past = assertMayReadAsOf(actors.handler('u-other'), after, submitted().state);
    expect([past.item.allowed, past.personalData(proposerPhone('dep-tan')), past.reply(LEAD), past.workingRecords]).toEqual([true, false, 'none', false]);
    // A lead unit made a co-unit since sees of the past only what it may see now.
    const demoted = assigned({ leadUnits: ['u-other'], coUnits: [LEAD] }).state;
    const then = drafted().state;
    expect(readPolicy(actors.handler(LEAD), then).personalData(proposerPhone('dep-tan'))).toBe(true);
    const asOf = assertMayReadAsOf(actors.handler(LEAD), demoted, then);
    expect([asOf.item.allowed, asOf.personalData(proposerPhone('dep-tan')), asOf.personalData(contact), asOf.reply(LEAD)]).toEqual([true, false, false, 'dispatched']);
  });

  it('scopes lists: everything for the office and overseers, a unit’s items, a proposer’s own', () => {
    expect(listScope(actors.office)).toEqual({});
    expect(listScope(actors.auditor)).toEqual({});
    expect(listScope(actors.handler(LEAD))).toEqual({ unit: LEAD });
    expect(listScope(actors.proposer('dep-tan'))).toEqual({ proposerId: 'dep-tan' });
    expect(() => listScope(nobody)).toThrow(DomainError);
  });

  it('lets only deadline notices and urging reach the stream, a unit’s handlers only their unit’s', () => {
    expect(SUPERVISION_NOTICE_TYPES).toEqual(['DeadlineApproaching', 'DeadlineBreached', 'Urged', 'Escalated', 'DeadlineMet', 'DeadlineExtended']);
    for (const type of ['ProposalSubmitted', 'ReplyDrafted', 'ProposerContacted', 'CoOpinionSubmitted', 'DeadlineSet']) {
      expect(mayReceiveNotice(actors.office, type, LEAD)).toBe(false);
    }
    expect(mayReceiveNotice(actors.supervisor('u-gov-office'), 'DeadlineBreached', LEAD)).toBe(true);
    expect(mayReceiveNotice(actors.handler(LEAD), 'Urged', LEAD)).toBe(true);
    expect(mayReceiveNotice(actors.handler(LEAD), 'Urged', CO[0])).toBe(false);
    expect(mayReceiveNotice(actors.handler(LEAD), 'Urged', undefined)).toBe(false);
    expect(noticeScope(actors.proposer('dep-tan')).allowed).toBe(false);
    expect(noticeScope(actors.auditor).allowed).toBe(false);
  });

  it('reads nothing of an item that does not exist', () => {
    expect(readPolicy(actors.office, { status: 'empty' }).item.allowed).toBe(false);
  });
});
