import {
  deadlineStateAt,
  handlingOf,
  type ItemReadPolicy,
  personalDataOfEvent,
  proposerSubject,
  type ProposalState,
  type ReplyDraft,
  replaceAt,
  replyContactSubject,
  type ReplyTrack,
  withheldFields,
} from '@banli/domain';
import type { StoredEvent } from '@banli/event-store';
import { ItemNotFoundError } from './command-errors';
import type { PersonalDataVault } from './sqlite/personal-data.vault';

/**
 * How a read path shows one personal value: the value (null once erased, or when it is not that
 * person's), or undefined where the read policy withholds it, so the field is left out.
 */
export type PersonalDataOpener = (subject: string, value: unknown) => string | null | undefined;

export function openerFor(vault: PersonalDataVault, policy: ItemReadPolicy): PersonalDataOpener {
  return (subject, value) => (value === undefined || !policy.personalData(subject) ? undefined : vault.openFor(subject, value));
}

/** A field that is shown when the opener shows it, and left out otherwise. */
const field = <K extends string>(key: K, shown: string | null | undefined): { [P in K]?: string | null } =>
  (shown === undefined ? {} : { [key]: shown }) as { [P in K]?: string | null };

/** The contract shows a draft's contact flat, as the draft was sent. */
function draftView(draft: ReplyDraft, subject: string, open: PersonalDataOpener) {
  const { contact, ...rest } = draft;
  return { ...rest, ...field('contactPerson', open(subject, contact.name)), ...field('contactPhone', open(subject, contact.phone)) };
}

type DraftView = ReturnType<typeof draftView>;

/** A reply as one caller sees it; what they may not see is left out. */
export interface ReplyView {
  readonly unitId: string;
  readonly signers: readonly string[];
  readonly round: number;
  readonly stage: string;
  readonly signatures?: readonly string[];
  readonly draft?: DraftView;
  readonly review?: ReplyTrack['review'];
  readonly dispatchedAt?: string;
  readonly published: boolean;
  readonly earlierRounds: readonly { round: number; draft?: DraftView; dispatchedAt?: string; evaluations: readonly unknown[] }[];
}

function replyView(id: string, t: ReplyTrack, policy: ItemReadPolicy, open: PersonalDataOpener): ReplyView[] {
  const sees = policy.reply(t.unitId);
  if (sees === 'none') return [];
  const subject = replyContactSubject(id, t.unitId);
  const dispatchedOnly = sees === 'dispatched';
  const earlierRounds = t.earlierRounds
    .filter((r) => !dispatchedOnly || r.dispatchedAt !== undefined)
    .map((r) => ({
      round: r.round,
      ...(r.draft ? { draft: draftView(r.draft, subject, open) } : {}),
      ...(r.dispatchedAt ? { dispatchedAt: r.dispatchedAt } : {}),
      evaluations: r.evaluations.filter((e) => policy.evaluation(e.proposerId)),
    }));
  if (dispatchedOnly && t.stage !== 'dispatched') {
    // The round in progress is not theirs to see; what was dispatched before is.
    return earlierRounds.length === 0 ? [] : [{ unitId: t.unitId, signers: t.signers, round: t.round, stage: 'handling', published: false, earlierRounds }];
  }
  return [
    {
      unitId: t.unitId,
      signers: t.signers,
      round: t.round,
      stage: t.stage,
      ...(policy.workingRecords ? { signatures: t.signatures } : {}),
      ...(t.draft ? { draft: draftView(t.draft, subject, open) } : {}),
      ...(t.review && policy.workingRecords ? { review: t.review } : {}),
      ...(t.dispatchedAt ? { dispatchedAt: t.dispatchedAt } : {}),
      published: t.published,
      earlierRounds,
    },
  ];
}

/**
 * The item as the HTTP contract shows it to one caller: what the read policy lets them see, personal
 * data opened only where it allows. Deadline states are computed against the clock.
 */
