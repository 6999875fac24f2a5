import { deadlineStateAt, handlingOf, type ItemReadPolicy, type ProposalEventType, type ProposalState } from '@banli/domain';
import type { StoredEvent, VerifyResult } from '@banli/event-store';
import { type PersonalDataOpener, visibleEventData } from '../proposal.view';

/** What each step is called in the file (办理档案), in Chinese and English. */
const STEP_NAMES: Record<ProposalEventType, string> = {
  ProposalSubmitted: '提交 Submitted',
  ProposalAccepted: '立案 Accepted',
  ProposalRejected: '不予立案 Rejected',
  ProposalMerged: '并案 Merged into another',
  MergedProposalAbsorbed: '并入 Absorbed a merged item',
  ProposalWithdrawn: '撤回 Withdrawn',
  ProposalAssigned: '交办 Assigned',
  ComplexityDeclared: '认定为涉及面广、处理难度大 Declared complex',
  AssignmentReceived: '收到 Received (recorded later)',
  AssignmentAcknowledged: '签收 Acknowledged',
  AdjustmentRequested: '申请调整 Adjustment requested',
  AdjustmentApproved: '同意调整 Adjustment approved',
  AdjustmentRefused: '不同意调整 Adjustment refused',
  ProposerContacted: '沟通 Proposer contacted',
  CoOpinionSubmitted: '协办意见 Co-opinion submitted',
  CoOpinionReturned: '退回协办意见 Co-opinion returned',
  ReplyDrafted: '拟稿 Reply drafted',
  ReplySigned: '签发 Reply signed',
  ReplyReviewed: '督办审核 Reply reviewed',
  ReplyDispatched: '答复 Reply dispatched',
  ReplyEvaluated: '测评 Reply evaluated',
  RehandlingOrdered: '重新办理 Re-handling ordered',
  CommitmentFulfilled: '承诺兑现 Commitment fulfilled',
  CommitmentReceiptReturned: '落实情况回执 Commitment receipt returned',
  Urged: '催办 Urged',
  ProposalClosed: '办结 Closed',
  ReplyPublished: '公开 Reply published',
  DeadlineSet: '期限 Deadline set',
  DeadlineMet: '期限满足 Deadline met',
  DeadlineMetOnTimeConfirmed: '补录确认 Met on time, confirmed on paper',
  DeadlineExtended: '延期 Deadline extended',
  DeadlineApproaching: '临期提醒 Deadline approaching',
  DeadlineBreached: '超期 Deadline breached',
  Escalated: '升级督办 Escalated',
  DeadlineCancelled: '期限取消 Deadline cancelled',
};

export interface Dossier {
  readonly item: { id: string; kind: string; session: string; number: string; title: string; status: string; proposers: { id: string; name: string; lead: boolean }[]; ruleSet: string | null };
  readonly generatedAt: string;
  readonly chain: VerifyResult & { readonly headHash: string | null };
  readonly timeline: {
    revision: number;
    step: string;
    type: string;
    schemaVersion: number;
    actor: { id: string; name?: string; unit?: string; roles?: readonly string[] } | null;
    occurredAt: string;
    recordedAt: string;
    /** Entered after the fact (a paper step recorded later): occurredAt lies more than a minute before recordedAt. */
    backdated: boolean;
    detail: string;
    hash: string;
  }[];
  readonly deadlines: { id: string; kind: string; unitId?: string; dueDate: string; originalDueDate: string; dueAt: string; state: string; metAt?: string; onTime?: boolean; breachedAt?: string }[];
}

/**
 * The audit dossier of one item: every step with who, which unit, when it happened and when it was
 * recorded, every deadline against its due date, and the hash chain, checked when the dossier was made.
 * Each step's detail says what the read policy lets the reader see of it.
 */
export function buildDossier(id: string, state: ProposalState, events: readonly StoredEvent[], chain: VerifyResult, now: Date, policy: ItemReadPolicy, open: PersonalDataOpener): Dossier {
  if (state.status === 'empty') throw new RangeError(`No proposal ${id}`);
  const handling = handlingOf(state);
  return {
    item: {
      id,
      kind: state.kind,
      session: state.session,
      number: state.number,
      title: state.title,
      status: state.status,
      proposers: state.proposers.map((p) => ({ id: p.id, name: p.name, lead: p.lead })),
      ruleSet: handling ? `${handling.ruleSet.id} ${handling.ruleSet.version}` : null,
    },
    generatedAt: now.toISOString(),
    chain: { ...chain, headHash: events.at(-1)?.hash ?? null },
    timeline: events.map((e) => ({
      revision: e.revision,
      step: (STEP_NAMES as Record<string, string>)[e.type] ?? e.type,
      type: e.type,
      schemaVersion: e.schemaVersion,
      actor: e.actor ? { id: e.actor.id, ...(e.actor.name ? { name: e.actor.name } : {}), ...(e.actor.unit ? { unit: e.actor.unit } : {}), ...(e.actor.roles ? { roles: e.actor.roles } : {}) } : null,
      occurredAt: e.occurredAt,
      recordedAt: e.recordedAt,
      backdated: Date.parse(e.recordedAt) - Date.parse(e.occurredAt) > 60_000,
      detail: detailOf(visibleEventData(id, e, policy, open).data),
      hash: e.hash,
    })),
    deadlines: Object.values(state.deadlines).map((d) => ({
      id: d.id,
      kind: d.kind,
      ...(d.unitId === undefined ? {} : { unitId: d.unitId }),
      dueDate: d.dueDate,
      originalDueDate: d.originalDueDate,
      dueAt: d.dueAt,
      state: deadlineStateAt(d, now.toISOString()),
      ...(d.metAt ? { metAt: d.metAt, onTime: d.onTime } : {}),
      ...(d.breachedAt ? { breachedAt: d.breachedAt } : {}),
    })),
  };
}

