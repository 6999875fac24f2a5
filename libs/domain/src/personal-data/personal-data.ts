import { refuse } from '../shared/domain-error';
import type { ProposalCommand } from '../proposal/proposal.commands';
import { handlingOf, type ProposalState, trackOf } from '../proposal/proposal.state';

/**
 * Personal data is known by where it sits, never by what it looks like. These are the fields Banli
 * treats as personal: a proposer's phone, and the name and phone of the contact person a unit prints on
 * its reply letter. Only they are sealed on the way in (under a key of their person, kept outside the
 * event store) and opened on the way out, each against the person its key belongs to. Proposers' names
 * are not among them: deputies and members act in public office, and their names are on every reply.
 */
export type PersonalField = 'proposer-phone' | 'contact-name' | 'contact-phone';

/** A personal value in recorded or commanded data: which field, whose, and where. */
export interface PersonalValue {
  readonly field: PersonalField;
  /** Whose it is: `proposer:<id>` or `reply-contact:<item id>:<unit id>`; the key it is sealed under is theirs. */
  readonly subject: string;
  readonly path: readonly (string | number)[];
  readonly value: unknown;
}

export const SUBJECT_PATTERN = /^(proposer:[A-Za-z0-9][A-Za-z0-9._-]{0,127}|reply-contact:[A-Za-z0-9][A-Za-z0-9._-]{0,127}:[A-Za-z0-9][A-Za-z0-9._-]{0,127})$/;

export function proposerSubject(proposerId: string): string {
  return `proposer:${proposerId}`;
}

/** The contact person of a unit's reply: one person per reply track (the track's unit names it). */
export function replyContactSubject(proposalId: string, unitId: string): string {
  return `reply-contact:${proposalId}:${unitId}`;
}

/**
 * A sealed value (`pii:v1:<key id>:<sealed>`), or a seal the command path has still to make
 * (`pii:pending:<n>`), anywhere in a string. No command input may carry one: a value sealed for one
 * person, pasted into another field, must never be opened there, and is refused before that could matter.
 */
const LOOKS_SEALED = /pii:(?:v\d+|pending):/i;

export function looksSealed(value: unknown): boolean {
  return typeof value === 'string' && LOOKS_SEALED.test(value);
}

/** Whether any string in the value looks sealed: a walk that builds no paths, for the common case of none. */
function anySealedLooking(v: unknown, depth: number): boolean {
  if (typeof v === 'string') return v.length >= 7 && LOOKS_SEALED.test(v);
  if (depth > 64 || v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) {
    for (const item of v) if (anySealedLooking(item, depth + 1)) return true;
    return false;
  }
  for (const key in v as Record<string, unknown>) if (anySealedLooking((v as Record<string, unknown>)[key], depth + 1)) return true;
  return false;
}

/** Where in the value a string looks sealed (`proposers[0].phone`), if anywhere. */
export function sealedLookingPath(value: unknown, skip: ReadonlySet<string> = new Set()): string | undefined {
  if (!anySealedLooking(value, 0)) return undefined;
  const visit = (v: unknown, path: string, depth: number): string | undefined => {
    if (depth > 64) return undefined;
    if (typeof v === 'string') return !skip.has(path) && LOOKS_SEALED.test(v) ? path || '(value)' : undefined;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const found = visit(v[i], `${path}[${i}]`, depth + 1);
        if (found) return found;
      }
      return undefined;
    }
    if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        const found = visit(child, path ? `${path}.${k}` : k, depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  };
  return visit(value, '', 0);
}

/** Refuses input that carries a sealed-looking value anywhere (`SEALED_VALUE_IN_INPUT`). */
export function refuseSealedValues(input: unknown, what = 'The input'): void {
  const path = sealedLookingPath(input);
  if (path !== undefined) {
    refuse('SEALED_VALUE_IN_INPUT', `${what} carries a sealed personal-data value at ${path}; send the value itself, or nothing`, { field: path });
  }
}

