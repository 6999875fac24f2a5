import { type Actor, ChineseDaysCalendar, command, type CommandStep, PROPOSAL_COMMAND_TYPES, type ProposalCommandType, proposalStreamId, refuseSealedValues, ruleSetCatalog } from '@banli/domain';
import { type EventStore, newEventId } from '@banli/event-store';
import { handleCommands, type PersonalDataVault, RevisionMismatchError, UnitsDirectory } from '@banli/application';
import { type BanliConfig, HttpProblem, loadRuleSets, proposalIdFor } from '@banli/platform';
import { importedActor, unitsNamed, validateImportedStep } from './import-steps';

interface ImportStep {
  readonly command: string;
  readonly data?: Record<string, unknown>;
  readonly occurredAt: string;
  readonly actor?: unknown;
}

const MIGRATION = { id: 'legacy-import', name: '数据迁移', roles: ['office'], via: 'import' } as const satisfies Actor & { via: 'import' };

export interface ImportOutcome {
  readonly line: number;
  readonly item?: string;
  /** `skipped`: another import recorded the item meanwhile. */
  readonly outcome: 'imported' | 'already there' | 'skipped' | 'refused';
  readonly events?: number;
  readonly status?: string;
  readonly code?: string;
  readonly detail?: string;
}

export interface ImportCounts {
  readonly imported: number;
  readonly skipped: number;
  readonly refused: number;
}

/**
 * One line per item: `{"submit": {kind, session, number, title, body, proposers}, "submittedAt": "…",
 * "steps": [{"command": "RegisterProposal", "data": {…}, "occurredAt": "…", "actor"?: {…}}, …]}`.
 * Each step is validated as its API route validates it (the same DTO, units known to the directory, an
 * actor with roles Banli knows, recorded as imported), then decided in order, back-dated to when it
 * happened, by the same decider and access policy as the service; the item is appended whole, or not at
 * all when a step is refused (and then no personal-data key is written for it either). An item already
 * there is left as it is, so a run again changes nothing. `undefined` is a line too long to read.
 * Used by `banli import FILE` and by `POST /api/v1/imports`.
 */
export async function importItems(
  lines: AsyncIterable<string | undefined> | Iterable<string | undefined>,
  deps: { readonly store: EventStore; readonly config: BanliConfig; readonly vault: PersonalDataVault; readonly maxLineBytes: number; readonly clock?: () => Date; readonly importedBy?: string },
  report: (outcome: ImportOutcome) => void,
): Promise<ImportCounts> {
  const { store, config, vault } = deps;
  const ruleSets = ruleSetCatalog(loadRuleSets(config.ruleSetsDir));
  const calendar = new ChineseDaysCalendar();
  const units = new UnitsDirectory(store);
  const counts = { imported: 0, skipped: 0, refused: 0 };
  let index = 0;
  for await (const line of lines) {
    index += 1;
    if (line === undefined) {
      counts.refused += 1;
      report({ line: index, outcome: 'refused', code: 'VALIDATION_FAILED', detail: `the line is longer than ${deps.maxLineBytes} bytes` });
      continue;
    }
    if (line.trim() === '') continue;
    try {
      // A file saved by Windows tools starts with a byte-order mark: it is not part of the JSON.
      const parsed: unknown = JSON.parse(index === 1 ? line.replace(/^\uFEFF/, '') : line);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('each line must be one JSON object: {"submit": …, "submittedAt": …, "steps": […]}');
      const entry = parsed as { submit?: Record<string, unknown>; submittedAt?: string; steps?: ImportStep[] };
      const submit = entry.submit;
      if (!submit || typeof submit.kind !== 'string' || typeof submit.session !== 'string' || typeof submit.number !== 'string') throw new Error('submit needs kind, session and number');
      if (typeof entry.submittedAt !== 'string' || Number.isNaN(Date.parse(entry.submittedAt))) throw new Error('submittedAt must be an instant');
      if (entry.steps !== undefined && !Array.isArray(entry.steps)) throw new Error('steps must be a list');
      const id = proposalIdFor(submit.kind, submit.session, submit.number);
      const stream = proposalStreamId(id);
      if ((await store.readStream(stream)).length > 0) {
        counts.skipped += 1;
        report({ line: index, item: id, outcome: 'already there' });
        continue;
      }
      const steps: ImportStep[] = [{ command: 'SubmitProposal', data: { ...submit, proposalId: id }, occurredAt: entry.submittedAt }, ...(entry.steps ?? [])];
      const plan: CommandStep[] = [];
      for (const [n, step] of steps.entries()) {
        const label = n === 0 ? 'submit' : `steps[${n - 1}]`;
        if (!step || typeof step !== 'object' || !PROPOSAL_COMMAND_TYPES.includes(step.command as ProposalCommandType)) throw new Error(`${label}: unknown command ${String(step?.command)}`);
        if (typeof step.occurredAt !== 'string' || Number.isNaN(Date.parse(step.occurredAt))) throw new Error(`${label}: occurredAt must be an instant`);
        const data = (step.data ?? {}) as Record<string, unknown>;
        refuseSealedValues(data, label);
        await validateImportedStep(label, step.command as ProposalCommandType, data);
        const actor = step.actor === undefined ? MIGRATION : importedActor(label, step.actor);
        const unknown = await units.unknown(unitsNamed(data, actor));
        if (unknown.length > 0) throw new HttpProblem(422, 'UNKNOWN_UNIT', `${label}: not in the units directory: ${unknown.join(', ')}`);
        // Every imported step happened when the legacy system says: its date is history, not a live
        // caller back-dating, so each actor's roles are checked as for the step itself (a proposer rates).
        plan.push({ command: command(step.command as ProposalCommandType, data as never), actor, occurredAt: new Date(step.occurredAt).toISOString() });
      }
      // The item arrives whole, in one append, or not at all (its persons' keys included).
      const outcome = await handleCommands(store, stream, plan, {
        calendar,
        ruleSets,
        defaultRuleSet: config.defaultRuleSet,
        clock: deps.clock ?? (() => new Date()),
        personalData: vault,
        expected: 'no-stream',
        correlationId: deps.importedBy === undefined ? `import:${index}` : `import:${deps.importedBy}:${index}`,
        eventId: (_step, occurredAt) => newEventId(Date.parse(occurredAt)),
      });
      counts.imported += 1;
      report({ line: index, item: id, outcome: 'imported', events: outcome.events.length, status: outcome.state.status });
    } catch (error) {
      if (error instanceof RevisionMismatchError) {
        counts.skipped += 1;
        report({ line: index, outcome: 'skipped' });
        continue;
      }
      counts.refused += 1;
      const e = error as Error & { code?: string };
      report({ line: index, outcome: 'refused', ...(e.code ? { code: e.code } : {}), detail: e.message });
    }
  }
  return counts;
}
