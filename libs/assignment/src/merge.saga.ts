import { toRecorded } from '@banli/application';
import { type Actor, fold, proposalIdOf, type Proposer } from '@banli/domain';
import type { EventStore, StoredEvent } from '@banli/event-store';
import { type MessageBus, TOPICS } from '@banli/messaging';
import { BANLI_CONFIG, type BanliConfig, EVENT_STORE, MESSAGE_BUS } from '@banli/platform';
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { EventBus, type ICommand, type IEvent, ofType, Saga } from '@nestjs/cqrs';
import { type Observable, map } from 'rxjs';
import { AbsorbMergedProposalCommand } from './assignment.commands';

/** Who takes a merged item's proposers into its target: the office's own rule, applied by the system. */
export const MERGE_SAGA: Actor = { id: 'merge-saga', name: '并案', roles: ['system'] };

/** An item was merged (并案) into another; its proposers are to join the target. */
export class ProposalMergedEvent implements IEvent {
  constructor(
    readonly sourceProposalId: string,
    readonly targetProposalId: string,
    readonly proposers: readonly Proposer[],
    /** The recorded ProposalMerged event, the cause of what follows. */
    readonly eventId: string,
  ) {}
}

/** The process manager of a merge: ProposalMerged on one item → AbsorbMergedProposal on its target. */
@Injectable()
export class MergeSaga {
  @Saga()
  absorbMerged = (events$: Observable<IEvent>): Observable<ICommand> =>
    events$.pipe(
      ofType(ProposalMergedEvent),
      map(
        (merged) =>
          new AbsorbMergedProposalCommand(
            merged.targetProposalId,
            { sourceProposalId: merged.sourceProposalId, proposers: merged.proposers.map((p) => ({ ...p })) },
            { actor: MERGE_SAGA, correlationId: `merge:${merged.eventId}` },
          ),
      ),
    );
}

/**
 * Feeds the merge saga from the bus, as the read model is fed: the relay publishes every recorded event
 * once every consumer has subscribed and moves its checkpoint only after they took it, and a Kafka
 * consumer group resumes where it stopped, so no merge is missed across restarts. The source item is read
 * from the store, never taken from a message: a forged ProposalMerged finds an item that is not merged.
 */
@Injectable()
export class MergeEvents implements OnModuleInit, OnApplicationShutdown {
  private unsubscribe?: () => Promise<void>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(BANLI_CONFIG) private readonly config: BanliConfig,
    private readonly events: EventBus,
  ) {}

  async onModuleInit(): Promise<void> {
    this.unsubscribe = await this.bus.subscribe(TOPICS.proposalEvents, `banli-${this.config.service}-merges`, (message) => (message.type === 'ProposalMerged' ? this.publish(message) : undefined));
  }

  private async publish(message: Pick<StoredEvent, 'streamId' | 'eventId'>): Promise<void> {
    const sourceProposalId = proposalIdOf(message.streamId);
    if (sourceProposalId === undefined) return;
    const source = fold((await this.store.readStream(message.streamId)).map(toRecorded));
    // Merged, then accepted again on reflection: nothing to take in any more.
    if (source.status !== 'merged' || source.mergedInto === undefined) return;
    const proposers = source.proposers.filter((p) => p.mergedFrom === undefined).map(({ id, name, lead }) => ({ id, name, lead }));
    this.events.publish(new ProposalMergedEvent(sourceProposalId, source.mergedInto, proposers, message.eventId));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.unsubscribe?.();
  }
}
