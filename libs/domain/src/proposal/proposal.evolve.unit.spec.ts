import { actors, sh } from '../testing/decider-spec';
import { assigned, submitted } from '../testing/lifecycle.fixture';
import { command } from './proposal.commands';
import { decide } from './proposal.decider';
import { event, type EventDataByType, type ProposalEvent, type RecordedProposalEvent } from './proposal.events';
import { evolve, fold, UnfoldableEventError } from './proposal.evolve';
import { INITIAL_STATE } from './proposal.state';
import { proposalIdOf, proposalStreamId } from './proposal.stream';

const recorded = (e: ProposalEvent, occurredAt = sh('2025-03-20 09:00')): RecordedProposalEvent => ({ ...e, metadata: { occurredAt } }) as RecordedProposalEvent;

describe('evolve', () => {
  it('folds a recorded stream into the same state the story built', () => {
    const story = assigned();
    expect(fold(story.events)).toEqual(story.state);
    expect(fold([])).toBe(INITIAL_STATE);
  });

  it('tracks the latest step, but not deadline bookkeeping, for back-dating', () => {
    const story = assigned();
    const breach = recorded(event('DeadlineBreached', { deadlineId: 'reply:u-edu:1', dueAt: '2025-06-10T16:00:00.000Z' }), '2025-06-10T16:00:00.000Z');
    const after = evolve(story.state, breach);
    expect(after.status !== 'empty' && after.lastStepAt).toBe(sh('2025-03-10 10:00'));
  });

  it('keeps every field a DeadlineSet carries in its deadline, but the period and the calendar', () => {
    const story = assigned();
    const set = story.events.find((e) => e.type === 'DeadlineSet')!;
    const data = { ...(set.data as object), deadlineId: 'first-contact:u-edu:9', unitId: 'u-edu', commitmentId: 'c-1', warnAt: '2025-03-20T16:00:00.000Z' } as Record<string, unknown>;
    const after = evolve(story.state, { ...set, data } as unknown as RecordedProposalEvent);
    const deadline = after.status === 'empty' ? undefined : (after.deadlines['first-contact:u-edu:9'] as unknown as Record<string, unknown>);
    const { deadlineId, period: _period, calendarId: _calendarId, ...kept } = data;
    expect(data).toHaveProperty('period');
    expect(deadline).toEqual({ ...kept, id: deadlineId, originalDueDate: data.dueDate, state: 'open', escalatedRungs: [], extensions: 0 });
  });

  it('keeps every field a ReplyDrafted carries in the draft, but the unit and the round', () => {
    const data: EventDataByType['ReplyDrafted'] = {
      unitId: 'u-edu',
      round: 1,
      documentNumber: '渝教函〔2025〕1号',
      resultClass: 'A',
      body: '答复正文',
      contact: { name: '张老师', phone: 'pii:v1:0000000000000000:AAAA' },
      cc: ['u-gov'],
      disclose: false,
      commitments: [{ commitmentId: 'c-1', description: '年内完成', dueDate: '2025-12-31' }],
    };
    const after = evolve(assigned().state, recorded(event('ReplyDrafted', data)));
    const track = after.status === 'assigned' ? after.handling.tracks['u-edu'] : undefined;
    const { unitId: _unitId, round: _round, ...draft } = data;
    expect(track).toMatchObject({ round: 1, stage: 'drafted', signatures: [] });
    expect(track?.draft).toEqual(draft);
  });

  it('keeps every field a ReplyEvaluated carries in the evaluation, but the unit, and when it was given', () => {
    const data: EventDataByType['ReplyEvaluated'] = {
      unitId: 'u-edu',
      round: 1,
      proposerId: 'dep-1',
      satisfaction: 'basically-satisfied',
      attitude: 'satisfied',
      result: 'unsatisfied',
      comment: '再议',
      counted: true,
    };
    const after = evolve(assigned().state, recorded(event('ReplyEvaluated', data), sh('2025-06-01 10:00')));
    const track = after.status === 'assigned' ? after.handling.tracks['u-edu'] : undefined;
    const { unitId: _unitId, ...evaluation } = data;
    expect(track?.evaluations).toEqual([{ ...evaluation, at: sh('2025-06-01 10:00') }]);
  });

  it('compares step times as instants whatever their written form', () => {
    const story = assigned();
    const contact = (at: string) => recorded(event('ProposerContacted', { unitId: 'u-edu', stage: 'before', channel: 'phone', summary: '电话' }), at);
    const stepAt = (at: string) => {
      const s = evolve(story.state, contact(at));
      return s.status === 'empty' ? undefined : s.lastStepAt;
    };
    // 2025-03-10 10:00 in Chongqing is 02:00Z: a step at 09:30+08:00 is earlier, one at 10:30+08:00 later.
    expect(stepAt('2025-03-10T09:30:00+08:00')).toBe(sh('2025-03-10 10:00'));
    expect(stepAt('2025-03-10T10:30:00+08:00')).toBe('2025-03-10T10:30:00+08:00');
    expect(stepAt('2025-03-10T01:59:59.999Z')).toBe(sh('2025-03-10 10:00'));
    expect(stepAt('2025-03-10T02:00:00.001Z')).toBe('2025-03-10T02:00:00.001Z');
  });

  describe('refuses a stream it cannot fold: corrupt or out of order', () => {
    it.each`
      what                                   | events
      ${'an event before the item exists'}   | ${() => [event('ProposalAccepted', {})]}
      ${'a second submission'}               | ${() => [...submitted().events, submitted().events[0]]}
      ${'a reply before assignment'}         | ${() => [...submitted().events, event('ReplySigned', { unitId: 'u', signerUnit: 'u', signerId: 's' })]}
      ${'a deadline nobody set'}             | ${() => [...assigned().events, event('DeadlineMet', { deadlineId: 'reply:nobody:1', metAt: sh('2025-04-01'), onTime: true })]}
      ${'a commitment nobody made'}          | ${() => [...assigned().events, event('CommitmentFulfilled', { commitmentId: 'c', unitId: 'u-edu', note: 'n' })]}
      ${'a track that does not exist'}       | ${() => [...assigned().events, event('ReplyDispatched', { unitId: 'u-x', round: 1, resultClass: 'A', recipients: [] })]}
      ${'a review of no draft'}              | ${() => [...assigned().events, event('ReplyReviewed', { unitId: 'u-edu', approved: true, previousResultClass: 'A', resultClass: 'A' })]}
      ${'a closure of an unreplied item'}    | ${() => [...assigned().events, event('ProposalClosed', {})]}
    `('$what', ({ events }) => {
      const stream = (events() as (ProposalEvent | RecordedProposalEvent)[]).map((e) => ('metadata' in e ? e : recorded(e)));
      expect(() => fold(stream)).toThrow(UnfoldableEventError);
    });

    it('an event type it does not know', () => {
      const unknown = recorded({ type: 'ProposalTeleported', schemaVersion: 1, data: {} } as never);
      expect(() => fold([...submitted().events, unknown])).toThrow('Unhandled event');
    });
  });
});

describe('decide', () => {
  it('throws on a command type it does not know (the edge never sends one)', () => {
    expect(() =>
      decide(command('TeleportProposal' as never, {} as never), submitted().state, {
        now: sh('2025-03-05'),
        actor: actors.office,
        calendar: { id: 'c', isWorkingDay: () => true, isOfficial: () => true },
        ruleSets: { get: () => undefined, ids: () => [] },
      }),
    ).toThrow('Unhandled command');
  });
});

describe('proposal streams', () => {
  it('names one stream per item and reads the id back', () => {
    expect(proposalStreamId('chaotian-2023-015')).toBe('proposal-chaotian-2023-015');
    expect(proposalIdOf('proposal-chaotian-2023-015')).toBe('chaotian-2023-015');
    expect(proposalIdOf('units-directory')).toBeUndefined();
  });
});
