import { CONTACT_NUMBER_KINDS, type ContactDetailKind, findContactDetails } from '../disclosure/contact-details';
import { compareInstants } from '../shared/calendar-date';
import { backdatedBeforeRecordedBreach } from './deadline-schedule';
import type { ProposalCommand } from './proposal.commands';
import type { ProposalEvent } from './proposal.events';
import type { ProposalState } from './proposal.state';

/** A note for the caller about a command: recorded as it was, but worth a second look. */
export interface CommandWarning {
  readonly code: 'CONTACT_DETAILS_IN_TEXT' | 'BACKDATED_BEFORE_RECORDED_BREACH';
  readonly field: string;
  readonly kinds?: readonly ContactDetailKind[];
  readonly deadlineIds?: readonly string[];
  readonly detail: string;
}

/**
 * Telephone numbers and e-mail addresses typed into free text (a reply's body, document number, CC list
 * or commitments, a contact summary, a co-opinion, an urging notice, an item's title) are recorded in the
 * clear, forever, and no erasure reaches them: the caller is told, so they can move them to the contact
 * fields (sealed, erasable) before the reply is signed. Public versions redact them anyway.
 */
export function commandWarnings(command: ProposalCommand): CommandWarning[] {
  const check = (field: string, value: unknown): CommandWarning[] => {
    if (typeof value !== 'string') return [];
    const kinds = [...new Set(findContactDetails(value).map((d) => d.kind))].filter((k) => CONTACT_NUMBER_KINDS.includes(k));
    return kinds.length === 0
      ? []
      : [{ code: 'CONTACT_DETAILS_IN_TEXT', field, kinds, detail: `${field} contains contact details (${kinds.join(', ')}): they are kept in the clear and cannot be erased; the contact fields are the place for them` }];
  };
  switch (command.type) {
    case 'SubmitProposal':
      return check('title', command.data.title);
    case 'DraftReply':
      return [
        ...check('body', command.data.body),
        ...check('documentNumber', command.data.documentNumber),
        ...(Array.isArray(command.data.cc) ? command.data.cc.flatMap((c, i) => check(`cc[${i}]`, c)) : []),
        ...(Array.isArray(command.data.commitments) ? command.data.commitments.flatMap((c, i) => check(`commitments[${i}].description`, c?.description)) : []),
      ];
    case 'RecordContact':
      return check('summary', command.data.summary);
    case 'SubmitCoOpinion':
      return check('content', command.data.content);
    case 'UrgeUnit':
      return check('message', command.data.message);
    default:
      return [];
  }
}

/**
 * What the decided events mean for the caller: a step dated before a breach the system had already
 * recorded met its deadline late, though its date is on time; the office can confirm it on time.
 */
export function decisionWarnings(state: ProposalState, events: readonly ProposalEvent[]): CommandWarning[] {
  if (state.status === 'empty') return [];
  const late = events.flatMap((e) => {
    if (e.type !== 'DeadlineMet' || e.data.onTime) return [];
    const deadline = state.deadlines[e.data.deadlineId];
    return deadline && compareInstants(e.data.metAt, deadline.dueAt) <= 0 && backdatedBeforeRecordedBreach(deadline, e.data.metAt) ? [deadline.id] : [];
  });
  return late.length === 0
    ? []
    : [
        {
          code: 'BACKDATED_BEFORE_RECORDED_BREACH',
          field: 'occurredAt',
          deadlineIds: late,
          detail: `The system had recorded ${late.join(', ')} as breached: a step dated before that counts as met late. The office can confirm it on time with a reason (POST …/deadlines/{deadlineId}/on-time-confirmation).`,
        },
      ];
}
