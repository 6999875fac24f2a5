import {
  personalDataOfCommand,
  personalDataOfEvent,
  type ProposalCommand,
  type ProposalEvent,
  type ProposalState,
  refuse,
  replaceAt,
  SUBJECT_PATTERN,
} from '@banli/domain';
import type { PersonalDataVault } from '../sqlite/personal-data.vault';

let placeholders = 0;

/** A command with its personal values sealed as far as can be without writing, and the seals still to make. */
export interface PreparedCommand {
  readonly command: ProposalCommand;
  /** Placeholder → whose value, for the persons who have no key yet. */
  readonly pending: ReadonlyMap<string, { readonly subject: string; readonly field: string; readonly value: string }>;
}

/**
 * The first half of the command path's personal-data step, before the command is decided (its input
 * refused already if it carries a sealed-looking value anywhere): each personal value is sealed under its person's
 * existing key (deterministically, so a repeated command is still a repeat), and stands as a placeholder
 * for a person without one. Nothing is written: a command refused now, or by the decider, leaves no key.
 */
export function preparePersonalData(
  vault: PersonalDataVault,
  proposalId: string,
  command: ProposalCommand,
  state: ProposalState,
  /** Seals still to make from earlier commands of one batch (an imported item): a value again takes the same placeholder. */
  pending = new Map<string, { subject: string; field: string; value: string }>(),
): PreparedCommand {
  // Placeholders never leave this process: a counter tells them apart (input carrying one is refused).
  const nonce = (placeholders = (placeholders + 1) % Number.MAX_SAFE_INTEGER).toString(36);
  let data = command.data as Record<string, unknown>;
  for (const personal of personalDataOfCommand(proposalId, command, state)) {
    if (typeof personal.value !== 'string') continue;
    if (!SUBJECT_PATTERN.test(personal.subject)) refuse('VALIDATION_FAILED', `${personal.subject} cannot hold personal data: ids are letters, digits, '.', '_' and '-'`, { field: personal.path.join('.') });
    let sealed = vault.sealWithExistingKey(personal.subject, personal.value, personal.field);
    if (sealed === undefined) {
      sealed = [...pending].find(([, p]) => p.subject === personal.subject && p.field === personal.field && p.value === personal.value)?.[0];
    }
    if (sealed === undefined) {
      sealed = `pii:pending:${nonce}:${pending.size}`;
      pending.set(sealed, { subject: personal.subject, field: personal.field, value: personal.value });
    }
    data = replaceAt(data, personal.path, sealed);
  }
  return { command: { ...command, data } as ProposalCommand, pending };
}

/**
 * The second half, once the command is authorised and decided: the keys the decided events need are
 * created (one write for all the persons of the batch), and each placeholder is replaced by the value
 * sealed under its person's new key, at the personal field it landed in and for no other person.
 */
export async function sealDecided(vault: PersonalDataVault, prepared: Pick<PreparedCommand, 'pending'>, proposalId: string, events: readonly ProposalEvent[]): Promise<ProposalEvent[]> {
  if (prepared.pending.size === 0) return [...events];
  // Every seal of the batch is asked for at once: the vault writes their keys in one transaction.
  const sealed = await Promise.all(
    events.map(async (e) => {
      let data = e.data as Record<string, unknown>;
      const places = personalDataOfEvent(proposalId, e.type, e.schemaVersion, data).flatMap((personal) => {
        const waiting = typeof personal.value === 'string' ? prepared.pending.get(personal.value) : undefined;
        if (!waiting) return [];
        if (waiting.subject !== personal.subject) throw new Error(`A personal value of ${waiting.subject} landed in a field of ${personal.subject}`);
        return [{ path: personal.path, seal: vault.seal(personal.subject, waiting.value, personal.field) }];
      });
      for (const place of places) data = replaceAt(data, place.path, await place.seal);
      if (JSON.stringify(data).includes('pii:pending:')) throw new Error(`${e.type} holds a personal value outside its personal fields`);
      return { ...e, data } as ProposalEvent;
    }),
  );
  return sealed;
}
