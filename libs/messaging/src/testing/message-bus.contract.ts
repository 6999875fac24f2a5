import { randomUUID } from 'node:crypto';
import type { BusMessage, MessageBus } from '../message-bus.port';

export interface BusHarness {
  readonly bus: MessageBus;
  /** A topic of this test's own. */
  readonly topic: string;
  /** Whether a group's place survives its unsubscribing (Kafka's committed offsets). */
  readonly durable: boolean;
  cleanup(): Promise<void>;
}

export function busMessage(streamId: string, revision: number, position: number): BusMessage {
  return {
    streamId,
    revision,
    position,
    eventId: randomUUID(),
    type: 'ProposerContacted',
    schemaVersion: 1,
    data: { unitId: 'u-a', summary: `第${revision}次沟通` },
    occurredAt: '2025-03-20T02:00:00.000Z',
    recordedAt: '2025-03-20T02:00:00.000Z',
    correlationId: 'c-1',
    hash: 'a'.repeat(64),
  };
}

export async function until(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** What every bus adapter must do. */
export function messageBusContract(make: () => Promise<BusHarness>): void {
  let h: BusHarness;
  beforeEach(async () => {
    h = await make();
  });
  afterEach(async () => h.cleanup());

  it('delivers every published message to a subscriber, each item’s in order, payload intact', async () => {
    const got: BusMessage[] = [];
    const stop = await h.bus.subscribe(h.topic, `g-${randomUUID()}`, (m) => void got.push(m));
    const sent = Array.from({ length: 20 }, (_, i) => busMessage(`proposal-item-${i % 2}`, Math.floor(i / 2), i + 1));
    await h.bus.publish(h.topic, sent);
    await until(() => got.length >= 20);
    await stop();
    expect(new Set(got.map((m) => m.eventId))).toEqual(new Set(sent.map((m) => m.eventId)));
    for (const item of ['proposal-item-0', 'proposal-item-1']) {
      expect(got.filter((m) => m.streamId === item).map((m) => m.revision)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
    expect(got.find((m) => m.eventId === sent[3].eventId)).toEqual(sent[3]);
  }, 30_000);

  it('gives every consumer group every message', async () => {
    const a: string[] = [];
    const b: string[] = [];
    const stops = [await h.bus.subscribe(h.topic, `a-${randomUUID()}`, (m) => void a.push(m.eventId)), await h.bus.subscribe(h.topic, `b-${randomUUID()}`, (m) => void b.push(m.eventId))];
    const sent = Array.from({ length: 5 }, (_, i) => busMessage('proposal-x', i, i + 1));
    await h.bus.publish(h.topic, sent);
    await until(() => a.length >= 5 && b.length >= 5);
    for (const stop of stops) await stop();
    expect(a.sort()).toEqual(sent.map((m) => m.eventId).sort());
    expect(b.sort()).toEqual(sent.map((m) => m.eventId).sort());
  }, 30_000);

  it('stops delivering once unsubscribed; a durable bus resumes the group where it stopped', async () => {
    const group = `g-${randomUUID()}`;
    const first: string[] = [];
    const stop = await h.bus.subscribe(h.topic, group, (m) => void first.push(m.eventId));
    const early = [busMessage('proposal-y', 0, 1), busMessage('proposal-y', 1, 2)];
    await h.bus.publish(h.topic, early);
    await until(() => first.length >= 2);
    await new Promise((r) => setTimeout(r, 700)); // past the commit interval
    await stop();
    const late = [busMessage('proposal-y', 2, 3)];
    await h.bus.publish(h.topic, late);
    await new Promise((r) => setTimeout(r, 300));
    expect(first).toEqual(early.map((m) => m.eventId));
    if (!h.durable) return;
    const second: string[] = [];
    const again = await h.bus.subscribe(h.topic, group, (m) => void second.push(m.eventId));
    await until(() => second.length >= 1);
    await again();
    expect(second).toEqual(late.map((m) => m.eventId)); // nothing lost, nothing handled before repeated
  }, 45_000);
}
