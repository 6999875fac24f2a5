import { toRecorded } from '@banli/application';
import { type Actor, fold, proposalIdOf, type Proposer, PROPOSAL_STREAM_PREFIX } from '@banli/domain';
import type { EventStore, StoredEvent, Subscription } from '@banli/event-store';
import type { MessageBus } from '@banli/messaging';
import { EVENT_STORE, MESSAGE_BUS } from '@banli/platform';
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
 * Feeds the merge saga from the store: every ProposalMerged ever recorded, read again at each start
 * (absorbing is idempotent, so what was absorbed before is a repeat and records nothing), and then
 * each new one as it is recorded. The source item is read from the store, never taken from a message.
 */
@Injectable()
export class MergeEvents implements OnModuleInit, OnApplicationShutdown {
  private subscription?: Subscription;
  private leaveElection?: () => Promise<void>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    private readonly events: EventBus,
  ) {}

  async onModuleInit(): Promise<void> {
    // One process of a deployment takes merges in; another takes over if it goes.
    this.leaveElection = await this.bus.lead(
      'merges',
      () => {
        this.subscription = this.store.subscribeBatches({ filter: { streamPrefixes: [PROPOSAL_STREAM_PREFIX], eventTypes: ['ProposalMerged'] } }, (batch) => this.publish(batch));
      },
      () => this.subscription?.stop(),
    );
  }

  private async publish(batch: readonly StoredEvent[]): Promise<void> {
    for (const event of batch) {
      const sourceProposalId = proposalIdOf(event.streamId);
      if (sourceProposalId === undefined) continue;
      const source = fold((await this.store.readStream(event.streamId)).map(toRecorded));
      // Merged, then accepted again on reflection: nothing to take in any more.
      if (source.status !== 'merged' || source.mergedInto === undefined) continue;
      const proposers = source.proposers.filter((p) => p.mergedFrom === undefined).map(({ id, name, lead }) => ({ id, name, lead }));
      this.events.publish(new ProposalMergedEvent(sourceProposalId, source.mergedInto, proposers, event.eventId));
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.leaveElection?.();
    await this.subscription?.stop();
  }
}
