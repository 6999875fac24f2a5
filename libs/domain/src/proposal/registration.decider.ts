import { PROPOSAL_KINDS, type RuleSet } from '../rule-sets/rule-set';
import { type Instant } from '../shared/calendar-date';
import { assertNever, refuse } from '../shared/domain-error';
import { cancelDeadlines } from './deadline-schedule';
import { type CommandOf } from './proposal.commands';
import { event, type ProposalEvent, type Proposer } from './proposal.events';
import { type ExistingProposal, handlingOf, type ProposalState } from './proposal.state';
import { text, optionalText, oneOf, sameValue } from './decider.guards';
import type { DecisionContext } from './decision-context';

/* Registration (审查立案), merging (并案) and withdrawal (撤回): the item before it is assigned. */

export function submit(cmd: CommandOf<'SubmitProposal'>, state: ProposalState, at: Instant): ProposalEvent[] {
  const d = cmd.data;
  const data = {
    proposalId: text(d.proposalId, 'proposalId'),
    kind: oneOf(d.kind, 'kind', PROPOSAL_KINDS),
    session: text(d.session, 'session'),
    number: text(d.number, 'number'),
    title: text(d.title, 'title'),
    body: text(d.body, 'body'),
    proposers: proposers(d.proposers),
    submittedAt: at,
  };
  if (state.status !== 'empty') {
    const same =
      state.id === data.proposalId &&
      state.kind === data.kind &&
      state.session === data.session &&
      state.number === data.number &&
      state.title === data.title &&
      state.body === data.body &&
      sameValue(state.proposers.filter((p) => !p.mergedFrom), data.proposers);
    if (same) return [];
    refuse('PROPOSAL_EXISTS', `Proposal ${state.id} already exists`, { proposalId: state.id });
  }
  return [event('ProposalSubmitted', data)];
}

function proposers(value: unknown): Proposer[] {
  if (!Array.isArray(value) || value.length === 0) refuse('VALIDATION_FAILED', 'proposers must be a non-empty list', { field: 'proposers' });
  const list = value.map((p, i) => {
    if (typeof p !== 'object' || p === null) refuse('VALIDATION_FAILED', `proposers[${i}] must be an object`, { field: `proposers[${i}]` });
    const entry = p as Record<string, unknown>;
    if (typeof entry.lead !== 'boolean') refuse('VALIDATION_FAILED', `proposers[${i}].lead must be true or false`, { field: `proposers[${i}].lead` });
    return {
      id: text(entry.id, `proposers[${i}].id`),
      name: text(entry.name, `proposers[${i}].name`),
      lead: entry.lead,
      ...(entry.phone === undefined ? {} : { phone: text(entry.phone, `proposers[${i}].phone`) }),
    };
  });
  if (list.filter((p) => p.lead).length !== 1) refuse('VALIDATION_FAILED', 'exactly one proposer must be the lead (领衔)', { field: 'proposers' });
  if (new Set(list.map((p) => p.id)).size !== list.length) refuse('VALIDATION_FAILED', 'proposer ids must be distinct', { field: 'proposers' });
  return list;
}

export function register(cmd: CommandOf<'RegisterProposal'>, state: ExistingProposal): ProposalEvent[] {
  const { decision } = cmd.data;
  oneOf(decision, 'decision', ['accepted', 'rejected', 'merged'] as const);
  const repeated =
    (decision === 'accepted' && state.status !== 'submitted' && state.status !== 'rejected' && state.status !== 'merged' && state.status !== 'withdrawn') ||
    (decision === 'rejected' && state.status === 'rejected') ||
    (decision === 'merged' && state.status === 'merged' && state.mergedInto === cmd.data.mergedInto);
  if (repeated) return [];
  if (state.status !== 'submitted') {
    refuse('INVALID_TRANSITION', `Registration was already decided (status ${state.status})`, { status: state.status });
  }
  switch (decision) {
    case 'accepted':
      return [event('ProposalAccepted', {})];
    case 'rejected':
      return [event('ProposalRejected', { reason: text(cmd.data.reason, 'reason') })];
    case 'merged': {
      const mergedInto = text(cmd.data.mergedInto, 'mergedInto');
      if (mergedInto === state.id) refuse('VALIDATION_FAILED', 'an item cannot be merged into itself', { field: 'mergedInto' });
      return [event('ProposalMerged', { mergedInto, ...optionalText(cmd.data.reason, 'reason') })];
    }
    default:
      return assertNever(decision, 'registration decision');
  }
}

