import type { BusHandler, BusMessage, MessageBus } from './message-bus.port';

/**
 * The bus inside one process. Publishing awaits every subscriber, in order, so the relay moves its
 * checkpoint only after the read models have taken the events.
 */
export class InProcessMessageBus implements MessageBus {
  private readonly groups = new Map<string, Map<string, BusHandler>>();

  async publish(topic: string, messages: readonly BusMessage[]): Promise<void> {
    const handlers = [...(this.groups.get(topic)?.values() ?? [])];
    for (const message of messages) for (const handler of handlers) await handler(message);
  }

  async subscribe(topic: string, group: string, handler: BusHandler): Promise<() => Promise<void>> {
    const groups = this.groups.get(topic) ?? new Map<string, BusHandler>();
    if (groups.has(group)) throw new Error(`Consumer group ${group} already subscribed to ${topic}`);
    groups.set(group, handler);
    this.groups.set(topic, groups);
    return async () => void groups.delete(group);
  }

  async lead(_role: string, onLeader: () => Promise<void> | void, onFollower: () => Promise<void> | void): Promise<() => Promise<void>> {
    await onLeader();
    return async () => void (await onFollower());
  }

  async close(): Promise<void> {
    this.groups.clear();
  }
}
