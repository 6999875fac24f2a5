import { DEMO_CASES } from '../../apps/standalone/demo/seed-cases';
import { builtInRuleSets } from '../../libs/domain/src/rule-sets/built-in.rule-sets';
import { actors, sh, Story, type When } from '../../libs/domain/src/testing/decider-spec';
import type { ExistingProposal } from '../../libs/domain/src/proposal/proposal.state';

/**
 * A CPPCC proposal (提案) handled to closure under each CPPCC rule set Banli ships: seed 000 (铜梁区政协)
 * under cppcc-generic, seed 002 (朝天区政协, Sichuan) under sc-gov-2024, every member rating as the
 * seeds' system has it (LEGAL.md §6.6).
 */
const at = (actor: When['actor'], local: string): When => ({ actor, now: sh(`${local} 10:00`) });

describe.each(['cppcc-generic', 'sc-gov-2024'])('a CPPCC proposal under %s', (ruleSetId) => {
  const seed = DEMO_CASES.find((c) => c.ruleSet === ruleSetId)!;
  const ruleSet = builtInRuleSets().get(ruleSetId)!;

  it('the seed runs under this set, which governs CPPCC proposals and no NPC set does', () => {
    expect(seed.kind).toBe('cppcc-proposal');
    expect(ruleSet.kinds).toContain('cppcc-proposal');
    for (const id of builtInRuleSets().ids().filter((id) => id.includes('-npc-'))) {
      expect(builtInRuleSets().get(id)!.kinds).not.toContain('cppcc-proposal');
    }
  });

  it('is registered, assigned, replied, rated by every member and closed', () => {
    const story = new Story();
    const d = seed.dates;
    // Seed 000 has one member; a co-signer is added so the rule that every member rates is tested under both sets.
    const proposers = seed.proposers.length > 1 ? seed.proposers : [...seed.proposers, { id: 'member-co', name: '联名委员', lead: false }];
    story.run('SubmitProposal', { proposalId: 'p-1', kind: seed.kind, session: seed.session, number: seed.number, title: seed.title, body: seed.body, proposers }, at(actors.office, d.submitted));
    story.run('RegisterProposal', { decision: 'accepted' }, at(actors.office, d.accepted));
    story.run('AssignProposal', { mode: 'lead-with-co', leadUnits: [seed.lead], coUnits: seed.co, ruleSet: ruleSetId }, at(actors.office, d.assigned));
    const reply = Object.values((story.state as ExistingProposal).deadlines).find((dl) => dl.kind === 'reply')!;
    expect(reply.source).not.toHaveLength(0);
    for (const unit of seed.co) story.run('SubmitCoOpinion', { unitId: unit, content: '会办意见' }, at(actors.handler(unit), d.coOpinions!));
    story.run('DraftReply', { unitId: seed.lead, ...seed.reply, cc: [], disclose: true, commitments: [] }, at(actors.handler(seed.lead), d.drafted));
    story.run('SignReply', { unitId: seed.lead }, at(actors.signer(seed.lead), d.signed));
    story.run('DispatchReply', { unitId: seed.lead }, at(actors.handler(seed.lead), d.dispatched));
    const [first, ...others] = proposers;
    story.run('EvaluateReply', { satisfaction: 'satisfied' }, at(actors.proposer(first.id), d.dispatched));
    // Every member rates: the item waits for the co-signers too, and each co-signer's rating counts.
    story.when('CloseProposal', {}, at(actors.office, d.dispatched)).thenRefuses('EVALUATION_PENDING');
    for (const p of others) {
      expect(story.when('EvaluateReply', { satisfaction: 'basically-satisfied' }, at(actors.proposer(p.id), d.dispatched)).events()[0].data).toMatchObject({ counted: true });
      story.run('EvaluateReply', { satisfaction: 'basically-satisfied' }, at(actors.proposer(p.id), d.dispatched));
    }
    expect(story.when('CloseProposal', {}, at(actors.office, d.dispatched)).types()).toContain('ProposalClosed');
    story.run('CloseProposal', {}, at(actors.office, d.dispatched));
    expect(story.state).toMatchObject({ status: 'closed', handling: { ruleSet: { id: ruleSetId, verification: ruleSetId === 'sc-gov-2024' ? 'summary' : 'assumed' } } });
  });

  it('an NPC rule set refuses it (RULE_SET_KIND_MISMATCH)', () => {
    const story = new Story();
    story.run('SubmitProposal', { proposalId: 'p-2', kind: 'cppcc-proposal', session: seed.session, number: seed.number, title: seed.title, body: seed.body, proposers: seed.proposers }, at(actors.office, seed.dates.submitted));
    story.run('RegisterProposal', { decision: 'accepted' }, at(actors.office, seed.dates.accepted));
    story.when('AssignProposal', { mode: 'lead-with-co', leadUnits: [seed.lead], ruleSet: 'cq-npc-2017' }, at(actors.office, seed.dates.assigned)).thenRefuses('RULE_SET_KIND_MISMATCH');
  });
});

describe('the demo cases', () => {
  it('each runs under a built-in rule set of its own kind', () => {
    expect(DEMO_CASES).toHaveLength(5);
    for (const c of DEMO_CASES) expect({ seed: c.seed, kinds: builtInRuleSets().get(c.ruleSet)?.kinds ?? [] }).toEqual({ seed: c.seed, kinds: expect.arrayContaining([c.kind]) });
  });
});