export function proposalView(id: string, state: ProposalState, revision: number, now: Date, policy: ItemReadPolicy, open: PersonalDataOpener) {
  if (state.status === 'empty') throw new ItemNotFoundError(id);
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
    proposers: state.proposers.map(({ phone, ...p }) => ({ ...p, ...field('phone', open(proposerSubject(p.id), phone)) })),
    mergedProposals: state.mergedProposals,
    ...(state.status === 'rejected' ? { rejectionReason: state.rejectionReason } : {}),
    ...(state.status === 'merged' ? { mergedInto: state.mergedInto } : {}),
    ...(state.status === 'withdrawn' ? { withdrawalReason: state.withdrawalReason } : {}),
    ...(state.status === 'closed' ? { closedAt: state.closedAt } : {}),
    ruleSet: handling ? { id: handling.ruleSet.id, version: handling.ruleSet.version } : null,
    mode: handling?.mode ?? null,
    key: handling?.key ?? false,
    complex: handling?.complex !== undefined,
    ...(handling?.complex?.reason === undefined ? {} : { complexReason: handling.complex.reason }),
    supervisingUnits: handling?.supervisingUnits ?? [],
    leadingOfficial: handling?.leadingOfficial ?? null,
    units: (handling?.units ?? []).map((u) => ({ unitId: u.unitId, role: u.role, acknowledged: u.acknowledged, ...(u.receivedOn === undefined ? {} : { receivedOn: u.receivedOn }) })),
    deadlines: Object.values(state.deadlines).map((d) => ({
      id: d.id,
      kind: d.kind,
      ...(d.unitId === undefined ? {} : { unitId: d.unitId }),
      ...(d.commitmentId === undefined ? {} : { commitmentId: d.commitmentId }),
      startDate: d.startDate,
      dueDate: d.dueDate,
      dueAt: d.dueAt,
      state: deadlineStateAt(d, nowIso),
      provisional: d.provisional,
      ...(d.breachedAt ? { breachedAt: d.breachedAt } : {}),
      ...(d.metAt ? { metAt: d.metAt, onTime: d.onTime } : {}),
      source: d.source,
    })),
    replies: Object.values(handling?.tracks ?? {}).flatMap((t) => replyView(id, t, policy, open)),
    coOpinions: Object.values(handling?.coOpinions ?? {}).filter((o) => policy.coOpinion(o.unitId)),
    contacts: policy.workingRecords ? (handling?.contacts ?? []) : [],
    evaluations: Object.values(handling?.tracks ?? {}).flatMap((t) =>
      policy.reply(t.unitId) === 'none' ? [] : t.evaluations.filter((e) => policy.evaluation(e.proposerId)).map((e) => ({ unitId: t.unitId, ...e })),
    ),
    commitments: Object.values(handling?.commitments ?? {}),
    adjustmentRequests: policy.workingRecords ? (handling?.adjustmentRequests ?? []) : [],
    urges: policy.workingRecords ? (handling?.urges ?? []) : [],
  };
}

/**
 * One stored event as a reader may see it: its personal values opened or left out as the read policy
 * decides, and the fields the policy withholds (another co-unit's opinion, a draft not theirs) left out
 * and named in `withheld`.
 */
export function visibleEventData(proposalId: string, event: Pick<StoredEvent, 'type' | 'schemaVersion' | 'data'>, policy: ItemReadPolicy, open: PersonalDataOpener): { data: Record<string, unknown>; withheld: string[] } {
  let data = event.data as Record<string, unknown>;
  for (const personal of personalDataOfEvent(proposalId, event.type, event.schemaVersion, data)) {
    const shown = open(personal.subject, personal.value);
    data = replaceAt(data, personal.path, shown, shown === undefined);
  }
  const withheld = withheldFields(policy, event.type, data).filter((f) => f in data);
  if (withheld.length > 0) data = Object.fromEntries(Object.entries(data).filter(([k]) => !withheld.includes(k)));
  return { data, withheld };
}

/** The item's history as the contract shows it: every event, with what the caller may see of it. */
export function historyView(proposalId: string, events: readonly StoredEvent[], policy: ItemReadPolicy, open: PersonalDataOpener) {
  return events.map((e) => {
    const { data, withheld } = visibleEventData(proposalId, e, policy, open);
    return {
      revision: e.revision,
      type: e.type,
      schemaVersion: e.schemaVersion,
      data,
      ...(withheld.length > 0 ? { withheld } : {}),
      occurredAt: e.occurredAt,
      recordedAt: e.recordedAt,
      actor: e.actor ?? null,
      hash: e.hash,
    };
  });
}
