// Starts a real Apache Kafka broker for the suites that need one, with the project's own script, unless
// KAFKA_BROKERS names one already. The test workers inherit KAFKA_BROKERS.
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

module.exports = async function globalSetup() {
  // The distributed suite runs a broker of its own (it stops and restarts it).
  if (process.env.BANLI_NO_TEST_KAFKA === '1') return;
  if (process.env.KAFKA_BROKERS) {
    process.stdout.write(`\n[kafka] using KAFKA_BROKERS=${process.env.KAFKA_BROKERS}\n`);
    return;
  }
  const port = process.env.BANLI_TEST_KAFKA_PORT ?? '19092';
  process.stdout.write(`\n[kafka] KAFKA_BROKERS is unset: starting a broker on 127.0.0.1:${port} (deploy/local/kafka/kafka.sh)\n`);
  execFileSync(join(__dirname, '../deploy/local/kafka/kafka.sh'), ['start'], { stdio: 'inherit', env: { ...process.env, KAFKA_PORT: port } });
  process.env.KAFKA_BROKERS = `127.0.0.1:${port}`;
  process.env.BANLI_TEST_KAFKA_STARTED = port;
};
