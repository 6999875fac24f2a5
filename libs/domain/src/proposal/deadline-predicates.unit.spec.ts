import { actors, sh } from '../testing/decider-spec';
import { dispatched, LEAD } from '../testing/lifecycle.fixture';
import { deadlineLight, earliestOwedDue } from './deadline-predicates';

describe('what an item still owes', () => {
  it('a lapsed adjustment window is not owed: a replied item owes its commitment, and is not red for the window', () => {
    const story = dispatched();
    story.run('RecordContact', { unitId: LEAD, stage: 'after', channel: 'phone', summary: '电话回访' }, { actor: actors.handler(LEAD), now: sh('2025-05-23 10:00') });
    const deadlines = Object.values(story.state.status === 'empty' ? {} : story.state.deadlines);
    const window = deadlines.find((d) => d.kind === 'adjustment-window' && d.unitId === LEAD)!;
    const commitment = deadlines.find((d) => d.kind === 'commitment')!;
    // The lead unit never acknowledged: its window lapsed in March, long before the reply.
    expect(['open', 'breached']).toContain(window.state);
    expect(earliestOwedDue(story.state)).toBe(commitment.dueAt);
    expect(deadlineLight(earliestOwedDue(story.state), undefined, sh('2025-06-01 10:00'))).toBe('green');
  });
});
