import fc from 'fast-check';
import { DomainError } from '../shared/domain-error';
import { actors, catalogWith, Story } from '../testing/decider-spec';
import { plan, PROPOSERS, reviewed, step } from '../testing/random-lifecycle';
import { fold } from './proposal.evolve';

describe('the decider under random command sequences (fast-check)', () => {
  const reached = new Set<string>();

  it('never emits an event evolve cannot fold, refuses only with domain errors, and replays to the same state', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 40, maxLength: 160, size: 'max' }), (steps) => {
        const story = new Story(catalogWith(reviewed), 'cq-npc-2017');
        let now = Date.parse('2025-02-20T01:00:00.000Z');
        story.run('SubmitProposal', { proposalId: 'x', kind: 'npc-suggestion', session: 's', number: '1', title: 't', body: 'b', proposers: PROPOSERS }, { actor: actors.office, now: new Date(now).toISOString() });
        for (const s of steps) {
          now += s.advanceHours * 3_600_000;
          const planned = plan(s, story.state);
          const when = {
            actor: planned.actor,
            now: new Date(now).toISOString(),
            ...(s.backdateHours > 0 && ['office', 'handler', 'system'].some((r) => planned.actor.roles.includes(r as never))
              ? { occurredAt: new Date(now - s.backdateHours * 3_600_000).toISOString() }
              : {}),
          };
          try {
            story.run(planned.type, planned.data as never, when);
          } catch (error) {
            if (!(error instanceof DomainError)) throw error; // an unfoldable event or a crash fails the property
          }
          reached.add(story.state.status);
        }
        expect(fold(story.events)).toEqual(story.state);
      }),
      { numRuns: 400, seed: 20261123 },
    );
  });

  it('explored the whole lifecycle (the generator is not stuck at the start)', () => {
    expect([...reached].sort()).toEqual(expect.arrayContaining(['assigned', 'closed', 'rehandling', 'replied', 'withdrawn']));
  });
});
