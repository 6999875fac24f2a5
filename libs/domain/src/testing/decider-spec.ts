import { ChineseDaysCalendar } from '../calendar/chinese-days.calendar';
import type { WorkingDayCalendar } from '../calendar/working-day-calendar.port';
import { builtInRuleSets } from '../rule-sets/built-in.rule-sets';
import cqNpc2017 from '../rule-sets/data/cq-npc-2017.json';
import { parseRuleSet, type RuleSet, ruleSetCatalog, type RuleSetCatalog } from '../rule-sets/rule-set';
import type { Actor } from '../shared/actor';
import type { Instant } from '../shared/calendar-date';
import { DomainError, type DomainErrorCode } from '../shared/domain-error';
import { command, type CommandDataByType, type ProposalCommand, type ProposalCommandType } from '../proposal/proposal.commands';
import { decideStep } from '../proposal/command-step';
import { decide, type DecisionContext } from '../proposal/proposal.decider';
import type { ProposalEvent, RecordedProposalEvent } from '../proposal/proposal.events';
import { evolve, fold } from '../proposal/proposal.evolve';
import { INITIAL_STATE, type ProposalState } from '../proposal/proposal.state';

export const calendar: WorkingDayCalendar = new ChineseDaysCalendar();

/**
 * Chongqing's periods with every proposer's rating counted (as the seeds' system and Shanghai do): the
 * specs of rules that only show with co-signers who rate. Chongqing itself has the lead deputy rate (第二十六条).
 */
export const CQ_EVERY_PROPOSER: RuleSet = parseRuleSet({ ...cqNpc2017, id: 'cq-every-proposer', verification: 'assumed', evaluation: { counts: 'every-proposer' } }, 'cq-every-proposer.json');

export function catalogWith(...extra: RuleSet[]): RuleSetCatalog {
  return ruleSetCatalog([...builtInRuleSets().ids().map((id) => builtInRuleSets().get(id)!), CQ_EVERY_PROPOSER, ...extra]);
}

export const actors = {
  office: { id: 'clerk-1', name: '提案委 办事员', roles: ['office'] } as Actor,
  handler: (unit: string): Actor => ({ id: `handler@${unit}`, name: `${unit} 承办人`, unit, roles: ['handler'] }),
  signer: (unit: string): Actor => ({ id: `signer@${unit}`, name: `${unit} 签发人`, unit, roles: ['signer'] }),
  supervisor: (unit: string): Actor => ({ id: `supervisor@${unit}`, unit, roles: ['supervisor'] }),
  proposer: (id: string): Actor => ({ id, roles: ['proposer'] }),
  system: { id: 'deadline-scheduler', roles: ['system'] } as Actor,
  auditor: { id: 'auditor-1', roles: ['auditor'] } as Actor,
};

export interface When {
  readonly actor: Actor;
  readonly now: Instant;
  readonly occurredAt?: Instant;
  /** Set false to ask the decider alone, without the access policy in front of it. */
  readonly policy?: boolean;
}

/** Deep-freezes a state so a decider that mutates it fails loudly. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/**
 * Builds an item's history by running real commands through the command path's `decideStep`, so every
 * "given" in a spec is a history the system itself could have recorded.
 */
export class Story {
  readonly events: RecordedProposalEvent[] = [];
  state: ProposalState = INITIAL_STATE;

  constructor(readonly ruleSets: RuleSetCatalog = catalogWith(), readonly defaultRuleSet = 'cq-npc-2017') {}

  /** The story's events as a store is asked to append them; as another item's when given its id. */
  toAppend(proposalId?: string) {
    return this.events.map((e) => ({
      type: e.type,
      schemaVersion: e.schemaVersion,
      data: proposalId !== undefined && e.type === 'ProposalSubmitted' ? { ...e.data, proposalId } : e.data,
      occurredAt: e.metadata.occurredAt,
      ...(e.metadata.actor ? { actor: e.metadata.actor } : {}),
    }));
  }

  context(when: When): DecisionContext {
    return {
      now: when.now,
      actor: when.actor,
      ...(when.occurredAt === undefined ? {} : { occurredAt: when.occurredAt }),
      calendar,
      ruleSets: this.ruleSets,
      defaultRuleSet: this.defaultRuleSet,
    };
  }

  /** Runs one command and records what it decided, stamped with its occurredAt. */
  run<T extends ProposalCommandType>(type: T, data: CommandDataByType[T], when: When): ProposalEvent[] {
    const { events } = decideStep(deepFreeze(this.state), stepOf(command(type, data), when.actor, when.occurredAt), this.context(when));
    this.record(events, when);
    return events;
  }

  record(decided: readonly ProposalEvent[], when: When): void {
    const occurredAt = new Date(Date.parse(when.occurredAt ?? when.now)).toISOString();
    for (const e of decided) {
      const recorded = { ...e, metadata: { occurredAt, recordedAt: when.now, actor: when.actor } } as RecordedProposalEvent;
      this.events.push(recorded);
      this.state = evolve(this.state, recorded);
    }
  }

  /** The given/when/then grammar over this story's history. */
  when<T extends ProposalCommandType>(type: T, data: CommandDataByType[T], when: When): Outcome {
    return new Outcome(command(type, data), this.events, this.context(when), when.actor, when.policy !== false);
  }
}

export class Outcome {
  constructor(
    private readonly cmd: ProposalCommand,
    private readonly given: readonly RecordedProposalEvent[],
    private readonly context: DecisionContext,
    private readonly actor: Actor,
    private readonly policy: boolean,
  ) {}

  private run(): ProposalEvent[] {
    const state = deepFreeze(fold(this.given));
    // Through the command path's pure step, as the service decides; `policy: false` asks the decider alone.
    if (this.policy) return decideStep(state, stepOf(this.cmd, this.actor, this.context.occurredAt), this.context).events;
    return decide(this.cmd, state, this.context);
  }

  /** The events emitted, for further assertions. */
  events(): ProposalEvent[] {
    return this.run();
  }

  types(): string[] {
    return this.run().map((e) => e.type);
  }

  thenNothing(): void {
    expect(this.run()).toEqual([]);
  }

  /** `message`: what the refusal must also say. */
  thenRefuses(code: DomainErrorCode, message?: RegExp): DomainError {
    let caught: unknown;
    try {
      this.run();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DomainError);
    expect((caught as DomainError).code).toBe(code);
    if (message) expect((caught as DomainError).message).toMatch(message);
    return caught as DomainError;
  }
}

function stepOf(cmd: ProposalCommand, actor: Actor, occurredAt: Instant | undefined) {
  return { command: cmd, actor, ...(occurredAt === undefined ? {} : { occurredAt, backdated: true }) };
}

/** Shanghai wall-clock time as an instant: `sh('2025-03-10 09:00')`. */
export function sh(local: string): Instant {
  const [date, time = '09:00'] = local.split(' ');
  return new Date(`${date}T${time}:00+08:00`).toISOString();
}
