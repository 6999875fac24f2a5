import {
  type Actor,
  authorize,
  type CommandWarning,
  commandWarnings,
  decide,
  decisionWarnings,
  type EventMetadata,
  fold,
  type ProposalCommand,
  type ProposalEvent,
  type ProposalState,
  proposalStreamId,
  refuseSealedValues,
  type RecordedProposalEvent,
  type RuleSetCatalog,
  type WorkingDayCalendar,
  upcast,
} from '@banli/domain';
import { ConcurrencyError, type EventStore, type FoldableEvent, type NewEvent, newEventId, type StoredEvent } from '@banli/event-store';
import { preparePersonalData, sealDecided } from './personal-data/personal-data.sealing';
import { PersonalDataVault } from './sqlite/personal-data.vault';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { HttpProblem } from './problem';
import { CLOCK, DOMAIN_SERVICES, EVENT_STORE } from './tokens';

export interface DomainServices {
  readonly calendar: WorkingDayCalendar;
  readonly ruleSets: RuleSetCatalog;
  readonly defaultRuleSet: string;
}

export interface CommandOptions {
  readonly actor: Actor;
  readonly occurredAt?: string;
  /** The revision the caller last saw (`If-Match`): refuse rather than re-decide if the item moved on. */
  readonly ifMatch?: number;
  readonly correlationId?: string;
}

export interface CommandResult {
  readonly id: string;
  readonly revision: number;
  readonly status: string;
  readonly events: readonly ProposalEvent[];
  /** What the caller is told about the command's input (contact details typed into free text). */
  readonly warnings: readonly CommandWarning[];
}

const MAX_ATTEMPTS = 5;
const CACHED_STREAMS = 10_000;

interface Cached {
  state: ProposalState;
  revision: number;
  events: StoredEvent[];
}

/** A stored event as the domain folds it: brought up to its type's current schema version. */
export function toRecorded(event: FoldableEvent & Pick<StoredEvent, 'actor' | 'correlationId' | 'causationId'>): RecordedProposalEvent {
  const { schemaVersion, data } = upcast(event.type, event.schemaVersion, event.data);
  // Built field by field rather than spread: replays call this for every event in the store.
  const metadata: { -readonly [K in keyof EventMetadata]: EventMetadata[K] } = { occurredAt: event.occurredAt, recordedAt: event.recordedAt };
  if (event.actor) metadata.actor = event.actor as Actor;
  if (event.correlationId) metadata.correlationId = event.correlationId;
  if (event.causationId) metadata.causationId = event.causationId;
  return { type: event.type, schemaVersion, data, metadata } as RecordedProposalEvent;
}

/**
 * The one path every proposal command takes: load the stream, ask the access policy, decide, append
 * at the revision it was decided on. A concurrent append makes it re-read and decide again, unless the
 * caller pinned the revision with If-Match.
 */
