import { type Actor, authorize, type CommandStep, type CommandWarning, fold, type ProposalCommand, type ProposalEvent, type ProposalState, proposalStreamId, type RuleSetCatalog, type WorkingDayCalendar } from '@banli/domain';
import { type CommandContext, CommandLanes, handleCommand, ItemNotFoundError, PersonalDataVault, toRecorded } from '@banli/application';
import type { EventStore, StoredEvent } from '@banli/event-store';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
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

const CACHED_STREAMS = 10_000;

interface Cached {
  state: ProposalState;
  revision: number;
  events: StoredEvent[];
}

/**
 * The service's side of the command path: a cache of folded items, so a command reads only what came
 * after it, and per-item lanes; the path itself is `handleCommand` (libs/application).
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
    if (state.status === 'empty' && command.type !== 'SubmitProposal') throw new ItemNotFoundError(proposalId);
    authorize(command, state, actor, { backdated });
  }

  private readonly lanes = new CommandLanes();

  /** Runs a command through the one command path (`handleCommand`), one at a time per item in this process. */
  execute(proposalId: string, sent: ProposalCommand, options: CommandOptions): Promise<CommandResult> {
    return this.lanes.run(proposalId, async () => {
      // Built field by field, not spread: this runs for every command (bench:api).
      const step: { -readonly [K in keyof CommandStep]: CommandStep[K] } = { command: sent, actor: options.actor };
      if (options.occurredAt !== undefined) (step.occurredAt = options.occurredAt), (step.backdated = true);
      const context: { -readonly [K in keyof CommandContext]: CommandContext[K] } = {
        calendar: this.domain.calendar,
        ruleSets: this.domain.ruleSets,
        defaultRuleSet: this.domain.defaultRuleSet,
        clock: this.clock,
        personalData: this.personalData,
        correlationId: options.correlationId ?? randomUUID(),
        load: () => this.load(proposalId),
      };
      if (options.ifMatch !== undefined) context.expected = options.ifMatch;
      const outcome = await handleCommand(this.store, proposalStreamId(proposalId), step, context);
      return { id: proposalId, revision: outcome.revision, status: outcome.state.status, events: outcome.events, warnings: outcome.warnings };
    });
  }
}
