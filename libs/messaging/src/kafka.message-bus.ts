/**
 * The Kafka adapter of the bus port, and the only file that imports kafkajs: swapping the client
 * (kafkajs is unmaintained) means rewriting this file alone.
 */
import { proposalIdOf } from '@banli/domain';
import { type Consumer, Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { InvalidBusMessageError, validateBusMessage } from './contract/bus-message.contract';
import { type BusHandler, type BusMessage, type MessageBus, TOPICS } from './message-bus.port';

export interface KafkaBusOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** Partitions and replication of the topics Banli creates. */
  readonly partitions?: number;
  readonly replicationFactor?: number;
  /** Topics to create besides Banli's own (tests use their own names). */
  readonly topics?: readonly string[];
  /** SASL authentication (SCRAM-SHA-256/512, or PLAIN over TLS). */
  readonly sasl?: { readonly mechanism: 'scram-sha-256' | 'scram-sha-512' | 'plain'; readonly username: string; readonly password: string };
  /** TLS to the brokers; `ca`: the certificates to trust (PEM), else the system's. */
  readonly tls?: { readonly ca?: readonly string[] };
}

/**
 * Events on Kafka: keyed by item id, so one item's events stay in order on one partition; headers carry
 * the event id, type, schema version and correlation id. The producer is idempotent with acks from
 * all replicas; a consumer commits an offset only after its handler succeeded.
 */
export class KafkaMessageBus implements MessageBus {
  private readonly kafka: Kafka;
  private readonly consumers = new Set<Consumer>();
  private producer?: Producer;
  /** Messages refused for breaking the bus contract. */
  rejected = 0;

  private constructor(private readonly options: KafkaBusOptions) {
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: [...options.brokers],
      logLevel: logLevel.WARN,
      ...(options.tls ? { ssl: options.tls.ca ? { ca: [...options.tls.ca], rejectUnauthorized: true } : true } : {}),
      ...(options.sasl ? { sasl: { ...options.sasl } as never } : {}),
    });
  }

  static async connect(options: KafkaBusOptions): Promise<KafkaMessageBus> {
    const bus = new KafkaMessageBus(options);
    await bus.ensureTopics([...Object.values(TOPICS), ...(options.topics ?? [])]);
    bus.producer = bus.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
    await bus.producer.connect();
    return bus;
  }

  async ensureTopics(topics: readonly string[]): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((t) => !existing.has(t));
      if (missing.length > 0) {
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((topic) => ({ topic, numPartitions: this.options.partitions ?? 3, replicationFactor: this.options.replicationFactor ?? 1 })),
        });
      }
    } finally {
      await admin.disconnect();
    }
  }

  async publish(topic: string, messages: readonly BusMessage[]): Promise<void> {
    if (!this.producer) throw new Error('The Kafka bus is not connected');
    if (messages.length === 0) return;
    await this.producer.send({
      topic,
      acks: -1,
      messages: messages.map((m) => ({
        key: proposalIdOf(m.streamId) ?? m.streamId,
        value: JSON.stringify(m),
        headers: {
          'event-id': m.eventId,
          'event-type': m.type,
          'schema-version': String(m.schemaVersion),
          ...(m.correlationId ? { 'correlation-id': m.correlationId } : {}),
        },
      })),
    });
  }

  async subscribe(topic: string, group: string, handler: BusHandler): Promise<() => Promise<void>> {
    const consumer = this.kafka.consumer({ groupId: group, allowAutoTopicCreation: false, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      autoCommitInterval: 500,
      // The offset is resolved only when the handler returns; a throw leaves it to be delivered again.
      eachMessage: async ({ topic: from, partition, message }) => {
        if (!message.value) return;
        let event: BusMessage;
        try {
          event = validateBusMessage(JSON.parse(message.value.toString()));
        } catch (error) {
          // A message that breaks the contract would fail forever: it is logged, counted and passed over.
          if (!(error instanceof InvalidBusMessageError) && !(error instanceof SyntaxError)) throw error;
          this.rejected += 1;
          this.kafka.logger().error('Refused a message that breaks the bus contract', { topic: from, partition, offset: message.offset, error: (error as Error).message });
          return;
        }
        await handler(event);
      },
    });
    await joined;
    this.consumers.add(consumer);
    return async () => {
      this.consumers.delete(consumer);
      await consumer.disconnect();
    };
  }

  /**
   * Leadership by Kafka's own group coordination: every candidate joins one consumer group on a
   * one-partition topic, and the member that holds the partition leads. When it dies, the group
   * rebalances and another member is given the partition.
   */
  async lead(role: string, onLeader: () => Promise<void> | void, onFollower: () => Promise<void> | void): Promise<() => Promise<void>> {
    const topic = `banli.lead.${role}`;
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      if (!(await admin.listTopics()).includes(topic)) {
        await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1, replicationFactor: this.options.replicationFactor ?? 1 }] });
      }
    } finally {
      await admin.disconnect();
    }
    const consumer = this.kafka.consumer({ groupId: `banli-lead-${role}`, sessionTimeout: 10_000, heartbeatInterval: 1_000, allowAutoTopicCreation: false });
    let leading = false;
    let chain: Promise<void> = Promise.resolve();
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      const holds = (payload.memberAssignment[topic] ?? []).includes(0);
      if (holds === leading) return;
      leading = holds;
      chain = chain.then(() => (holds ? onLeader() : onFollower()));
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: false });
    await consumer.run({ eachMessage: async () => undefined });
    this.consumers.add(consumer);
    return async () => {
      this.consumers.delete(consumer);
      await consumer.disconnect();
      if (leading) await onFollower();
      leading = false;
      await chain;
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.disconnect()));
    this.consumers.clear();
    await this.producer?.disconnect();
  }
}