@Injectable()
export class ProposalCommandService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DOMAIN_SERVICES) private readonly domain: DomainServices,
    @Inject(CLOCK) private readonly clock: () => Date,
    private readonly personalData: PersonalDataVault,
  ) {}

  private readonly cache = new Map<string, Cached>();

  /**
   * The item now, or as recorded before an instant. Current reads start from a cached fold and ask the
   * store only for what came after it, so another process's appends are always seen.
   */
  async load(proposalId: string, recordedBefore?: string): Promise<{ state: ProposalState; revision: number; events: StoredEvent[] }> {
    const stream = proposalStreamId(proposalId);
    if (recordedBefore !== undefined) {
      const events = await this.store.readStream(stream, { recordedBefore });
      return { state: fold(events.map(toRecorded)), revision: events.length - 1, events };
    }
    const cached = this.cache.get(proposalId);
    const newer = await this.store.readStream(stream, { fromRevision: (cached?.revision ?? -1) + 1 });
    if (cached && newer.length === 0) return cached;
    const next: Cached = {
      state: fold(newer.map(toRecorded), cached?.state),
      revision: (cached?.revision ?? -1) + newer.length,
      events: cached ? [...cached.events, ...newer] : newer,
    };
    if (next.revision >= 0) {
      this.cache.delete(proposalId); // re-inserted last: the Map's order is the eviction order
      if (this.cache.size >= CACHED_STREAMS) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(proposalId, next);
    }
    return next;
  }

  /** Authorises a command again, on the item as it is now, without deciding it: before a stored answer is replayed. */
  async authorizeReplay(proposalId: string, command: ProposalCommand, actor: Actor, backdated: boolean): Promise<void> {
    const { state } = await this.load(proposalId);
    if (state.status === 'empty' && command.type !== 'SubmitProposal') throw new HttpProblem(404, 'NOT_FOUND', `No proposal ${proposalId}`);
    authorize(command, state, actor, { backdated });
  }

  /** Commands on one item from this process take turns: racing each other to the same revision only wastes attempts. */
  private readonly lanes = new Map<string, Promise<unknown>>();

  async execute(proposalId: string, sent: ProposalCommand, options: CommandOptions): Promise<CommandResult> {
    const run = (this.lanes.get(proposalId) ?? Promise.resolve()).catch(() => undefined).then(() => this.decideAndAppend(proposalId, sent, options));
    this.lanes.set(proposalId, run);
    try {
      return await run;
    } finally {
      if (this.lanes.get(proposalId) === run) this.lanes.delete(proposalId);
    }
  }

  private async decideAndAppend(proposalId: string, sent: ProposalCommand, options: CommandOptions): Promise<CommandResult> {
    refuseSealedValues(sent.data, 'The command');
    const warnings = commandWarnings(sent);
    for (let attempt = 1; ; attempt++) {
      const { state, revision } = await this.load(proposalId);
      if (options.ifMatch !== undefined && options.ifMatch !== revision) {
        throw new HttpProblem(412, 'REVISION_MISMATCH', `The item is at revision ${revision}, not ${options.ifMatch}`, { revision });
      }
      if (state.status === 'empty' && sent.type !== 'SubmitProposal') {
        throw new HttpProblem(404, 'NOT_FOUND', `No proposal ${proposalId}`);
      }
      authorize(sent, state, options.actor, { backdated: options.occurredAt !== undefined });
      // Personal values are sealed under keys that exist; a person's first key is written only once decided.
      const prepared = preparePersonalData(this.personalData, proposalId, sent, state);
      const now = this.clock().toISOString();
      const decisions = decide(prepared.command, state, {
        now,
        actor: options.actor,
        ...(options.occurredAt === undefined ? {} : { occurredAt: options.occurredAt }),
        calendar: this.domain.calendar,
        ruleSets: this.domain.ruleSets,
        defaultRuleSet: this.domain.defaultRuleSet,
      });
      if (decisions.length === 0) return { id: proposalId, revision, status: state.status, events: [], warnings };
      const told = [...warnings, ...decisionWarnings(state, decisions)];
      const decided = await sealDecided(this.personalData, prepared, proposalId, decisions);
      const occurredAt = new Date(options.occurredAt ?? now).toISOString();
      const correlationId = options.correlationId ?? randomUUID();
      const newEvents: NewEvent[] = decided.map((e) => ({
        eventId: newEventId(),
        type: e.type,
        schemaVersion: e.schemaVersion,
        data: e.data,
        occurredAt,
        actor: options.actor,
        correlationId,
      }));
      try {
        const appended = await this.store.append(proposalStreamId(proposalId), newEvents, revision < 0 ? 'no-stream' : revision);
        const after = fold(
          decided.map((e) => ({ ...e, metadata: { occurredAt } }) as RecordedProposalEvent),
          state,
        );
        return { id: proposalId, revision: appended.revision, status: after.status, events: decided, warnings: told };
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
        if (options.ifMatch !== undefined) throw new HttpProblem(412, 'REVISION_MISMATCH', 'The item moved on while the command was decided', {});
        if (attempt >= MAX_ATTEMPTS) throw new HttpProblem(409, 'REVISION_MISMATCH', 'The item is changing too fast; try again');
      }
    }
  }
}
