import { api, data } from './client';
import type { AllowedAction, Item } from './types';
import { parseCommitments, splitList } from '@/lib/forms';

/** What the action forms collect; each command reads the fields it needs. */
export interface ActionValues {
  decision?: 'accepted' | 'rejected' | 'merged';
  reason?: string;
  mergedInto?: string;
  mode?: 'lead-with-co' | 'separate' | 'joint';
  leadUnits?: string[];
  coUnits?: string[];
  supervisingUnits?: string[];
  leadingOfficial?: string;
  ruleSet?: string;
  key?: boolean;
  complex?: boolean;
  receivedOn?: string;
  approved?: boolean;
  stage?: 'before' | 'during' | 'after';
  channel?: 'meeting' | 'phone' | 'visit' | 'online';
  summary?: string;
  content?: string;
  documentNumber?: string;
  resultClass?: 'A' | 'B' | 'C' | 'D';
  body?: string;
  contactPerson?: string;
  contactPhone?: string;
  cc?: string;
  disclose?: boolean;
  commitments?: string;
  comment?: string;
  satisfaction?: 'satisfied' | 'basically-satisfied' | 'unsatisfied';
  attitude?: 'satisfied' | 'basically-satisfied' | 'unsatisfied';
  result?: 'satisfied' | 'basically-satisfied' | 'unsatisfied';
  message?: string;
  unitId?: string;
  until?: string;
  consentedBy?: string;
  note?: string;
  publicText?: string;
  agreedBy?: string;
}

const text = (v: string | undefined) => (v ?? '').trim();
const optional = <K extends string>(key: K, v: string | undefined): Partial<Record<K, string>> => (text(v) === '' ? {} : ({ [key]: text(v) } as Record<K, string>));

/**
 * Sends one allowed action to the service, typed by the OpenAPI document. The revision the page showed
 * goes as If-Match: if the item moved on meanwhile, the service refuses rather than act on what the user did not see.
 */