export function absorb(cmd: CommandOf<'AbsorbMergedProposal'>, state: ExistingProposal): ProposalEvent[] {
  const source = text(cmd.data.sourceProposalId, 'sourceProposalId');
  if (state.mergedProposals.includes(source)) return [];
  if (source === state.id) refuse('VALIDATION_FAILED', 'an item cannot absorb itself', { field: 'sourceProposalId' });
  if (['rejected', 'merged', 'withdrawn', 'closed'].includes(state.status)) {
    refuse('INVALID_TRANSITION', `A ${state.status} item cannot take in a merged one`, { status: state.status });
  }
  const incoming = proposers(cmd.data.proposers);
  return [
    event('MergedProposalAbsorbed', {
      sourceProposalId: source,
      proposers: incoming.map((p) => ({ id: p.id, name: p.name, lead: false, mergedFrom: source, ...(p.lead ? { leadOfMerged: true } : {}) })),
    }),
  ];
}

export function withdraw(cmd: CommandOf<'WithdrawProposal'>, state: ExistingProposal, context: DecisionContext): ProposalEvent[] {
  if (state.status === 'withdrawn') return [];
  if (['rejected', 'merged', 'closed'].includes(state.status)) {
    refuse('INVALID_TRANSITION', `A ${state.status} item cannot be withdrawn`, { status: state.status });
  }
  const reason = text(cmd.data.reason, 'reason');
  const handling = handlingOf(state);
  const rule = withdrawalRule(state, context);
  if (handling && withdrawalClosedByAssignment(state)) {
    refuse('WITHDRAWAL_CLOSED', `Under rule set ${handling.ruleSet.id} an item can be withdrawn only before it is assigned`, { ruleSet: handling.ruleSet.id });
  }
  const agreedBy = cmd.data.agreedBy === undefined ? undefined : proposerIds(cmd.data.agreedBy, 'agreedBy');
  const unknown = (agreedBy ?? []).filter((id) => !state.proposers.some((p) => p.id === id));
  if (unknown.length > 0) refuse('VALIDATION_FAILED', `Not proposers of this item: ${unknown.join(', ')}`, { field: 'agreedBy', unknown });
  if (rule?.coSigned === 'all-proposers') {
    // Shanghai 第十条: 代表联名提出的建议、批评和意见，经代表一致要求可以撤回.
    const missing = state.proposers.filter((p) => p.id !== context.actor.id && !(agreedBy ?? []).includes(p.id)).map((p) => p.id);
    if (missing.length > 0) {
      refuse('CO_SIGNERS_AGREEMENT_REQUIRED', 'A co-signed item is withdrawn only when every proposer asks: name them all in agreedBy', { missing });
    }
  }
  return [
    event('ProposalWithdrawn', { reason, proposerId: context.actor.id, ...(agreedBy && agreedBy.length > 0 ? { agreedBy } : {}) }),
    ...cancelDeadlines(state, 'withdrawn', () => true),
  ];
}

/** Beijing 第十三条: where the rule set allows withdrawal only until assignment, an assigned item can no longer be withdrawn. */
export function withdrawalClosedByAssignment(state: ExistingProposal): boolean {
  const handling = handlingOf(state);
  return handling !== undefined && handling.ruleSet.withdrawal?.until === 'assignment';
}

function proposerIds(value: unknown, field: string): string[] {
  if (!Array.isArray(value)) refuse('VALIDATION_FAILED', `${field} must be a list of proposer ids`, { field });
  return [...new Set(value.map((id, i) => text(id, `${field}[${i}]`)))];
}

/** The withdrawal rule of the item's rule set; before assignment, of the rule set it would be assigned under (the default, where it governs the kind). */
function withdrawalRule(state: ExistingProposal, context: DecisionContext): RuleSet['withdrawal'] {
  const handling = handlingOf(state);
  if (handling) return handling.ruleSet.withdrawal;
  const fallback = context.defaultRuleSet === undefined ? undefined : context.ruleSets.get(context.defaultRuleSet);
  return fallback?.kinds.includes(state.kind) ? fallback.withdrawal : undefined;
}
