import type { ProposalCommand } from '../proposal/proposal.commands';
import { CONTACT_NUMBER_KINDS, type ContactDetail, type ContactDetailKind, findContactDetails, redactContactDetails } from './contact-details';

/**
 * The public version of a reply letter (公开): the text with every contact detail redacted. The contact
 * person and phone the letter is sent with are fields of their own and are never part of it.
 */
export function publicVersion(text: string): { readonly text: string; readonly found: readonly ContactDetail[] } {
  return redactContactDetails(text);
}

/** A note for the caller about what a command carried: recorded as it was, but worth a second look. */
export interface CommandWarning {
  readonly code: 'CONTACT_DETAILS_IN_TEXT';
  readonly field: string;
  readonly kinds: readonly ContactDetailKind[];
  readonly detail: string;
}

/**
 * Telephone numbers and e-mail addresses typed into a reply's body or a contact summary are recorded
 * in the clear, forever, and no erasure reaches them: the handler is told, so they can move them to the
 * contact fields (sealed, erasable) before the reply is signed. The public version redacts them anyway.
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
    case 'DraftReply':
      return check('body', command.data.body);
    case 'RecordContact':
      return check('summary', command.data.summary);
    default:
      return [];
  }
}