export function sendAction(item: Item, action: AllowedAction, v: ActionValues): Promise<unknown> {
  const id = item.id;
  const headers = { 'if-match': String(item.revision) };
  const path = { id };
  const unitId = action.unitId ?? '';
  switch (action.command) {
    case 'RegisterProposal':
      return data(api.POST('/api/v1/proposals/{id}/registration', { params: { path, header: headers }, body: { decision: v.decision ?? 'accepted', ...optional('reason', v.reason), ...optional('mergedInto', v.mergedInto) } }));
    case 'AssignProposal':
      return data(
        api.POST('/api/v1/proposals/{id}/assignment', {
          params: { path, header: headers },
          body: {
            mode: v.mode ?? 'lead-with-co',
            leadUnits: v.leadUnits ?? [],
            coUnits: v.coUnits ?? [],
            supervisingUnits: v.supervisingUnits ?? [],
            key: v.key ?? false,
            complex: v.complex ?? false,
            ...optional('leadingOfficial', v.leadingOfficial),
            ...optional('ruleSet', v.ruleSet),
          },
        }),
      );
    case 'WithdrawProposal':
      return data(api.POST('/api/v1/proposals/{id}/withdrawal', { params: { path, header: headers }, body: { reason: text(v.reason), ...(text(v.agreedBy) ? { agreedBy: splitList(v.agreedBy!) } : {}) } }));
    case 'DeclareComplex':
      return data(api.POST('/api/v1/proposals/{id}/complexity', { params: { path, header: headers }, body: { reason: text(v.reason) } }));
    case 'RecordReceipt':
      return data(api.POST('/api/v1/proposals/{id}/receipts', { params: { path, header: headers }, body: { unitId, receivedOn: text(v.receivedOn) } }));
    case 'AcknowledgeAssignment':
      return data(api.POST('/api/v1/proposals/{id}/acknowledgements', { params: { path, header: headers }, body: {} }));
    case 'RequestAdjustment':
      return data(api.POST('/api/v1/proposals/{id}/adjustment-requests', { params: { path, header: headers }, body: { reason: text(v.reason) } }));
    case 'DecideAdjustment':
      return data(
        api.POST('/api/v1/proposals/{id}/adjustment-requests/{requestId}/decision', {
          params: { path: { id, requestId: action.requestId ?? '' }, header: headers },
          body: { approved: v.approved ?? false, ...optional('reason', v.reason), ...(v.approved ? { leadUnits: v.leadUnits ?? [], coUnits: v.coUnits ?? [] } : {}) },
        }),
      );
    case 'RecordContact':
      return data(api.POST('/api/v1/proposals/{id}/contacts', { params: { path, header: headers }, body: { stage: v.stage ?? 'before', channel: v.channel ?? 'phone', summary: text(v.summary) } }));
    case 'SubmitCoOpinion':
      return data(api.PUT('/api/v1/proposals/{id}/co-opinions/{unitId}', { params: { path: { id, unitId }, header: headers }, body: { content: text(v.content) } }));
    case 'ReturnCoOpinion':
      return data(api.POST('/api/v1/proposals/{id}/co-opinions/{unitId}/return', { params: { path: { id, unitId }, header: headers }, body: { reason: text(v.reason) } }));
    case 'DraftReply':
      return data(
        api.PUT('/api/v1/proposals/{id}/replies/{unitId}', {
          params: { path: { id, unitId }, header: headers },
          body: {
            documentNumber: text(v.documentNumber),
            resultClass: v.resultClass ?? 'A',
            body: text(v.body),
            contactPerson: text(v.contactPerson),
            contactPhone: text(v.contactPhone),
            cc: splitList(v.cc ?? ''),
            disclose: v.disclose ?? true,
            commitments: parseCommitments(v.commitments ?? ''),
          },
        }),
      );
    case 'SignReply':
      return data(api.POST('/api/v1/proposals/{id}/replies/{unitId}/signature', { params: { path: { id, unitId }, header: headers }, body: {} }));
    case 'ReviewReply': {
      // The class goes only when the supervisor changed it: an approval alone keeps the unit's class.
      const given = item.replies.find((r) => r.unitId === unitId)?.draft?.resultClass;
      const changed = v.resultClass !== undefined && v.resultClass !== given;
      return data(api.POST('/api/v1/proposals/{id}/replies/{unitId}/review', { params: { path: { id, unitId }, header: headers }, body: { approved: v.approved ?? true, ...optional('comment', v.comment), ...(changed ? { resultClass: v.resultClass } : {}) } }));
    }
    case 'DispatchReply':
      return data(api.POST('/api/v1/proposals/{id}/replies/{unitId}/dispatch', { params: { path: { id, unitId }, header: headers }, body: {} }));
    case 'EvaluateReply':
      return data(
        api.POST('/api/v1/proposals/{id}/evaluations', {
          params: { path, header: headers },
          body: { unitId, satisfaction: v.satisfaction ?? 'satisfied', ...(v.attitude ? { attitude: v.attitude } : {}), ...(v.result ? { result: v.result } : {}), ...optional('comment', v.comment) },
        }),
      );
    case 'OrderRehandling':
      return data(api.POST('/api/v1/proposals/{id}/rehandling', { params: { path, header: headers }, body: { reason: text(v.reason) } }));
    case 'ExtendDeadline':
      return data(
        api.POST('/api/v1/proposals/{id}/extensions', {
          params: { path, header: headers },
          body: { reason: text(v.reason), ...optional('unitId', v.unitId), ...optional('until', v.until), ...optional('consentedBy', v.consentedBy) },
        }),
      );
    case 'UrgeUnit':
      return data(api.POST('/api/v1/proposals/{id}/urges', { params: { path, header: headers }, body: { message: text(v.message), ...optional('unitId', v.unitId) } }));
    case 'CloseProposal':
      return data(api.POST('/api/v1/proposals/{id}/closure', { params: { path, header: headers }, body: {} }));
    case 'PublishReply':
      return data(api.POST('/api/v1/proposals/{id}/replies/{unitId}/publication', { params: { path: { id, unitId }, header: headers }, body: { ...optional('publicText', v.publicText) } }));
    case 'FulfilCommitment':
      return data(api.POST('/api/v1/proposals/{id}/commitments/{commitmentId}/fulfilment', { params: { path: { id, commitmentId: action.commitmentId ?? '' }, header: headers }, body: { note: text(v.note) } }));
    case 'ReturnCommitmentReceipt':
      return data(api.POST('/api/v1/proposals/{id}/commitments/{commitmentId}/receipt', { params: { path: { id, commitmentId: action.commitmentId ?? '' }, header: headers }, body: { ...optional('comment', v.comment) } }));
    default:
      return Promise.reject(new Error(`The console has no form for ${action.command}`));
  }
}

/** Commands that need no input: a confirmation is enough. */
export const CONFIRM_ONLY = new Set(['AcknowledgeAssignment', 'SignReply', 'DispatchReply', 'CloseProposal']);
