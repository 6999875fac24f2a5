import {
  type Actor,
  authorize,
  builtInRuleSets,
  ChineseDaysCalendar,
  command,
  type CommandDataByType,
  type Deadline,
  decide,
  evolve,
  INITIAL_STATE,
  type ProposalCommandType,
  type ProposalState,
} from '@banli/domain';
import type { NewEvent } from '@banli/event-store';

/** The benchmarks' items are decided by the real decider, under Chongqing's rule set and calendar. */
export const RULE_SET = 'cq-npc-2017';
export const calendar = new ChineseDaysCalendar();
export const ruleSets = builtInRuleSets();
export const office: Actor = { id: 'clerk-1', name: '办事员', unit: 'u-office', roles: ['office'] };
export const system: Actor = { id: 'deadline-scheduler', roles: ['system'] };
export const handler = (unit: string): Actor => ({ id: `handler@${unit}`, unit, roles: ['handler'] });
export const signer = (unit: string): Actor => ({ id: `signer@${unit}`, unit, roles: ['signer'] });

/** One item's history, decided command by command as the service would. */
export class Item {
  state: ProposalState = INITIAL_STATE;
  readonly events: NewEvent[] = [];
  constructor(readonly id: string) {}

  get deadlines(): Deadline[] {
    return 'deadlines' in this.state ? Object.values(this.state.deadlines) : [];
  }

  run<T extends ProposalCommandType>(type: T, data: CommandDataByType[T], actor: Actor, at: string): this {
    const cmd = command(type, data);
    authorize(cmd, this.state, actor, { backdated: false });
    for (const event of decide(cmd, this.state, { now: at, actor, calendar, ruleSets, defaultRuleSet: RULE_SET })) {
      this.events.push({ type: event.type, schemaVersion: event.schemaVersion, data: event.data, occurredAt: at, actor });
      this.state = evolve(this.state, { ...event, metadata: { occurredAt: at, recordedAt: at, revision: this.events.length - 1, actor } } as never);
    }
    return this;
  }
}

/** Item n, submitted and accepted at `at`. */
export function submitted(n: number, at: string): Item {
  const number = String(n).padStart(6, '0');
  return new Item(`bench-${number}`)
    .run('SubmitProposal', { proposalId: `bench-${number}`, kind: 'npc-suggestion', session: '六届三次', number, title: `关于第${n}件事项的建议`, body: '建议……', proposers: [{ id: `dep-${n % 500}`, name: '代表', lead: true }] }, office, at)
    .run('RegisterProposal', { decision: 'accepted' }, office, at);
}
