import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaMessageBus } from './kafka.message-bus';
import { busMessage, messageBusContract, until } from './testing/message-bus.contract';

// The test command starts a real broker with deploy/local/kafka/kafka.sh when KAFKA_BROKERS is unset.
const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
if (brokers.length === 0) throw new Error('KAFKA_BROKERS is not set and the global setup did not start a broker');

describe('KafkaMessageBus — message bus contract, against a real Apache Kafka broker', () => {
  messageBusContract(async () => {
    const topic = `banli.test.${randomUUID()}`;
    const bus = await KafkaMessageBus.connect({ brokers, clientId: 'banli-contract', topics: [topic] });
    return { bus, topic, durable: true, cleanup: () => bus.close() };
  });

  it('keys each message by item id and carries event id, type, schema version and correlation id as headers', async () => {
    const topic = `banli.test.${randomUUID()}`;
    const bus = await KafkaMessageBus.connect({ brokers, clientId: 'banli-contract', topics: [topic] });
    const sent = busMessage('proposal-ns-0123456789abcdef', 0, 1);
    await bus.publish(topic, [sent]);
    const raw = new Kafka({ clientId: 'raw', brokers, logLevel: logLevel.NOTHING }).consumer({ groupId: `raw-${randomUUID()}` });
    const seen: { key?: string; headers: Record<string, string> }[] = [];
    await raw.connect();
    await raw.subscribe({ topic, fromBeginning: true });
    await raw.run({
      eachMessage: async ({ message }) => {
        seen.push({ key: message.key?.toString(), headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])) });
      },
    });
    await until(() => seen.length >= 1);
    await raw.disconnect();
    await bus.close();
    expect(seen[0]).toEqual({
      key: 'ns-0123456789abcdef',
      headers: { 'event-id': sent.eventId, 'event-type': 'ProposerContacted', 'schema-version': '1', 'correlation-id': 'c-1' },
    });
  }, 30_000);

  it('passes over (and counts) a message that breaks the contract; the ones after it still arrive', async () => {
    const topic = `banli.test.${randomUUID()}`;
    const bus = await KafkaMessageBus.connect({ brokers, clientId: 'banli-contract', topics: [topic] });
    const producer = new Kafka({ clientId: 'raw', brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'x', value: '{"not":"an event"}' }, { key: 'x', value: 'not even JSON' }] });
    await producer.disconnect();
    const good = busMessage('proposal-x', 0, 1);
    await bus.publish(topic, [good]);
    const handled: string[] = [];
    const stop = await bus.subscribe(topic, `g-${randomUUID()}`, (m) => void handled.push(m.eventId));
    await until(() => handled.length >= 1);
    await stop();
    await bus.close();
    expect(handled).toEqual([good.eventId]);
    expect(bus.rejected).toBe(2);
  }, 30_000);

  it('redelivers a message whose handler failed, so nothing is lost', async () => {
    const topic = `banli.test.${randomUUID()}`;
    const bus = await KafkaMessageBus.connect({ brokers, clientId: 'banli-contract', topics: [topic] });
    let attempts = 0;
    const handled: string[] = [];
    const stop = await bus.subscribe(topic, `g-${randomUUID()}`, (m) => {
      attempts += 1;
      if (attempts === 1) throw new Error('projection briefly unavailable');
      handled.push(m.eventId);
    });
    const sent = busMessage('proposal-z', 0, 1);
    await bus.publish(topic, [sent]);
    await until(() => handled.length >= 1, 30_000);
    await stop();
    await bus.close();
    expect(handled).toEqual([sent.eventId]);
    expect(attempts).toBeGreaterThanOrEqual(2);
  }, 45_000);
});