export function pathText(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

const proposerPhones = (proposers: unknown, base: (string | number)[]): PersonalValue[] =>
  Array.isArray(proposers)
    ? proposers.flatMap((p, i) =>
        p && typeof p === 'object' && typeof (p as { id?: unknown }).id === 'string' && (p as { phone?: unknown }).phone !== undefined
          ? [{ field: 'proposer-phone' as const, subject: proposerSubject((p as { id: string }).id), path: [...base, i, 'phone'], value: (p as { phone: unknown }).phone }]
          : [],
      )
    : [];

/**
 * The personal values an event holds, as it is stored (any schema version): proposers' phones in
 * `ProposalSubmitted` and `MergedProposalAbsorbed`, the reply's contact in `ReplyDrafted`.
 */
export function personalDataOfEvent(proposalId: string, type: string, schemaVersion: number, data: unknown): PersonalValue[] {
  if (!data || typeof data !== 'object') return [];
  const d = data as Record<string, unknown>;
  switch (type) {
    case 'ProposalSubmitted':
    case 'MergedProposalAbsorbed':
      return proposerPhones(d.proposers, ['proposers']);
    case 'ReplyDrafted': {
      if (typeof d.unitId !== 'string') return [];
      const subject = replyContactSubject(proposalId, d.unitId);
      if (schemaVersion < 2) {
        return [
          ...(d.contactPerson === undefined ? [] : [{ field: 'contact-name' as const, subject, path: ['contactPerson'], value: d.contactPerson }]),
          ...(d.contactPhone === undefined ? [] : [{ field: 'contact-phone' as const, subject, path: ['contactPhone'], value: d.contactPhone }]),
        ];
      }
      const contact = d.contact as Record<string, unknown> | undefined;
      if (!contact || typeof contact !== 'object') return [];
      return [
        ...(contact.name === undefined ? [] : [{ field: 'contact-name' as const, subject, path: ['contact', 'name'], value: contact.name }]),
        ...(contact.phone === undefined ? [] : [{ field: 'contact-phone' as const, subject, path: ['contact', 'phone'], value: contact.phone }]),
      ];
    }
    default:
      return [];
  }
}

/**
 * The personal values a command carries, with the person each belongs to on this item as it stands: a
 * draft's contact belongs to the reply track the drafting unit answers through.
 */
export function personalDataOfCommand(proposalId: string, command: ProposalCommand, state: ProposalState): PersonalValue[] {
  switch (command.type) {
    case 'SubmitProposal':
      return proposerPhones(command.data.proposers, ['proposers']);
    case 'DraftReply': {
      const handling = handlingOf(state);
      const unitId = (handling && typeof command.data.unitId === 'string' ? trackOf(handling, command.data.unitId)?.unitId : undefined) ?? command.data.unitId;
      if (typeof unitId !== 'string') return [];
      const subject = replyContactSubject(proposalId, unitId);
      return [
        { field: 'contact-name' as const, subject, path: ['contactPerson'], value: command.data.contactPerson },
        { field: 'contact-phone' as const, subject, path: ['contactPhone'], value: command.data.contactPhone },
      ].filter((v) => typeof v.value === 'string' && v.value.trim() !== '');
    }
    default:
      return [];
  }
}

/**
 * A sealed-looking string in an event outside its personal fields: what a forged or corrupted message
 * would carry (a number sealed for one person, pasted where another reader would see it opened).
 */
export function sealedOutsidePersonalData(proposalId: string, type: string, schemaVersion: number, data: unknown): string | undefined {
  const personal = new Set(personalDataOfEvent(proposalId, type, schemaVersion, data).map((v) => pathText(v.path)));
  return sealedLookingPath(data, personal);
}

/** A copy of `data` with the value at `path` replaced (`remove`: taken out). Plain data only. */
export function replaceAt<T>(data: T, path: readonly (string | number)[], value: unknown, remove = false): T {
  if (path.length === 0) return value as T;
  const [head, ...rest] = path;
  if (Array.isArray(data)) {
    const copy = [...data];
    copy[head as number] = replaceAt(copy[head as number], rest, value, remove);
    return copy as T;
  }
  if (data && typeof data === 'object') {
    const copy: Record<string, unknown> = { ...(data as Record<string, unknown>) };
    if (rest.length === 0 && remove) delete copy[head as string];
    else copy[head as string] = replaceAt(copy[head as string], rest, value, remove);
    return copy as T;
  }
  return data;
}
