import { type ContactDetail, redactContactDetails } from './contact-details';

/**
 * The public version of a reply letter (公开): the text with every contact detail redacted. The contact
 * person and phone the letter is sent with are fields of their own and are never part of it.
 */
export function publicVersion(text: string): { readonly text: string; readonly found: readonly ContactDetail[] } {
  return redactContactDetails(text);
}
