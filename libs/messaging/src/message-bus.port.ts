import type { StoredEvent } from '@banli/event-store';

/** Topic names are part of the deployment contract. */
export const TOPICS = {
  proposalEvents: 'banli.proposal-events',
  deadlineEvents: 'banli.deadline-events',
} as const;

export type BusMessage = StoredEvent;
export type BusHandler = (message: BusMessage) => Promise<void> | void;

/** The message bus port: in-process for the standalone service, Kafka in the distributed deployment. */
export interface MessageBus {
  /** Resolves once every message is accepted (by every in-process subscriber, or by the broker). */
  publish(topic: string, messages: readonly BusMessage[]): Promise<void>;
  /**
   * One handler per consumer group. Resolves once the subscription is live (a Kafka consumer has joined
   * its group); the result ends it. Delivery is at least once: consumers deduplicate by event id.
   */
  subscribe(topic: string, group: string, handler: BusHandler): Promise<() => Promise<void>>;
  /**
   * Runs `onLeader` in exactly one process of all that ask for the same role (`onFollower` when the role
   * moves elsewhere). The result leaves the election. In-process there is one process, so it leads.
   */
  lead(role: string, onLeader: () => Promise<void> | void, onFollower: () => Promise<void> | void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
