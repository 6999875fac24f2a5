import { type Actor, handlingOf, type ProposalState } from '@banli/domain';
import { seesEverything } from './access';
import { HttpProblem } from './problem';

/** Who may read an item: the office, supervisors, auditors and admins; handlers and signers of its units; its proposers. */
export function assertCanRead(actor: Actor, state: ProposalState): void {
  if (state.status === 'empty') return;
  if (seesEverything(actor)) return;
  const handling = handlingOf(state);
  const unitBound = actor.roles.some((r) => r === 'handler' || r === 'signer');
  if (unitBound && handling?.units.some((u) => u.unitId === actor.unit)) return;
  if (actor.roles.includes('proposer') && state.proposers.some((p) => p.id === actor.id)) return;
  throw new HttpProblem(403, 'FORBIDDEN', 'You may not read this item');
}

/** The item as the HTTP contract shows it. Deadline states are computed against the clock. */
export function proposalView(id: string, state: ProposalState, revision: number, now: Date) {
  if (state.status === 'empty') throw new HttpProblem(404, 'NOT_FOUND', `No proposal ${id}`);
  const handling = handlingOf(state);
  const nowIso = now.toISOString();
  return {
    id,
    status: state.status,
    revision,
    kind: state.kind,
    session: state.session,
    number: state.number,
    title: state.title,
    body: state.body,
    submittedAt: state.submittedAt,
    proposers: state.proposers,
    mergedProposals: state.mergedProposals,
    ...(state.status === 'rejected' ? { rejectionReason: state.rejectionReason } : {}),
    ...(state.status === 'merged' ? { mergedInto: state.mergedInto } : {}),
    ...(state.status === 'withdrawn' ? { withdrawalReason: state.withdrawalReason } : {}),
    ...(state.status === 'closed' ? { closedAt: state.closedAt } : {}),
    ruleSet: handling ? { id: handling.ruleSet.id, version: handling.ruleSet.version } : null,
    mode: handling?.mode ?? null,
    key: handling?.key ?? false,
    supervisingUnits: handling?.supervisingUnits ?? [],
    leadingOfficial: handling?.leadingOfficial ?? null,
    units: (handling?.units ?? []).map((u) => ({ unitId: u.unitId, role: u.role, acknowledged: u.acknowledged })),
    deadlines: Object.values(state.deadlines).map((d) => ({
      id: d.id,
      kind: d.kind,
      ...(d.unitId === undefined ? {} : { unitId: d.unitId }),
      ...(d.commitmentId === undefined ? {} : { commitmentId: d.commitmentId }),
      startDate: d.startDate,
      dueDate: d.dueDate,
      dueAt: d.dueAt,
      state: d.state === 'open' && nowIso >= d.dueAt ? 'breached' : d.state,
      provisional: d.provisional,
      ...(d.breachedAt ? { breachedAt: d.breachedAt } : {}),
      ...(d.metAt ? { metAt: d.metAt, onTime: d.onTime } : {}),
      source: d.source,
    })),
    replies: Object.values(handling?.tracks ?? {}).map((t) => ({
      unitId: t.unitId,
      signers: t.signers,
      round: t.round,
      stage: t.stage,
      signatures: t.signatures,
      // The contract shows the contact flat, as the draft was sent.
      ...(t.draft ? { draft: (({ contact, ...draft }) => ({ ...draft, contactPerson: contact.name, contactPhone: contact.phone }))(t.draft) } : {}),
      ...(t.review ? { review: t.review } : {}),
      ...(t.dispatchedAt ? { dispatchedAt: t.dispatchedAt } : {}),
      published: t.published,
      earlierRounds: t.earlierRounds,
    })),
    coOpinions: Object.values(handling?.coOpinions ?? {}),
    contacts: handling?.contacts ?? [],
    evaluations: Object.values(handling?.tracks ?? {}).flatMap((t) => t.evaluations.map((e) => ({ unitId: t.unitId, ...e }))),
    commitments: Object.values(handling?.commitments ?? {}),
    adjustmentRequests: handling?.adjustmentRequests ?? [],
    urges: handling?.urges ?? [],
  };
}
