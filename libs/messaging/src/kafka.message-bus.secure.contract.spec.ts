import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { KafkaMessageBus } from './kafka.message-bus';
import { messageBusContract } from './testing/message-bus.contract';

// The broker the test command starts also listens with TLS and SCRAM-SHA-512 (deploy/local/kafka/kafka.sh).
const brokers = (process.env.BANLI_TEST_KAFKA_SECURE_BROKERS ?? '').split(',').filter(Boolean);
const caFile = process.env.BANLI_TEST_KAFKA_CA_FILE ?? '';
const ready = brokers.length > 0 && existsSync(caFile);
if (!ready) {
  process.stdout.write('\n[kafka secure] SKIPPED — the broker was given by KAFKA_BROKERS, so no TLS and SCRAM listener of the project\'s own is known here; run the tests without KAFKA_BROKERS to include this suite.\n');
}
const describeSecure = ready ? describe : describe.skip;

describeSecure('KafkaMessageBus over TLS with SCRAM-SHA-512, against a real Apache Kafka broker', () => {
  const ca = () => [readFileSync(caFile, 'utf8')];
  const sasl = (password = process.env.BANLI_TEST_KAFKA_SASL_PASSWORD!) => ({ mechanism: 'scram-sha-512' as const, username: process.env.BANLI_TEST_KAFKA_SASL_USERNAME!, password });

  messageBusContract(async () => {
    const topic = `banli.test.${randomUUID()}`;
    const bus = await KafkaMessageBus.connect({ brokers, clientId: 'banli-secure-contract', topics: [topic], sasl: sasl(), tls: { ca: ca() } });
    return { bus, topic, durable: true, cleanup: () => bus.close() };
  });

  it('is refused with a wrong password, and without the broker’s certificate trusted', async () => {
    await expect(KafkaMessageBus.connect({ brokers, clientId: 'banli-wrong-password', sasl: sasl('not-the-password'), tls: { ca: ca() } })).rejects.toThrow(/SASL|authentication/i);
    await expect(KafkaMessageBus.connect({ brokers, clientId: 'banli-untrusted', sasl: sasl(), tls: {} })).rejects.toThrow(/certificate|retries/i);
  }, 60_000);
});