/** One line on what the step said: the unit, deadline, decision or reason it carried. */
function detailOf(d: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const key of ['unitId', 'deadlineId', 'decision', 'satisfaction', 'resultClass', 'documentNumber', 'rung', 'dueAt', 'reason', 'message']) {
    if (d[key] !== undefined && d[key] !== null && typeof d[key] !== 'object') parts.push(`${key}: ${String(d[key])}`);
  }
  if (Array.isArray(d.leadUnits)) parts.push(`lead: ${(d.leadUnits as string[]).join(', ')}`);
  if (Array.isArray(d.coUnits) && d.coUnits.length > 0) parts.push(`co: ${(d.coUnits as string[]).join(', ')}`);
  if (Array.isArray(d.recipients)) parts.push(`to: ${(d.recipients as string[]).join(', ')}`);
  return parts.join(' · ');
}

const escape = (value: unknown): string =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The dossier as one self-contained, printable HTML page (no scripts, no external resources). */
export function renderDossierHtml(d: Dossier): string {
  const shanghai = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);
  const rows = d.timeline
    .map(
      (t) => `<tr><td>${t.revision}</td><td>${escape(t.step)}<br><small>${escape(t.type)} v${t.schemaVersion}</small></td><td>${escape(t.actor?.name ?? t.actor?.id ?? '—')}<br><small>${escape(t.actor?.unit ?? '')}</small></td>
<td>${shanghai(t.occurredAt)}</td><td>${shanghai(t.recordedAt)}${t.backdated ? ' <b>补录</b>' : ''}</td><td>${escape(t.detail)}</td><td class="hash">${escape(t.hash)}</td></tr>`,
    )
    .join('\n');
  const deadlines = d.deadlines
    .map(
      (x) => `<tr><td>${escape(x.kind)}</td><td>${escape(x.unitId ?? '')}</td><td>${escape(x.dueDate)}${x.dueDate !== x.originalDueDate ? ` <small>(原 ${escape(x.originalDueDate)})</small>` : ''}</td>
<td>${escape(x.state)}${x.onTime === false ? ' (late)' : ''}</td><td>${x.metAt ? shanghai(x.metAt) : ''}</td><td>${x.breachedAt ? shanghai(x.breachedAt) : ''}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>办理档案 ${escape(d.item.session)} 第${escape(d.item.number)}号</title>
<style>body{font-family:"Noto Serif CJK SC","Songti SC",serif;margin:2em;color:#111}table{border-collapse:collapse;width:100%;margin:1em 0;font-size:12px}
th,td{border:1px solid #999;padding:4px;vertical-align:top;text-align:left}th{background:#eee}.hash{font-family:monospace;font-size:9px;word-break:break-all;width:16em}
.ok{color:#060}.broken{color:#b00}@media print{body{margin:0}tr{page-break-inside:avoid}}</style></head>
<body>
<h1>办理档案 Audit dossier</h1>
<p><b>${escape(d.item.title)}</b><br>${escape(d.item.kind)} · ${escape(d.item.session)} 第${escape(d.item.number)}号 · ${escape(d.item.id)} · 状态 ${escape(d.item.status)} · 规则 ${escape(d.item.ruleSet ?? '—')}</p>
<p>提出人 Proposers: ${d.item.proposers.map((p) => `${escape(p.name)}${p.lead ? '（领衔）' : ''}`).join('、')}</p>
<p class="${d.chain.ok ? 'ok' : 'broken'}">哈希链 Hash chain: ${d.chain.ok ? `intact, ${d.chain.checked} events checked` : `BROKEN at revision ${d.chain.firstBrokenRevision}`} · head ${escape(d.chain.headHash ?? '—')}</p>
<h2>办理过程 Timeline</h2>
<table><thead><tr><th>#</th><th>Step</th><th>Who</th><th>Happened (Beijing)</th><th>Recorded (Beijing)</th><th>Detail</th><th>Hash</th></tr></thead><tbody>
${rows}
</tbody></table>
<h2>期限 Deadlines</h2>
<table><thead><tr><th>Kind</th><th>Unit</th><th>Due</th><th>State</th><th>Met</th><th>Breached</th></tr></thead><tbody>
${deadlines}
</tbody></table>
<p><small>Generated ${shanghai(d.generatedAt)} (Beijing) by Banli. Each hash is SHA-256 over the previous event's hash and this event's canonical form.</small></p>
</body></html>
`;
}
